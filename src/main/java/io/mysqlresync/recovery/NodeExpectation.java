package io.mysqlresync.recovery;

import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ThreadState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one node looked like when a plan was made: the plan's precondition. Before running an
 * approved plan the executor reads the node again and refuses if anything here changed, because
 * positions in the plan are only right for the state they were computed from.
 * Positions of a thread that is still running are not pinned: they move by themselves.
 *
 * @param otherChannels the node's other channels (MySQL FOR CHANNEL, MariaDB named connections),
 *                      pinned the same way: a plan for one of them is checked against it
 * @param gtidSlavePos  MariaDB's @@gtid_slave_pos, pinned only for plans that set it from what
 *                      it was (a moved position would be set back); null when not pinned
 * @param gtidInDomain  the node's binlog GTID position in one domain ("1-1-500", from
 *                      gtid_binlog_pos), pinned only for plans computed from it; null when not
 *                      pinned. Only that domain: the node's other domains move with every write.
 */
public record NodeExpectation(String node, boolean reachable, Instant startedAt,
                              ThreadState ioThread, ThreadState sqlThread, int ioErrno, int sqlErrno,
                              BinlogCoordinates received, BinlogCoordinates executed,
                              List<ChannelExpectation> otherChannels, String gtidSlavePos, String gtidInDomain) {

    /** One more channel of the node as it was; the fields mean what the node's own do. */
    public record ChannelExpectation(String channel, ThreadState ioThread, ThreadState sqlThread, int ioErrno,
                                     int sqlErrno, BinlogCoordinates received, BinlogCoordinates executed) {

        static ChannelExpectation of(ReplicaChannel c) {
            return new ChannelExpectation(c.channelName(), c.ioThread(), c.sqlThread(), c.ioError().code(),
                    c.sqlError().code(), c.ioThread() != ThreadState.RUNNING ? c.received() : null,
                    c.sqlThread() != ThreadState.RUNNING ? c.executed() : null);
        }
    }

    public NodeExpectation {
        // Plans stored before channels were pinned have none.
        otherChannels = otherChannels == null ? List.of() : List.copyOf(otherChannels);
    }

    public NodeExpectation(String node, boolean reachable, Instant startedAt, ThreadState ioThread,
                           ThreadState sqlThread, int ioErrno, int sqlErrno, BinlogCoordinates received,
                           BinlogCoordinates executed) {
        this(node, reachable, startedAt, ioThread, sqlThread, ioErrno, sqlErrno, received, executed, List.of(),
                null, null);
    }

    /** The same expectation, also pinned to the node's gtid_slave_pos as {@code s} shows it. */
    NodeExpectation withGtidSlavePos(NodeStatus s) {
        return new NodeExpectation(node, reachable, startedAt, ioThread, sqlThread, ioErrno, sqlErrno, received,
                executed, otherChannels, slavePosOf(s), gtidInDomain);
    }

    /** The same expectation, also pinned to the node's binlog GTID in {@code domain} as {@code s} shows it. */
    NodeExpectation withGtidInDomain(NodeStatus s, long domain) {
        return new NodeExpectation(node, reachable, startedAt, ioThread, sqlThread, ioErrno, sqlErrno, received,
                executed, otherChannels, gtidSlavePos, MariaDbGtid.inDomain(s.gtidBinlogPos(), domain).orElse(domain + "-"));
    }

    private static String slavePosOf(NodeStatus s) {
        return s.replica().map(c -> c.applier().gtidSlavePos()).orElse("");
    }

    /** Uptime is read a moment after the query starts, so start times wobble by a second or two. */
    private static final Duration RESTART_TOLERANCE = Duration.ofSeconds(5);

    public static NodeExpectation of(NodeStatus s) {
        if (!s.reachable()) {
            return new NodeExpectation(s.node(), false, null, null, null, 0, 0, null, null);
        }
        Optional<ReplicaChannel> ch = s.replica();
        return new NodeExpectation(s.node(), true, s.startedAt().orElse(null),
                ch.map(ReplicaChannel::ioThread).orElse(null),
                ch.map(ReplicaChannel::sqlThread).orElse(null),
                ch.map(c -> c.ioError().code()).orElse(0),
                ch.map(c -> c.sqlError().code()).orElse(0),
                ch.filter(c -> c.ioThread() != ThreadState.RUNNING).map(ReplicaChannel::received).orElse(null),
                ch.filter(c -> c.sqlThread() != ThreadState.RUNNING).map(ReplicaChannel::executed).orElse(null),
                s.channels().stream().filter(c -> ch.isEmpty() || c != ch.get()).map(ChannelExpectation::of).toList(),
                null, null);
    }

    /** Human-readable differences, empty when the node still matches. */
    public List<String> differencesFrom(NodeStatus now) {
        List<String> diffs = new ArrayList<>();
        NodeExpectation n = of(now);
        if (reachable != n.reachable) {
            diffs.add(node + (n.reachable ? " is reachable again" : " is no longer reachable: " + now.unreachableReason()));
            return diffs;
        }
        if (!reachable) {
            return diffs;
        }
        if (startedAt != null && n.startedAt != null
                && Duration.between(startedAt, n.startedAt).abs().compareTo(RESTART_TOLERANCE) > 0) {
            diffs.add(node + " restarted since the plan was made (started " + n.startedAt + ", was " + startedAt + ")");
        }
        compare(diffs, "IO thread", ioThread, n.ioThread);
        compare(diffs, "SQL thread", sqlThread, n.sqlThread);
        compare(diffs, "IO error number", ioErrno, n.ioErrno);
        compare(diffs, "SQL error number", sqlErrno, n.sqlErrno);
        compare(diffs, "received position", received, n.received);
        compare(diffs, "executed position", executed, n.executed);
        if (gtidSlavePos != null) {
            compare(diffs, "gtid_slave_pos", gtidSlavePos, slavePosOf(now));
        }
        if (gtidInDomain != null) {
            long domain = Long.parseLong(gtidInDomain.substring(0, gtidInDomain.indexOf('-')));
            compare(diffs, "GTID position in domain " + domain, gtidInDomain,
                    MariaDbGtid.inDomain(now.gtidBinlogPos(), domain).orElse(domain + "-"));
        }
        for (ChannelExpectation was : otherChannels) {
            ChannelExpectation is = n.otherChannels.stream().filter(c -> c.channel().equals(was.channel()))
                    .findFirst().orElse(null);
            if (is == null) {
                diffs.add(node + " channel '" + was.channel() + "' no longer exists");
            } else if (!was.equals(is)) {
                diffs.add(node + " channel '" + was.channel() + "' changed: was " + was + ", now " + is);
            }
        }
        return diffs;
    }

    private void compare(List<String> diffs, String what, Object was, Object is) {
        if (!Objects.equals(was, is)) {
            diffs.add(node + " " + what + " was " + show(was) + ", now " + show(is));
        }
    }

    private static String show(Object o) {
        return o == null ? "n/a" : o.toString();
    }
}
