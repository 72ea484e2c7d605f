package io.mysqlresync.mysql;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.config.Secret;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica that stopped polling a node (its shard went to another replica) lets the node's
 * connection go after the idle limit, on a real server: the server's process list loses the
 * session; the next poll opens a new one. A node polled more often than the limit keeps its one
 * connection.
 */
@ExtendWith(RealServers.class)
class IdleNodeConnectionsTest {

    private static final Duration IDLE = Duration.ofSeconds(2);

    @Test
    void aNodeNotPolledForTheIdleLimitHasItsConnectionClosedAndReopenedWhenPolledAgain(LocalPair pair) throws Exception {
        ClusterConfig cluster = new ClusterConfig("c", new Secret(Account.BOT.user()), new Secret(Account.BOT.password()),
                Duration.ofSeconds(2), Duration.ofSeconds(2),
                List.of(new NodeConfig("node1", pair.node1().host(), pair.node1().port(), null),
                        new NodeConfig("node2", pair.node2().host(), pair.node2().port(), null)));
        try (NodeConnections connections = new NodeConnections(List.of(cluster), IDLE)) {
            long first = connectionId(connections, "node1");
            long kept = connectionId(connections, "node2");
            assertTrue(sessionExists(pair.node1().query("SHOW PROCESSLIST"), first), "node1's session is open on the server");

            // node2 is polled every half second, node1 not at all.
            long idleSince = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertEquals(kept, connectionId(connections, "node2"), "node2, in use, keeps its connection");
                return !connections.isOpen("c", "node1");
            });
            long closedAfterMs = (System.nanoTime() - idleSince) / 1_000_000;
            assertTrue(closedAfterMs >= IDLE.toMillis() - 100, "closed after " + closedAfterMs + " ms, before the idle limit");
            // The server saw the session end (a close, not a connection left to time out).
            await().atMost(Duration.ofSeconds(5)).until(() -> !sessionExists(pair.node1().query("SHOW PROCESSLIST"), first));
            assertTrue(connections.isOpen("c", "node2"));
            assertEquals(1, connections.openCount());

            // Polled again: a new connection, which works.
            long again = connectionId(connections, "node1");
            assertNotEquals(first, again, "a new session on node1");
            assertTrue(connections.isOpen("c", "node1"));
            assertTrue(sessionExists(pair.node1().query("SHOW PROCESSLIST"), again));
            assertEquals(2, connections.openCount());
        }
    }

    @Test
    void withoutAnIdleLimitAConnectionIsKept(LocalPair pair) throws Exception {
        ClusterConfig cluster = new ClusterConfig("c", new Secret(Account.BOT.user()), new Secret(Account.BOT.password()),
                Duration.ofSeconds(2), Duration.ofSeconds(2),
                List.of(new NodeConfig("node1", pair.node1().host(), pair.node1().port(), null)));
        try (NodeConnections connections = new NodeConnections(List.of(cluster))) {
            long id = connectionId(connections, "node1");
            assertEquals(0, connections.closeIdle(Duration.ofHours(1)), "used just now: not idle");
            // Proving that nothing happens needs a wait: longer than the other test's limit.
            Thread.sleep(IDLE.toMillis() + 500);
            assertTrue(connections.isOpen("c", "node1"));
            assertEquals(id, connectionId(connections, "node1"));
            Thread.sleep(10);
            assertEquals(1, connections.closeIdle(Duration.ofMillis(1)), "an explicit closeIdle still closes it");
            assertFalse(connections.isOpen("c", "node1"));
        }
    }

    /** The server's id of the session the node's kept connection is, used as a poll would (under the node's lock). */
    private static long connectionId(NodeConnections connections, String node) throws SQLException {
        synchronized (connections.lockFor("c", node)) {
            Connection c = connections.connection("c", node);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static boolean sessionExists(List<java.util.Map<String, String>> processList, long id) {
        return processList.stream().anyMatch(row -> Long.parseLong(row.get("Id")) == id);
    }
}
