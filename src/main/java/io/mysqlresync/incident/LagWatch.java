package io.mysqlresync.incident;

import java.time.Instant;
import java.util.List;

/**
 * A running "watch the lag fall" job, stored so that another bot replica can resume it.
 *
 * @param samples      the most recent checks, oldest first (bounded, see {@link LagProgress})
 * @param inSyncStreak consecutive checks with every node in sync
 * @param alerted      a stall or break was already announced for this watch (announce once)
 */
public record LagWatch(String cluster, String channel, String messageTs, String threadTs, Instant startedAt,
                       List<LagSample> samples, int inSyncStreak, boolean alerted, String incidentId) {
    public LagWatch {
        samples = List.copyOf(samples);
        messageTs = messageTs == null ? "" : messageTs;
        threadTs = threadTs == null ? "" : threadTs;
        incidentId = incidentId == null ? "" : incidentId;
    }

    public static LagWatch start(String cluster, String channel, String threadTs, Instant at, String incidentId) {
        return new LagWatch(cluster, channel, "", threadTs, at, List.of(), 0, false, incidentId);
    }

    public LagWatch withMessage(String ts) {
        return new LagWatch(cluster, channel, ts, threadTs, startedAt, samples, inSyncStreak, alerted, incidentId);
    }

    public LagWatch withAlerted() {
        return new LagWatch(cluster, channel, messageTs, threadTs, startedAt, samples, inSyncStreak, true, incidentId);
    }
}
