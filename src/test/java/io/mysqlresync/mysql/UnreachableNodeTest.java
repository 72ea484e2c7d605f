package io.mysqlresync.mysql;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.config.Secret;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes that cannot be read, on real sockets: nothing listening, and a listener that accepts
 * the connection and never says a word (a hung server). Both come back unreachable, with a
 * reason a DBA can act on, within the configured timeouts.
 */
class UnreachableNodeTest {

    private static ClusterStatus read(int port1, int port2, Duration connect, Duration read) {
        ClusterConfig cluster = new ClusterConfig("c", new Secret("resync"), new Secret("top-secret-pw"), connect, read,
                List.of(new NodeConfig("node1", "127.0.0.1", port1, "node2"),
                        new NodeConfig("node2", "127.0.0.1", port2, "node1")));
        try (NodeConnections connections = new NodeConnections(List.of(cluster));
             JdbcClusterReader reader = new JdbcClusterReader(connections, 2, Clock.systemUTC())) {
            return reader.read("c");
        }
    }

    @Test
    void nothingListeningIsConnectionRefused() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        NodeStatus n = read(free, free, Duration.ofSeconds(2), Duration.ofSeconds(2)).node("node1").orElseThrow();
        assertFalse(n.reachable());
        assertTrue(n.unreachableReason().startsWith("connection refused"), n.unreachableReason());
        assertFalse(n.unreachableReason().contains("top-secret-pw"));
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersIsReportedWithinTheReadTimeout() throws Exception {
        // The backlog accepts the TCP handshake; nobody ever reads or writes: a hung mysqld.
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            ClusterStatus status = read(hung.getLocalPort(), hung.getLocalPort(), Duration.ofSeconds(1),
                    Duration.ofSeconds(1));
            long millis = (System.nanoTime() - start) / 1_000_000;
            NodeStatus n = status.node("node1").orElseThrow();
            assertFalse(n.reachable());
            assertTrue(n.unreachableReason().contains("timed out") || n.unreachableReason().contains("no answer"),
                    n.unreachableReason());
            // Bounded, not fast: a hung node must never hang the read (the speed is in BENCHMARKS.md).
            assertTrue(millis < 10_000, "took " + millis + " ms");
        }
    }
}
