package io.mysqlresync.schedule;

import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sees a node restart between two polls, even one so quick that the node never looked
 * unreachable: its start time (read time minus Uptime) moved later than the last one seen.
 *
 * <p>The last start time per node is kept in the state store, so a bot restart (or another
 * replica running the next poll) keeps comparing against what was seen before instead of
 * starting blind.
 */
final class RestartDetector {

    /**
     * How much later a start time must be to count as a restart. Uptime has whole seconds and the
     * read time is taken after the status queries, so the same start time comes out up to about
     * a second apart from one poll to the next. The price: a node that restarts less than this
     * long after its previous start is not seen restarting (it may still be seen unreachable).
     */
    static final Duration TOLERANCE = Duration.ofSeconds(2);

    /**
     * @param restarted  nodes that restarted since the last poll
     * @param toRemember start times to keep for the next poll (never earlier than the ones seen)
     */
    record Seen(List<String> restarted, Map<String, Instant> toRemember) {
    }

    private RestartDetector() {
    }

    /** Compares this poll's start times with {@code seen}, the last ones per node. */
    static Seen restarted(ClusterStatus status, Map<String, Instant> seen) {
        List<String> out = new ArrayList<>();
        Map<String, Instant> remember = new LinkedHashMap<>();
        for (NodeStatus node : status.nodes()) {
            if (node.startedAt().isEmpty()) {
                // Unreachable: keep the last start time seen, so its return is recognised as a restart.
                continue;
            }
            Instant started = node.startedAt().get();
            Instant last = seen.get(node.node());
            if (last == null) {
                remember.put(node.node(), started);
            } else if (started.isAfter(last.plus(TOLERANCE))) {
                out.add(node.node());
                remember.put(node.node(), started);
            } else if (started.isAfter(last)) {
                // Read-time jitter: keep the latest so it cannot add up to a false restart.
                remember.put(node.node(), started);
            }
        }
        return new Seen(out, remember);
    }
}
