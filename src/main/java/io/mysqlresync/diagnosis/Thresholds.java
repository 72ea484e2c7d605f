package io.mysqlresync.diagnosis;

/**
 * @param lagWarningSeconds     Seconds_Behind_Source above this is a LAGGING finding
 * @param recentRestartSeconds  uptime below this is reported as a recent restart
 */
public record Thresholds(long lagWarningSeconds, long recentRestartSeconds) {
    public static final Thresholds DEFAULT = new Thresholds(30, 900);
}
