package io.mysqlresync.containers;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.config.Secret;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.mysql.JdbcClusterReader;
import io.mysqlresync.mysql.JdbcStatementRunner;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.recovery.ExecutionReport;
import io.mysqlresync.recovery.PlanExecutor;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.replication.Flavor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MySQL 8.4 variant of the real-server tests: an active-active GTID pair in two containers.
 * Runs where a Docker engine exists and is skipped cleanly elsewhere; the MariaDB sandbox tests
 * are the proof that always runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class MySql84PairContainerTest {

    private static final Network NETWORK = Network.newNetwork();

    @Container
    static final MySQLContainer<?> NODE1 = node("node1", 1);
    @Container
    static final MySQLContainer<?> NODE2 = node("node2", 2);

    private static NodeConnections connections;
    private static JdbcClusterReader reader;

    private static MySQLContainer<?> node(String alias, int serverId) {
        return new MySQLContainer<>("mysql:8.4")
                .withNetwork(NETWORK).withNetworkAliases(alias)
                .withCommand("--server-id=" + serverId, "--log-bin=mysql-bin", "--gtid-mode=ON",
                        "--enforce-gtid-consistency=ON", "--log-replica-updates=ON",
                        "--auto-increment-increment=2", "--auto-increment-offset=" + serverId);
    }

    private static void asRoot(MySQLContainer<?> node, String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection(node.getJdbcUrl(), "root", node.getPassword());
             Statement s = c.createStatement()) {
            for (String statement : sql) s.execute(statement);
        }
    }

    @BeforeAll
    static void activeActive() throws Exception {
        for (MySQLContainer<?> node : List.of(NODE1, NODE2)) {
            String source = node == NODE1 ? "node2" : "node1";
            asRoot(node,
                    "SET sql_log_bin = 0",
                    "CREATE USER 'repl'@'%' IDENTIFIED BY 'repl-pass'",
                    "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'",
                    "CREATE USER 'resync'@'%' IDENTIFIED BY 'resync-pass'",
                    "GRANT REPLICATION CLIENT, REPLICATION_SLAVE_ADMIN ON *.* TO 'resync'@'%'",
                    "SET sql_log_bin = 1",
                    "CHANGE REPLICATION SOURCE TO SOURCE_HOST='" + source + "', SOURCE_PORT=3306, SOURCE_USER='repl', "
                            + "SOURCE_PASSWORD='repl-pass', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1",
                    "START REPLICA");
        }
        ClusterConfig cluster = new ClusterConfig("mysql84", new Secret("resync"), new Secret("resync-pass"),
                Duration.ofSeconds(2), Duration.ofSeconds(5), List.of(
                new NodeConfig("node1", NODE1.getHost(), NODE1.getMappedPort(3306), "node2"),
                new NodeConfig("node2", NODE2.getHost(), NODE2.getMappedPort(3306), "node1")));
        connections = new NodeConnections(List.of(cluster));
        reader = new JdbcClusterReader(connections, 2, Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        if (reader != null) reader.close();
        if (connections != null) connections.close();
    }

    private static Diagnosis diagnose() {
        return new Diagnoser(new Thresholds(30, 0)).diagnose(reader.read("mysql84"));
    }

    private static Diagnosis awaitDiagnosis(java.util.function.Predicate<Diagnosis> done) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Diagnosis d = diagnose();
        while (!done.test(d) && System.nanoTime() < until) {
            Thread.sleep(250);
            d = diagnose();
        }
        return d;
    }

    @Test
    void anOperatorStopOnMysql84IsDiagnosedInItsOwnWordsAndRepairedWithStartReplica() throws Exception {
        Diagnosis healthy = awaitDiagnosis(Diagnosis::inSync);
        assertTrue(healthy.inSync(), healthy.findings().toString());
        assertEquals(Flavor.MYSQL, healthy.status().node("node1").orElseThrow().version().flavor());

        asRoot(NODE2, "STOP REPLICA");
        Diagnosis stopped = diagnose();
        Finding f = stopped.on("node2").get(0);
        assertEquals(FindingKind.THREADS_STOPPED_BY_OPERATOR, f.kind());
        assertTrue(f.evidence().stream().anyMatch(e -> e.field().equals("Replica_IO_Running")), f.evidence().toString());

        RecoveryPlan plan = new Planner().plan(stopped, "p-mysql84a", stopped.at());
        assertEquals(List.of("START REPLICA"), plan.option(Planner.RESYNC).orElseThrow().steps().get(0).statements());
        ExecutionReport report = new PlanExecutor(reader, new JdbcStatementRunner(connections))
                .execute(plan, Planner.RESYNC, o -> { });
        assertTrue(report.succeeded(), report.toString());
        assertTrue(awaitDiagnosis(Diagnosis::inSync).inSync());
    }
}
