package io.mysqlresync.verify;

import java.time.Duration;
import java.util.Map;

/**
 * The load the checksums add to, per node: replication lag (null when the node is not a replica
 * or its SQL thread is stopped) and Threads_running.
 */
public record LoadSample(Map<String, Duration> lag, Map<String, Integer> threadsRunning) {

    /** Why to pause now, in pt-table-checksum's terms, or null to go on. */
    public String tooHigh(Duration maxLag, int maxThreadsRunning) {
        for (Map.Entry<String, Duration> e : lag.entrySet()) {
            if (e.getValue() != null && e.getValue().compareTo(maxLag) > 0) {
                return e.getKey() + " is " + e.getValue().toSeconds() + " s behind its source (max-lag "
                        + maxLag.toSeconds() + " s)";
            }
        }
        for (Map.Entry<String, Integer> e : threadsRunning.entrySet()) {
            if (e.getValue() != null && e.getValue() > maxThreadsRunning) {
                return e.getKey() + " has Threads_running=" + e.getValue() + " (max-load " + maxThreadsRunning + ")";
            }
        }
        return null;
    }
}
