package io.mysqlresync.slack;

import io.mysqlresync.audit.Auditor;
import io.mysqlresync.audit.CrashSafety;
import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.console.ConsoleSession;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.incident.ScheduledAudit;
import io.mysqlresync.mysql.CachedSettingsReader;
import io.mysqlresync.mysql.JdbcClusterReader;
import io.mysqlresync.mysql.JdbcSettingsReader;
import io.mysqlresync.mysql.JdbcStatementRunner;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.recovery.PlanExecutor;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.schedule.ResyncScheduler;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.sandbox.SandboxCluster;
import io.mysqlresync.store.JdbcAuditReports;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.slack.Ack;
import io.mysqlresync.testsupport.slack.ApiCall;
import io.mysqlresync.testsupport.slack.PostedMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.mysqlresync.slack.BotHarness.BOB;
import static io.mysqlresync.slack.BotHarness.INCIDENTS;
import static io.mysqlresync.slack.BotHarness.OPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash-safety audit wired into the conversation, on a real pair started with
 * {@code sync_binlog=0} on both nodes (MariaDB's default, set explicitly so a MySQL binary gets it
 * too): {@code /mysql-resync audit} against the fake Slack, the scheduled audit posting only
 * changes, the seed crash's plan naming the setting that caused it, and the terminal. Tests run
 * in order: the scheduled audit changes a setting and puts it back; the last one crashes node1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class AuditInSlackRealServersTest {

    private static final String CLUSTER = "shop";
    private static final String SYNC_BINLOG_CAUSE = "node1 runs sync_binlog=0: the power cut lost its binlog tail,"
            + " which is why node2 asked for a position past the end";

    private static LocalPair pair;
    private static NodeConnections connections;
    private static JdbcClusterReader reader;
    private static StateFixture state;
    private static CrashSafety crashSafety;
    private static ResyncService service;
    private static BotHarness h;

    @BeforeAll
    static void start() throws Exception {
        RealServers.requireServerBinary();
        pair = LocalPair.start(ReplicationMode.FILE_POS, List.of("--sync-binlog=0"), List.of("--sync-binlog=0"));
        ClusterConfig cluster = SandboxCluster.of(CLUSTER, pair);
        connections = new NodeConnections(List.of(cluster));
        reader = new JdbcClusterReader(connections, 8, Clock.systemUTC());
        state = StateFixture.fresh();
        Auditor auditor = new Auditor();
        JdbcSettingsReader fresh = new JdbcSettingsReader(connections, auditor.variables());
        crashSafety = new CrashSafety(fresh, new CachedSettingsReader(fresh, Duration.ofMinutes(1)), auditor);
        service = new ResyncService(List.of(CLUSTER), reader, new Diagnoser(Thresholds.DEFAULT), new Planner(),
                new PlanExecutor(reader, new JdbcStatementRunner(connections)), state.store, BotHarness.policy(),
                BotHarness.PLAN_EXPIRY, Clock.systemUTC());
        service.explainWith(crashSafety);
        h = new BotHarness(service, List.of());
    }

    @AfterAll
    static void stop() {
        try {
            if (h != null) {
                h.assertNoSecretLeaked(Account.BOT.password(), Account.REPLICATION.password(), Account.ROOT.password());
                h.close();
            }
        } finally {
            if (reader != null) reader.close();
            if (connections != null) connections.close();
            if (state != null) state.close();
            if (pair != null) pair.close();
        }
    }

    private static List<AuditEntry> audits() {
        return state.store.history(CLUSTER, 100).stream().filter(e -> e.action().equals("audit")).toList();
    }

    private static List<PostedMessage> inIncidentChannel() {
        return h.fake.messages().stream().filter(m -> m.channel().equals(INCIDENTS)).toList();
    }

    @Test
    @Order(1)
    void theAuditCommandNamesSyncBinlogOnEachNodeWithItsFix() {
        Ack ack = h.command("audit " + CLUSTER, BOB, OPS);
        assertTrue(ack.latency().compareTo(Duration.ofSeconds(3)) < 0, "ack " + ack.latency());

        PostedMessage m = h.awaitMessage("Crash-safety audit of shop");
        String text = BotHarness.text(m);
        assertEquals(OPS, m.channel());
        for (String node : List.of("node1", "node2")) {
            int section = text.indexOf("*" + node + "*: ");
            int finding = text.indexOf("*UNSAFE* " + node + " `sync_binlog = 0`, recommended `1`");
            assertTrue(section >= 0 && finding > section, node + "'s sync_binlog under its own heading\n" + text);
            int firstRisky = text.indexOf("*RISKY* " + node);
            int lastUnsafe = text.lastIndexOf("*UNSAFE* " + node);
            assertTrue(firstRisky < 0 || lastUnsafe < firstRisky, "unsafe first on " + node + "\n" + text);
        }
        assertTrue(text.contains("the OS decides when the binlog reaches disk"), "the why\n" + text);
        assertEquals(2, text.split("SET GLOBAL sync_binlog = 1;", -1).length - 1, "the fix once per node\n" + text);
        assertTrue(text.contains("no restart needed"), text);
        assertTrue(text.contains("Nothing was changed"), text);

        List<AuditEntry> audited = audits();
        assertEquals(1, audited.size(), audited.toString());
        assertEquals(BOB, audited.get(0).actor());
        assertTrue(audited.get(0).detail().startsWith("UNSAFE: "), audited.get(0).detail());

        Ack unknown = h.command("audit nope", BOB, OPS);
        assertTrue(unknown.payload().path("text").asText().contains("Unknown cluster `nope`"), unknown.raw());
        assertEquals(1, audits().size(), "a refused command audits nothing");
    }

    @Test
    @Order(2)
    void theScheduledAuditPostsOnceThenNothingThenTheChange() throws Exception {
        ScheduledAudit scheduled = new ScheduledAudit(List.of(CLUSTER), crashSafety,
                new JdbcAuditReports(state.database.dataSource()), state.store, h.bot.notifier(), Clock.systemUTC());

        assertTrue(scheduled.run(CLUSTER), "the first audit has nothing to compare with: every problem is new");
        PostedMessage first = BotHarness.await("the first scheduled audit", () -> inIncidentChannel().stream().findFirst());
        String firstText = BotHarness.text(first);
        assertTrue(firstText.contains("Crash-safety settings of shop changed"), firstText);
        assertTrue(firstText.contains("*UNSAFE* node1 `sync_binlog = 0`"), firstText);
        assertTrue(firstText.contains("*UNSAFE* node2 `sync_binlog = 0`"), firstText);

        assertFalse(scheduled.run(CLUSTER), "nothing changed");
        Thread.sleep(300);
        assertEquals(1, inIncidentChannel().size(), "nothing posted when nothing changed");

        pair.node1().execute("SET GLOBAL sync_binlog = 1");
        try {
            assertTrue(scheduled.run(CLUSTER));
            PostedMessage change = BotHarness.await("the change", () -> inIncidentChannel().stream()
                    .filter(m -> !m.ts().equals(first.ts())).findFirst());
            String text = BotHarness.text(change);
            assertTrue(text.contains("0 new or changed problem(s), 1 fixed"), text);
            assertTrue(text.contains("node1: `sync_binlog = 0` is no longer unsafe"), text);
            assertFalse(text.contains("node2"), "only the change is posted\n" + text);
            assertEquals(2, inIncidentChannel().size());
        } finally {
            pair.node1().execute("SET GLOBAL sync_binlog = 0");
        }
        assertTrue(audits().stream().anyMatch(e -> e.actor().equals("bot") && e.detail().startsWith("scheduled: ")),
                audits().toString());
    }

    @Test
    @Order(3)
    void theSeedCrashPlanAndTheTerminalNameSyncBinlogZeroAsTheCause() throws Exception {
        pair.reproduceSeedIncident();

        h.command("plan " + CLUSTER, BOB, OPS);
        ProposedPlan p = BotHarness.await("the plan", () -> state.store.history(CLUSTER, 100).stream()
                .filter(e -> e.action().equals("propose")).findFirst().flatMap(e -> state.store.plan(e.planId()))
                .filter(x -> !x.messageTs().isEmpty()), Duration.ofSeconds(60));
        String plan = BotHarness.text(h.planMessage(p.id()));
        assertTrue(plan.contains("*Why it happened*"), plan);
        assertTrue(plan.contains("• " + SYNC_BINLOG_CAUSE), plan);
        assertTrue(p.plan().diagnosis().causes().contains(SYNC_BINLOG_CAUSE), "stored with the plan");

        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        ConsoleSession console = new ConsoleSession(service, new BufferedReader(new StringReader("")), out, "dba",
                (cluster, channel) -> { });
        console.handle("help");
        console.handle("diagnose " + CLUSTER);
        console.handle("audit " + CLUSTER);
        console.handle("audit nope");
        String transcript = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(transcript.contains("  audit <cluster>  "), transcript);
        String flowed = transcript.replaceAll("\\s+", " ");
        assertTrue(flowed.contains("Why it happened: - "), transcript);
        assertTrue(flowed.contains("- " + SYNC_BINLOG_CAUSE + " "), transcript);
        assertTrue(transcript.contains("UNSAFE node1: sync_binlog = 0, recommended 1"), transcript);
        assertTrue(transcript.contains("UNSAFE node2: sync_binlog = 0, recommended 1"), transcript);
        assertTrue(transcript.contains("       SET GLOBAL sync_binlog = 1;"), transcript);
        assertTrue(transcript.contains("unknown cluster 'nope'; configured clusters: shop"), transcript);
        assertTrue(audits().stream().anyMatch(e -> e.actor().equals("console:dba")), audits().toString());
    }

    @Test
    @Order(4)
    void theMonitorsAlertNamesTheCauseAndTheEndOfTheRecoveryRecommendsTheFixesOnce() throws Exception {
        ProposedPlan p = state.store.pendingPlans().stream().findFirst().orElseThrow();
        try (ResyncScheduler scheduler = new ResyncScheduler(ResyncScheduler.inMemory("audit-bot", 4), List.of(CLUSTER),
                reader, state.store, h.bot.notifier(), StateFixture.settings(Duration.ofMinutes(10),
                Duration.ofMillis(500)), Clock.systemUTC())) {
            scheduler.auditSettings(crashSafety, new JdbcAuditReports(state.database.dataSource()), null);
            scheduler.followRecoveries(service);
            scheduler.start(); // the monitor's first poll is now: it sees the crash

            PostedMessage alert = BotHarness.await("the alert", () -> inIncidentChannel().stream()
                    .filter(m -> BotHarness.text(m).contains("Propose recovery plan")).findFirst(), Duration.ofSeconds(60));
            assertTrue(BotHarness.text(alert).contains("• " + SYNC_BINLOG_CAUSE), BotHarness.text(alert));

            h.acked(h.click(h.planMessage(p.id()), "approve:resync", BotHarness.ALICE));

            ApiCall advice = BotHarness.await("the fixes after the recovery", () -> advice().stream().findFirst(),
                    Duration.ofSeconds(120));
            String text = advice.param("text");
            assertEquals(OPS, advice.param("channel"), "in the plan's channel");
            assertEquals(p.messageTs(), advice.param("thread_ts"), "in the lag watch's thread, under the plan");
            assertTrue(text.contains("UNSAFE node1 sync_binlog = 0, recommended 1"), text);
            assertTrue(text.contains("UNSAFE node2 sync_binlog = 0, recommended 1"), text);
            assertTrue(text.contains("SET GLOBAL sync_binlog = 1;"), text);
            assertTrue(h.fake.calls("chat.postMessage").stream()
                    .anyMatch(c -> String.valueOf(c.param("text")).startsWith("Back in sync")));
            Thread.sleep(1500);
            assertEquals(1, advice().size(), "said once");
        }
    }

    private static List<ApiCall> advice() {
        return h.fake.calls("chat.postMessage").stream()
                .filter(c -> String.valueOf(c.param("text")).startsWith("To make the next crash cheaper")).toList();
    }
}
