package io.mysqlresync.schedule;

import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ReplicationError;
import io.mysqlresync.replication.ServerVersion;
import io.mysqlresync.replication.ThreadState;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pair "shop" of node1 and node2 whose state a test sets node by node, read by the scheduler
 * through the same {@link ClusterReader} port as the JDBC reader. For the unit tests of the
 * scheduling decisions; the integration tests read real servers.
 */
final class FakeCluster implements ClusterReader {

    static final String NAME = "shop";
    private static final ServerVersion MARIADB = ServerVersion.parse("10.11.6-MariaDB-0+deb12u1",
            "Debian 12");

    /** How one node looks at the next read. */
    record Node(boolean up, ThreadState io, ThreadState sql, long lagSeconds, int ioErrno, String ioError,
                Instant startedAt) {
        static Node healthy(Instant startedAt) {
            return new Node(true, ThreadState.RUNNING, ThreadState.RUNNING, 0, 0, "", startedAt);
        }

        Node lagging(long seconds) {
            return new Node(up, ThreadState.RUNNING, ThreadState.RUNNING, seconds, 0, "", startedAt);
        }

        Node stoppedByOperator() {
            return new Node(up, ThreadState.STOPPED, ThreadState.STOPPED, -1, 0, "", startedAt);
        }

        Node sourceGone() {
            return new Node(up, ThreadState.CONNECTING, ThreadState.RUNNING, -1, 2003,
                    "error reconnecting to master 'repl@127.0.0.1:3307' - retry-time: 60  maximum-retries: 86400"
                            + "  message: Can't connect to MySQL server on '127.0.0.1' (111 \"Connection refused\")",
                    startedAt);
        }

        Node down() {
            return new Node(false, io, sql, lagSeconds, ioErrno, ioError, startedAt);
        }

        Node restartedAt(Instant at) {
            return new Node(true, ThreadState.RUNNING, ThreadState.RUNNING, 0, 0, "", at);
        }
    }

    private final Clock clock;
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    FakeCluster(Clock clock) {
        this.clock = clock;
        Instant booted = clock.instant().minus(Duration.ofDays(3));
        nodes.put("node1", Node.healthy(booted));
        nodes.put("node2", Node.healthy(booted));
    }

    void set(String node, Node state) {
        nodes.put(node, state);
    }

    Node node(String name) {
        return nodes.get(name);
    }

    int reads() {
        return reads.get();
    }

    @Override
    public ClusterStatus read(String cluster) {
        if (!NAME.equals(cluster)) {
            throw new IllegalArgumentException("unknown cluster '" + cluster + "'");
        }
        reads.incrementAndGet();
        Instant now = clock.instant();
        return new ClusterStatus(NAME, List.of(status("node1", "node2", now), status("node2", "node1", now)),
                Map.of("node1", "node2", "node2", "node1"));
    }

    private NodeStatus status(String name, String source, Instant now) {
        Node n = nodes.get(name);
        if (!n.up()) {
            return NodeStatus.unreachable(name, now, "Communications link failure (Connection refused)");
        }
        BinlogCoordinates head = new BinlogCoordinates("mysql-bin.000001", 4000);
        ReplicaChannel ch = new ReplicaChannel("", "127.0.0.1", 3307, "repl", source.equals("node1") ? 1 : 2,
                n.io(), n.sql(), head, head, new BinlogCoordinates("relay-bin.000002", 555),
                new ReplicationError(n.ioErrno(), n.ioError(), ""), ReplicationError.NONE,
                n.lagSeconds() < 0 ? OptionalLong.empty() : OptionalLong.of(n.lagSeconds()),
                false, "No", "", 0, "", ReplicationError.NONE);
        long uptime = Duration.between(n.startedAt(), now).toSeconds();
        return new NodeStatus(name, now, null, MARIADB, name.equals("node1") ? 1 : 2, uptime, false, false, "",
                List.of(new io.mysqlresync.replication.BinlogFile("mysql-bin.000001", 4000)), head, List.of(ch));
    }
}
