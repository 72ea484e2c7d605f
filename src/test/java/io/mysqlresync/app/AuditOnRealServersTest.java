package io.mysqlresync.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.audit.ClusterSettings;
import io.mysqlresync.audit.Auditor;
import io.mysqlresync.audit.Cause;
import io.mysqlresync.audit.IncidentCauses;
import io.mysqlresync.audit.Safety;
import io.mysqlresync.audit.SettingFinding;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.mysql.JdbcClusterReader;
import io.mysqlresync.mysql.JdbcSettingsReader;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.sandbox.ServerBinary;
import io.mysqlresync.sandbox.WriteLoad;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash-safety audit against real pairs, read as the least-privilege bot user (the sandbox's
 * account has exactly the README's grants): one pair started as the README recommends, one with
 * four settings left as they ship or set wrong. Tests run in order: the last one changes the
 * unsafe pair.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditOnRealServersTest {

    private static LocalPair recommended;
    private static LocalPair unsafe;

    @TempDir
    static Path state;

    /** The settings of the README's "Make crashes cheap" for this flavor (the sandbox already sets ROW, log_slave_updates, ids, offsets and domains). */
    private static List<String> recommendedOptions(ServerBinary binary) {
        if (binary.isMariaDb()) {
            return List.of("--sync-binlog=1", "--innodb-flush-log-at-trx-commit=1", "--relay-log-recovery=ON",
                    "--gtid-strict-mode=ON", "--slave-net-timeout=20", "--binlog-expire-logs-seconds=604800");
        }
        return List.of("--sync-binlog=1", "--innodb-flush-log-at-trx-commit=1", "--relay-log-recovery=ON",
                "--replica-net-timeout=20");
    }

    /** Recommended, except: sync_binlog=0, relay_log_recovery off, slave_net_timeout left at its 60 s default. */
    private static List<String> unsafeOptions(ServerBinary binary) {
        List<String> options = new ArrayList<>(recommendedOptions(binary).stream()
                .filter(o -> !o.startsWith("--slave-net-timeout") && !o.startsWith("--replica-net-timeout")).toList());
        options.add("--sync-binlog=0");
        options.add("--relay-log-recovery=OFF");
        return options;
    }

    @BeforeAll
    static void startPairs() throws Exception {
        ServerBinary binary = RealServers.requireServerBinary();
        recommended = LocalPair.start(ReplicationMode.FILE_POS, recommendedOptions(binary), recommendedOptions(binary));
        List<String> node2 = new ArrayList<>(unsafeOptions(binary));
        node2.add("--auto-increment-offset=1"); // the same as node1: both hand out 1, 3, 5 ...
        unsafe = LocalPair.start(ReplicationMode.FILE_POS, unsafeOptions(binary), node2);
    }

    @AfterAll
    static void stopPairs() {
        if (recommended != null) recommended.close();
        if (unsafe != null) unsafe.close();
    }

    private static AuditReport audit(LocalPair pair) {
        AppConfig config = Demo.config(pair, state);
        Auditor auditor = new Auditor();
        try (NodeConnections connections = new NodeConnections(config.clusters())) {
            ClusterSettings settings =
                    new JdbcSettingsReader(connections, auditor.variables()).read(Demo.CLUSTER);
            return auditor.audit(Demo.CLUSTER, settings.nodes(), settings.unreadable());
        }
    }

    private static Set<String> problems(AuditReport report) {
        return report.problems().stream().map(f -> f.node() + " " + f.item() + " " + f.safety())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private record Run(int code, String out, String err) {
    }

    private static Run command(LocalPair pair, boolean json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AuditCommand.run(Demo.config(pair, state), Demo.CLUSTER, json,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Order(1)
    void aPairStartedAsRecommendedHasNothingRiskyOrUnsafe() throws Exception {
        AuditReport report = audit(recommended);
        assertEquals(Set.of(), problems(report), report.problems().toString());
        assertEquals(Set.of(), report.unreadable().keySet(), "the bot user reads every node: " + report.unreadable());
        assertTrue(report.findings().size() >= 2 * 12, "every item listed: " + report.findings());
        if (recommended.node1().binary().isMariaDb()) {
            // Read from SHOW GLOBAL STATUS: CHANGE MASTER fixed it at half of slave_net_timeout=20.
            assertEquals("10.000", report.find("node1", "heartbeat_period").orElseThrow().current());
        }

        Run run = command(recommended, false);
        assertEquals(AuditCommand.FINE, run.code(), run.out() + run.err());
        assertTrue(run.out().startsWith("Crash-safety audit of demo: FINE"), run.out());

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(Main.USAGE, AuditCommand.run(Demo.config(recommended, state), "prod", false,
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals("unknown cluster 'prod'; configured clusters: demo\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Order(2)
    void aPairWithUnsafeSettingsGetsExactlyThoseFindings() throws Exception {
        AuditReport report = audit(unsafe);
        String timeout = unsafe.node1().binary().isMariaDb() ? "slave_net_timeout" : "replica_net_timeout";
        assertEquals(new TreeSet<>(Set.of(
                "node1 sync_binlog UNSAFE", "node1 relay_log_recovery UNSAFE", "node1 net_timeout RISKY",
                "node2 sync_binlog UNSAFE", "node2 relay_log_recovery UNSAFE", "node2 net_timeout RISKY",
                "node2 auto_increment UNSAFE")), problems(report), report.problems().toString());
        SettingFinding net = report.find("node1", "net_timeout").orElseThrow();
        assertEquals(timeout, net.setting());
        assertEquals("60", net.current());
        SettingFinding ids = report.find("node2", "auto_increment").orElseThrow();
        assertEquals("auto_increment_increment=2, auto_increment_offset=1", ids.current());

        Run run = command(unsafe, true);
        assertEquals(AuditCommand.UNSAFE, run.code(), run.err());
        JsonNode doc = Json.MAPPER.readTree(run.out());
        assertEquals("UNSAFE", doc.get("worst").asText());
        JsonNode first = doc.get("findings").get(0);
        assertEquals("node1", first.get("node").asText());
        assertEquals("sync_binlog", first.get("item").asText());
        assertEquals("SET GLOBAL sync_binlog = 1", first.get("fix").get("sql").get(0).asText(), run.out());
        assertFalse(run.out().contains("sandbox-resync"), "the bot's password never appears in output");
    }

    private static Diagnosis diagnose(LocalPair pair) {
        AppConfig config = Demo.config(pair, state);
        try (NodeConnections connections = new NodeConnections(config.clusters());
             JdbcClusterReader reader = new JdbcClusterReader(connections, 2, Clock.systemUTC())) {
            return new Diagnoser(Thresholds.DEFAULT).diagnose(reader.read(Demo.CLUSTER));
        }
    }

    private static List<String> causes(LocalPair pair, Diagnosis d) {
        return IncidentCauses.explain(d.findings(), audit(pair)).stream().map(Cause::sentence).toList();
    }

    @Test
    @Order(3)
    void writesOnBothNodesCollideOnTheSharedOffsetAndTheAuditSaysSo() throws Exception {
        try (WriteLoad load = unsafe.startWriteLoad(LocalPair.Node.NODE1, LocalPair.Node.NODE2)) {
            unsafe.awaitReplica(LocalPair.Node.NODE1, "node1 stops on a duplicate key",
                    s -> "1062".equals(s.get("Last_SQL_Errno")));
        }
        Diagnosis d = diagnose(unsafe);
        assertTrue(causes(unsafe, d).contains("node2 and node1 hand out the same auto-increment ids"
                + " (auto_increment_increment=2, auto_increment_offset=1 on node2): rows inserted on both at once"
                + " collided, which is why node1 stopped on a duplicate key"), causes(unsafe, d).toString());
        unsafe.reset();
    }

    @Test
    @Order(4)
    void theSeedCrashIsExplainedBySyncBinlogZeroAndRelayLogRecoveryOff() throws Exception {
        // Ids apart first, as the audit says: else the seed's writes on both nodes collide before the crash.
        SettingFinding ids = audit(unsafe).find("node2", "auto_increment").orElseThrow();
        unsafe.node2().execute(ids.fix().sql().toArray(String[]::new));

        unsafe.reproduceSeedIncident();
        Diagnosis d = diagnose(unsafe);

        String node1Binlog = "node1 runs sync_binlog=0: the power cut lost its binlog tail, which is why node2 asked"
                + " for a position past the end";
        String node1Relay = "node1 runs relay_log_recovery=OFF: it kept the relay log the crash tore instead of"
                + " fetching it again from node2, which is why its SQL thread stopped on a relay log read failure";
        assertEquals(List.of(node1Relay, node1Binlog), causes(unsafe, d), d.findings().toString());

        // diagnose --json and its text name them too, the setting's fix alongside.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = DiagnoseCommand.run(Demo.config(unsafe, state), Demo.CLUSTER, true,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(DiagnoseCommand.BROKEN, code);
        JsonNode doc = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
        List<String> sentences = new ArrayList<>();
        doc.get("causes").forEach(c -> sentences.add(c.get("sentence").asText()));
        assertEquals(List.of(node1Relay, node1Binlog), sentences, doc.get("causes").toString());
        JsonNode binlogCause = doc.get("causes").get(1);
        assertEquals("node1", binlogCause.get("setting").get("node").asText());
        assertEquals("0", binlogCause.get("setting").get("current").asText());
        assertEquals("SET GLOBAL sync_binlog = 1", binlogCause.get("setting").get("fix").get("sql").get(0).asText());
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        DiagnoseCommand.run(Demo.config(unsafe, state), Demo.CLUSTER, false,
                new PrintStream(text, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertTrue(text.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ").contains("- " + node1Binlog), text.toString());
        unsafe.reset();
    }

    @Test
    @Order(5)
    void aMariaDbReplicaResumingByGtidNeedsNoRelayLogRecovery() throws Exception {
        Assumptions.assumeTrue(unsafe.node1().binary().isMariaDb(), "MariaDB's GTID replica behaviour");
        unsafe.reset(ReplicationMode.GTID);
        try {
            AuditReport report = audit(unsafe);
            assertEquals(Safety.FINE, report.find("node1", "relay_log_recovery").orElseThrow().safety());
            assertEquals("OFF", report.find("node1", "relay_log_recovery").orElseThrow().current());
            assertEquals(Safety.UNSAFE, report.find("node1", "sync_binlog").orElseThrow().safety());
        } finally {
            unsafe.reset(ReplicationMode.FILE_POS);
        }
    }

    @Test
    @Order(6)
    void applyingTheRecommendedFixesByHandLeavesNothingToFlag() throws Exception {
        // The audit never applies anything; this proves its statements are valid and sufficient
        // on the real server (run as root: the bot may not SET GLOBAL). On MySQL relay_log_recovery
        // is PERSIST_ONLY, which only a restart with mysqld-auto.cnf shows (not read under --no-defaults).
        Assumptions.assumeTrue(unsafe.node1().binary().isMariaDb(), "every fix here is dynamic on MariaDB only");
        AuditReport before = audit(unsafe);
        for (SettingFinding f : before.problems()) {
            LocalPair.Node node = f.node().equals("node1") ? LocalPair.Node.NODE1 : LocalPair.Node.NODE2;
            assertFalse(f.fix().restartNeeded(), f + " should apply without a restart on MariaDB");
            unsafe.server(node).execute(f.fix().sql().toArray(String[]::new));
        }
        AuditReport after = audit(unsafe);
        assertEquals(Set.of(), problems(after), after.problems().toString());
        assertEquals(AuditCommand.FINE, command(unsafe, false).code());
    }
}
