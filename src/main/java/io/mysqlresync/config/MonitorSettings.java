package io.mysqlresync.config;

import java.time.Duration;

/**
 * @param pollInterval       how often every node is read
 * @param lagThreshold       Seconds_Behind_Source above this is an incident
 * @param recentRestart      uptime below this is reported as a restart
 * @param progressInterval   how often the lag progress message is updated
 * @param inSyncChecks       consecutive in-sync checks before the pair is declared back in sync
 * @param stalledAfter       lag not falling for this long raises an alert
 */
public record MonitorSettings(Duration pollInterval, Duration lagThreshold, Duration recentRestart,
                              Duration progressInterval, int inSyncChecks, Duration stalledAfter) {
}
