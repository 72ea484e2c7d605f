package io.mysqlresync.config;

import java.time.Duration;

/**
 * @param pollInterval       how often every node is read
 * @param lagThreshold       Seconds_Behind_Source above this is an incident
 * @param recentRestart      uptime below this is reported as a restart
 * @param progressInterval   how often the lag progress message is updated
 * @param inSyncChecks       consecutive in-sync checks before the pair is declared back in sync
 * @param stalledAfter       lag not falling for this long raises an alert
 * @param shards             monitor jobs the clusters are split over, spread by Quartz over the replicas
 */
public record MonitorSettings(Duration pollInterval, Duration lagThreshold, Duration recentRestart,
                              Duration progressInterval, int inSyncChecks, Duration stalledAfter, int shards) {

    /** With the default number of shards. */
    public MonitorSettings(Duration pollInterval, Duration lagThreshold, Duration recentRestart,
                           Duration progressInterval, int inSyncChecks, Duration stalledAfter) {
        this(pollInterval, lagThreshold, recentRestart, progressInterval, inSyncChecks, stalledAfter,
                ConfigLoader.DEFAULT_MONITOR_SHARDS);
    }

    /** The same settings with {@code shards} monitor shards. */
    public MonitorSettings withShards(int shards) {
        return new MonitorSettings(pollInterval, lagThreshold, recentRestart, progressInterval, inSyncChecks,
                stalledAfter, shards);
    }
}
