package io.mysqlresync.schedule;

import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sees a node restart between two polls, even one so quick that the node never looked
 * unreachable: its start time (read time minus Uptime) moved later than the last one seen.
 *
 * <p>The last start time per node lives in {@code memory}, the cluster's part of the monitor
 * job's persisted JobDataMap ({@link MonitorSweep}), so a bot restart (or another replica taking the job over) keeps comparing against
 * what was seen before instead of starting blind. Values are strings so the map also fits a JDBC
 * job store configured with {@code useProperties}.
 */
final class RestartDetector {

    /**
     * How much later a start time must be to count as a restart. Uptime has whole seconds and the
     * read time is taken after the status queries, so the same start time comes out up to about
     * a second apart from one poll to the next. The price: a node that restarts less than this
     * long after its previous start is not seen restarting (it may still be seen unreachable).
     */
    static final Duration TOLERANCE = Duration.ofSeconds(2);

    static final String KEY_PREFIX = "startedAt.";

    private RestartDetector() {
    }

    /** Nodes that restarted since the last poll; remembers the start times for the next one. */
    static List<String> restarted(ClusterStatus status, Map<String, Object> memory) {
        List<String> out = new ArrayList<>();
        for (NodeStatus node : status.nodes()) {
            if (node.startedAt().isEmpty()) {
                // Unreachable: keep the last start time seen, so its return is recognised as a restart.
                continue;
            }
            Instant started = node.startedAt().get();
            String key = KEY_PREFIX + node.node();
            Object seen = memory.get(key);
            Instant last = seen == null ? null : parse(seen.toString());
            if (last == null) {
                memory.put(key, Long.toString(started.toEpochMilli()));
            } else if (started.isAfter(last.plus(TOLERANCE))) {
                out.add(node.node());
                memory.put(key, Long.toString(started.toEpochMilli()));
            } else if (started.isAfter(last)) {
                // Read-time jitter: keep the latest so it cannot add up to a false restart.
                memory.put(key, Long.toString(started.toEpochMilli()));
            }
        }
        return out;
    }

    private static Instant parse(String millis) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(millis));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
