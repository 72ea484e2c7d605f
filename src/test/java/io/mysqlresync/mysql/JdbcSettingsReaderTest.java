package io.mysqlresync.mysql;

import io.mysqlresync.audit.Auditor;
import io.mysqlresync.audit.ClusterSettings;
import io.mysqlresync.audit.NodeSettings;
import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.config.Secret;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the audit's variables: the privileges it needs (none), and a node that cannot be read. */
@ExtendWith(RealServers.class)
class JdbcSettingsReaderTest {

    private final List<String> names = new Auditor().variables();

    @Test
    void aLoginWithNoGrantAtAllReadsWhatRootReads(LocalPair pair) throws Exception {
        LocalServer node1 = pair.node1();
        // sql_log_bin=0: the throwaway login stays on node1 and never replicates.
        node1.execute("SET sql_log_bin = 0", "CREATE USER 'nogrant'@'127.0.0.1' IDENTIFIED BY 'nogrant-pw'");
        try {
            NodeSettings asRoot;
            NodeSettings unprivileged;
            try (Connection root = node1.connect(Account.ROOT)) {
                asRoot = JdbcSettingsReader.read(root, "node1", names);
            }
            try (Connection none = DriverManager.getConnection(node1.jdbcUrl(), "nogrant", "nogrant-pw")) {
                unprivileged = JdbcSettingsReader.read(none, "node1", names);
            }
            // Every variable and status value; only the replica status column needs SLAVE MONITOR,
            // which the bot has and this login does not.
            Map<String, String> rootWithoutReplicaStatus = new HashMap<>(asRoot.variables());
            rootWithoutReplicaStatus.remove(JdbcSettingsReader.USING_GTID);
            assertEquals(rootWithoutReplicaStatus, unprivileged.variables());
            assertEquals("1", unprivileged.variables().get("server_id"));
            assertTrue(unprivileged.variables().containsKey("sync_binlog"));
            if (unprivileged.version().flavor() == Flavor.MARIADB) {
                // A status variable, asked for in lower case, read through the same list.
                assertTrue(unprivileged.variables().containsKey("slave_heartbeat_period"), unprivileged.variables().toString());
                assertEquals("No", asRoot.variables().get(JdbcSettingsReader.USING_GTID), "file/position replication");
            }
        } finally {
            node1.execute("SET sql_log_bin = 0", "DROP USER 'nogrant'@'127.0.0.1'");
        }
    }

    @Test
    void aNodeThatCannotBeReadIsNamedWithTheReasonAndTheOtherIsStillRead(LocalPair pair) throws Exception {
        int refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort();
        }
        ClusterConfig cluster = new ClusterConfig("c", new Secret(Account.BOT.user()), new Secret(Account.BOT.password()),
                Duration.ofSeconds(2), Duration.ofSeconds(2),
                List.of(new NodeConfig("node1", pair.node1().host(), pair.node1().port(), "node2"),
                        new NodeConfig("node2", "127.0.0.1", refused, "node1")));
        try (NodeConnections connections = new NodeConnections(List.of(cluster))) {
            ClusterSettings read = new JdbcSettingsReader(connections, names).read("c");
            assertEquals(List.of("node1"), read.nodes().stream().map(NodeSettings::node).toList());
            assertTrue(read.unreadable().get("node2").startsWith("connection refused"), read.unreadable().toString());
            assertFalse(read.unreadable().get("node2").contains(Account.BOT.password()));
        }
    }
}
