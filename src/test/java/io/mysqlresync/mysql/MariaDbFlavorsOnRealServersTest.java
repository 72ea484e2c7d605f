package io.mysqlresync.mysql;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.Secret;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.recovery.PlanOption;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.recovery.SqlDialect;
import io.mysqlresync.recovery.StatementOutcome;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.sandbox.SandboxCluster;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15's MariaDB rows on real mariadbd: a named connection diagnosed and addressed by name,
 * and the GTID skip that replaces the skip counter with parallel replication and several
 * domains, where the real server refuses the counter with 1966.
 */
@ExtendWith(RealServers.class)
class MariaDbFlavorsOnRealServersTest {

    private static final String CLUSTER = "sandbox";
    private LocalPair pair;

    @AfterEach
    void cleanUp() throws Exception {
        if (pair == null) return;
        try {
            pair.node2().execute("STOP SLAVE 'eu'", "RESET SLAVE 'eu' ALL");
        } catch (SQLException ignored) {
            // no such connection in this test
        }
        pair.node2().execute("STOP SLAVE", "SET GLOBAL slave_parallel_threads = 0", "START SLAVE");
    }

    private Diagnosis diagnose() {
        ClusterConfig cluster = SandboxCluster.of(CLUSTER, pair);
        try (NodeConnections connections = new NodeConnections(List.of(cluster));
             JdbcClusterReader reader = new JdbcClusterReader(connections, 4, Clock.systemUTC())) {
            return new Diagnoser(new Thresholds(5, 0)).diagnose(reader.read(CLUSTER));
        }
    }

    @Test
    void aNamedConnectionIsDiagnosedOnItsOwnAndItsStatementsNameIt(LocalPair pair) throws Exception {
        this.pair = pair;
        pair.reset(ReplicationMode.FILE_POS);
        int nothingListens;
        try (ServerSocket s = new ServerSocket(0)) {
            nothingListens = s.getLocalPort();
        }
        pair.node2().execute("CHANGE MASTER 'eu' TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + nothingListens
                + ", MASTER_USER='repl', MASTER_PASSWORD='x', MASTER_CONNECT_RETRY=1", "START SLAVE 'eu'");
        pair.awaitReplica(Node.NODE2, "any", s -> true);
        long deadline = System.nanoTime() + 30_000_000_000L;
        Diagnosis d;
        do {
            d = diagnose();
        } while (d.on("node2").stream().noneMatch(f -> f.channel().equals("eu") && f.kind() == FindingKind.SOURCE_UNREACHABLE)
                && System.nanoTime() < deadline);
        List<Finding> node2 = d.on("node2");
        assertTrue(node2.stream().anyMatch(f -> f.channel().isEmpty() && f.kind() == FindingKind.HEALTHY), node2.toString());
        Finding eu = node2.stream().filter(f -> f.channel().equals("eu")).findFirst().orElseThrow();
        assertEquals(FindingKind.SOURCE_UNREACHABLE, eu.kind());
        assertTrue(eu.summary().endsWith("(connection 'eu')"), eu.summary());

        // The statements a plan uses for a named connection, run on the real server.
        SqlDialect sql = SqlDialect.of(d.status().node("node2").orElseThrow().version()).forChannel("eu");
        pair.node2().execute(sql.stopReplica());
        pair.node2().execute(sql.skipOneEventStatements().toArray(String[]::new));
        pair.node2().execute(sql.changeSourceToGtidPosition("Current_Pos"), sql.startIoThread(), sql.stopIoThread());
        ReplicaChannel ch = diagnose().status().node("node2").orElseThrow().channels().stream()
                .filter(c -> c.channelName().equals("eu")).findFirst().orElseThrow();
        assertEquals("Current_Pos", ch.gtidMode(), "CHANGE MASTER 'eu' changed that connection only");
        assertEquals("No", pair.replicaStatus(Node.NODE2).orElseThrow().get("Using_Gtid"), "the default one is untouched");
    }

    /**
     * The skip on a named connection chooses it with @@default_master_connection, a session
     * setting on the node connection every later plan shares: a later STOP SLAVE for the default
     * connection must still stop the default one, after a skip that ran (bot granted SUPER) and
     * after one the least-privilege bot could not finish (1227 between choice and reset).
     */
    @Test
    void afterAPlanOnANamedConnectionAPlanForTheDefaultOneActsOnTheDefaultOne(LocalPair pair) throws Exception {
        this.pair = pair;
        pair.reset(ReplicationMode.FILE_POS);
        int nothingListens;
        try (ServerSocket s = new ServerSocket(0)) {
            nothingListens = s.getLocalPort();
        }
        pair.node2().execute("CHANGE MASTER 'eu' TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + nothingListens
                + ", MASTER_USER='repl', MASTER_PASSWORD='x', MASTER_CONNECT_RETRY=1");
        SqlDialect defaultOne = SqlDialect.of(diagnose().status().node("node2").orElseThrow().version());
        SqlDialect eu = defaultOne.forChannel("eu");
        List<String> skipOnEu = new ArrayList<>(List.of(eu.stopReplica()));
        skipOnEu.addAll(eu.skipOneEventStatements());

        ClusterConfig bot = SandboxCluster.of(CLUSTER, pair);
        ClusterConfig withSuper = new ClusterConfig(CLUSTER, new Secret(Account.ROOT.user()),
                new Secret(Account.ROOT.password()), bot.connectTimeout(), bot.readTimeout(), bot.nodes());
        try (NodeConnections connections = new NodeConnections(List.of(withSuper))) {
            JdbcStatementRunner runner = new JdbcStatementRunner(connections);
            for (String sql : skipOnEu) {
                StatementOutcome o = runner.run(CLUSTER, "node2", sql);
                assertTrue(o.succeeded(), o.toString());
            }
            assertTrue(runner.run(CLUSTER, "node2", defaultOne.stopReplica()).succeeded());
            assertEquals("No", pair.replicaStatus(Node.NODE2).orElseThrow().get("Slave_SQL_Running"),
                    "STOP SLAVE without a name stopped the default connection, not 'eu'");
            assertTrue(runner.run(CLUSTER, "node2", defaultOne.startReplica()).succeeded());
        }
        pair.awaitReplica(Node.NODE2, "the default connection runs again", st -> "Yes".equals(st.get("Slave_SQL_Running")));

        try (NodeConnections connections = new NodeConnections(List.of(bot))) {
            JdbcStatementRunner runner = new JdbcStatementRunner(connections);
            List<StatementOutcome> ran = new ArrayList<>();
            for (String sql : skipOnEu) {
                StatementOutcome o = runner.run(CLUSTER, "node2", sql);
                ran.add(o);
                if (!o.succeeded()) break;
            }
            assertEquals(3, ran.size(), ran.toString());
            assertEquals(1227, ran.get(2).errorCode(), "the bot lacks SUPER for the skip counter: " + ran);
            assertTrue(runner.run(CLUSTER, "node2", defaultOne.stopReplica()).succeeded());
            assertEquals("No", pair.replicaStatus(Node.NODE2).orElseThrow().get("Slave_SQL_Running"),
                    "after a plan that stopped midway STOP SLAVE without a name still means the default connection");
        }
    }

    @Test
    void withParallelReplicationAndTwoDomainsTheCounterIsRefusedAndTheGtidSkipWorks(LocalPair pair) throws Exception {
        this.pair = pair;
        pair.reset(ReplicationMode.GTID);
        pair.node2().execute("STOP SLAVE", "SET GLOBAL slave_parallel_threads = 4", "START SLAVE");
        // Two replication domains applied on node2: node1's own and another gtid_domain_id.
        pair.writeRows(Node.NODE1, 1);
        pair.awaitInSync();
        pair.node1().execute("SET SESSION gtid_domain_id = 7",
                "INSERT INTO demo.items (id, origin, payload) VALUES (990001, 'domain7', 'x')");
        pair.awaitInSync();
        Map<String, String> stopped = pair.causeDuplicateKey(Node.NODE2);
        assertEquals("1062", stopped.get("Last_SQL_Errno"));

        String slavePos = pair.node2().query("SELECT @@gtid_slave_pos AS p").get(0).get("p");
        assertEquals(2, slavePos.split(",").length, "two domains applied from node1: " + slavePos);
        // The real server refuses the counter here (ER_SLAVE_SKIP_NOT_IN_GTID).
        SQLException refused = assertThrows(SQLException.class, () -> pair.node2().execute("SET GLOBAL sql_slave_skip_counter = 1"));
        assertEquals(1966, refused.getErrorCode(), refused.getMessage());

        Diagnosis d = diagnose();
        assertTrue(d.on("node2").stream().anyMatch(f -> f.kind() == FindingKind.DUPLICATE_KEY), d.findings().toString());
        // The failing GTID comes from the source binlog: the Gtid event at Exec_Master_Log_Pos.
        String failing = d.status().node("node2").orElseThrow().replica().orElseThrow().applier().failingTransaction();
        assertTrue(failing.matches("\\d+-\\d+-\\d+"), "failing GTID read: '" + failing + "'");
        RecoveryPlan plan = new Planner().plan(d, "p-real", Instant.now());
        PlanOption skip = plan.options().stream().filter(o -> o.id().equals(Planner.SKIP_EVENT)).findFirst().orElseThrow();
        List<String> statements = skip.steps().stream().flatMap(s -> s.statements().stream()).toList();
        assertEquals("STOP ALL SLAVES", statements.get(0));
        assertTrue(statements.get(1).startsWith("SET GLOBAL gtid_slave_pos = '"), statements.toString());
        assertEquals("START ALL SLAVES", statements.get(2));
        assertTrue(statements.stream().noneMatch(s -> s.contains("skip_counter")), statements.toString());

        pair.node2().execute(statements.toArray(String[]::new));
        pair.awaitReplica(Node.NODE2, "the SQL thread runs past the skipped event",
                s -> "Yes".equals(s.get("Slave_SQL_Running")) && "0".equals(s.get("Last_SQL_Errno")));
    }
}
