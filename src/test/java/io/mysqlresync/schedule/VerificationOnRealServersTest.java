package io.mysqlresync.schedule;

import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.incident.ApprovalOutcome;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentLifecycle.AfterRecovery;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.schedule.RecordingNotifier.Call;
import io.mysqlresync.schedule.RecordingNotifier.Kind;
import io.mysqlresync.store.JdbcVerificationLog;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data verified end to end on a real pair, through the real Quartz scheduler and the state
 * database: after a recovery (the incident closes IDENTICAL, or stays open DRIFT_FOUND naming the
 * row), after a restart the monitor notices with no replication error, and on a schedule (one
 * alert per table, not per run). Drift is a row deleted on node1 only (sql_log_bin=0), as a crash
 * that rolls back a transaction the other node received leaves it.
 */
@ExtendWith(RealServers.class)
class VerificationOnRealServersTest {

    private static final Duration POLL = Duration.ofMillis(300);
    private static final MonitorSettings SETTINGS = new MonitorSettings(POLL, Duration.ofSeconds(30),
            Duration.ofMinutes(15), Duration.ofMillis(400), 3, Duration.ofMinutes(5));

    private final RecordingNotifier slack = new RecordingNotifier();

    @BeforeEach
    void healthyPair(LocalPair pair) throws Exception {
        pair.reset();
        // Least privilege: the bot reads the data it compares, nothing more.
        pair.node1().execute("GRANT SELECT ON demo.* TO '" + Account.BOT.user() + "'@'" + LocalServer.HOST + "'");
        pair.writeRows(Node.NODE1, 100);
        pair.writeRows(Node.NODE2, 100);
        pair.awaitInSync();
    }

    /** A row node2 has and node1 lost, without a binlog event: what a rolled-back prepared transaction leaves. */
    private static long dropOnNode1Only(LocalPair pair, String table) throws Exception {
        long id = Long.parseLong(pair.node1().query("SELECT MIN(id) AS id FROM " + table).get(0).get("id"));
        pair.node1().execute("SET sql_log_bin = 0", "DELETE FROM " + table + " WHERE id = " + id);
        return id;
    }

    private static List<String> milestones(RecordingNotifier slack) {
        return slack.calls(Kind.MILESTONE).stream().map(Call::text).toList();
    }

    private static List<String> everythingSaid(RecordingNotifier slack) {
        return Stream.concat(milestones(slack).stream(), slack.calls().stream()
                .filter(c -> c.incident() != null).map(c -> c.incident().state() + " " + c.incident().headline())).toList();
    }

    /** Stops node2's replication, writes on node1, approves the recovery plan: the lag watch, then the verification. */
    private static String recover(Bot bot, LocalPair pair, RecordingNotifier slack) throws Exception {
        ResyncService service = bot.service();
        pair.stopReplicationByOperator(Node.NODE2);
        Waits.until(Duration.ofSeconds(10), "the alert", () -> slack.count(Kind.OPENED) == 1, slack::calls);
        String incident = bot.store.openIncident(Bot.CLUSTER).orElseThrow().id();
        pair.writeRows(Node.NODE1, 200);
        ProposedPlan plan = service.propose(Bot.CLUSTER, "U0ASKER", "C-TEST");
        bot.store.setPlanMessage(plan.id(), "C-TEST", "1700000000.000200");
        ApprovalOutcome outcome = service.approve(plan.id(), Planner.RESYNC, Bot.APPROVER, false, s -> { });
        assertEquals(ApprovalOutcome.Kind.EXECUTED, outcome.kind(), outcome.message());
        return incident;
    }

    @Test
    void afterARecoveryTheVerificationNamesTheRowNode1LostAndNothingClaimsInSync(LocalPair pair) throws Exception {
        long lost = dropOnNode1Only(pair, "demo.items");
        try (Bot bot = new Bot(pair, StateFixture.newDatabaseName(), false, "bot-1", slack, SETTINGS)
                .verifying(AfterRecovery.FULL, "").start()) {
            String incident = recover(bot, pair, slack);
            Waits.until(Duration.ofSeconds(60), "the verdict", () -> bot.store.openIncident(Bot.CLUSTER)
                    .map(i -> i.state() == IncidentState.DRIFT_FOUND).orElse(false)
                    && milestones(slack).stream().anyMatch(m -> m.startsWith("Replication is back, but")), slack::calls);

            List<String> said = milestones(slack);
            String verdict = said.get(said.size() - 1);
            System.out.println("verdict after the recovery: " + verdict);
            assertTrue(said.stream().anyMatch(m -> m.contains("Now comparing the data")), said::toString);
            assertTrue(verdict.startsWith("Replication is back, but 1 row differs in demo.items (id=" + lost + ")"),
                    verdict);
            assertTrue(verdict.contains("node2 has it, node1 does not"), verdict);
            assertTrue(everythingSaid(slack).stream().noneMatch(m -> m.contains("Back in sync") || m.contains("identical")),
                    everythingSaid(slack)::toString);
            Incident open = bot.store.openIncident(Bot.CLUSTER).orElseThrow();
            assertEquals(incident, open.id(), "the recovery's incident stays open: a repair is next");
            assertEquals("drift:demo.items", open.problemKey());
            Waits.until(Duration.ofSeconds(10), "the alert shows the drift", () -> slack.count(Kind.CHANGED) > 0
                    && slack.calls(Kind.CHANGED).get(slack.count(Kind.CHANGED) - 1).incident().state()
                    == IncidentState.DRIFT_FOUND, slack::calls);
            assertEquals("1700000000.000200", slack.calls(Kind.MILESTONE).get(said.size() - 1).watch().threadTs(),
                    "the verdict goes in the plan's thread");

            VerificationLog log = new JdbcVerificationLog(bot.db.dataSource());
            VerificationLog.Stored stored = log.recent(Bot.CLUSTER, 1).get(0);
            assertEquals(TableVerdict.DIFFERS, stored.verdict());
            assertEquals("bot:recovery", stored.requestedBy());
            assertEquals(List.of("id=" + lost), log.differences(stored.id()).stream()
                    .map(d -> d.key().display(d.keyColumns())).toList());
            List<String> actions = bot.store.history(Bot.CLUSTER, 20).stream().map(AuditEntry::action).toList();
            assertTrue(actions.containsAll(List.of("caught-up", "verify-start", "verify", "drift-found")), actions::toString);
            // Poll after poll: a drift incident is not "gone by itself" because replication is healthy.
            Waits.holdsFor(POLL.multipliedBy(5), "the drift incident stays", () -> slack.count(Kind.CLEARED) == 0
                    && bot.store.openIncident(Bot.CLUSTER).map(i -> i.state() == IncidentState.DRIFT_FOUND).orElse(false),
                    slack::calls);
        }
    }

    @Test
    void afterARecoveryWithNothingLostTheFinalMessageSaysIdentical(LocalPair pair) throws Exception {
        try (Bot bot = new Bot(pair, StateFixture.newDatabaseName(), false, "bot-1", slack, SETTINGS)
                .verifying(AfterRecovery.FULL, "").start()) {
            recover(bot, pair, slack);
            Waits.until(Duration.ofSeconds(60), "the verdict", () -> bot.store.openIncident(Bot.CLUSTER).isEmpty()
                    && !bot.scheduler.verifying(Bot.CLUSTER), slack::calls);

            List<String> said = milestones(slack);
            String verdict = said.get(said.size() - 1);
            System.out.println("verdict after the recovery: " + verdict);
            assertTrue(verdict.matches("Back in sync: replication running, 0 s lag, \\d+ tables? \\([\\d,]+ rows\\) identical\\."),
                    verdict);
            assertTrue(verdict.contains("(" + String.format("%,d", pair.rowCount(Node.NODE1)) + " rows)")
                    || verdict.contains(" tables ("), verdict);
            Waits.until(Duration.ofSeconds(10), "the alert shows the data identical", () -> slack.count(Kind.CHANGED) > 0
                    && slack.calls(Kind.CHANGED).get(slack.count(Kind.CHANGED) - 1).incident().state()
                    == IncidentState.IDENTICAL, slack::calls);
            assertEquals(TableVerdict.IDENTICAL, new JdbcVerificationLog(bot.db.dataSource()).recent(Bot.CLUSTER, 1)
                    .get(0).verdict());
        }
    }

    @Test
    void aRestartWithNoReplicationErrorIsVerifiedAndItsDriftAlerted(LocalPair pair) throws Exception {
        Bot.upLongerThanTheRestartTolerance(pair);
        long lost = dropOnNode1Only(pair, "demo.items");
        try (Bot bot = new Bot(pair, StateFixture.newDatabaseName(), false, "bot-1", slack, SETTINGS)
                .verifying(AfterRecovery.OFF, "").start()) {
            Waits.holdsFor(POLL.multipliedBy(4), "nothing before the restart: drift alone is not seen by polls",
                    () -> slack.calls().isEmpty(), slack::calls);
            pair.killHard(Node.NODE1);
            pair.startNode(Node.NODE1);
            Waits.until(Duration.ofSeconds(90), "the drift alert", () -> bot.store.openIncident(Bot.CLUSTER)
                    .map(i -> i.state() == IncidentState.DRIFT_FOUND).orElse(false), slack::calls);

            Incident drift = bot.store.openIncident(Bot.CLUSTER).orElseThrow();
            System.out.println("after the restart: " + drift.headline());
            assertEquals("drift:demo.items", drift.problemKey());
            assertTrue(drift.headline().contains("1 row differs in demo.items (id=" + lost + ")"), drift::toString);
            assertTrue(drift.headline().contains("after a node restart"), drift::toString);
            // The incident is saved before its alert is sent: the alert may come a moment after.
            Waits.until(Duration.ofSeconds(10), "the drift alert sent", () -> slack.calls().stream()
                    .filter(c -> c.incident() != null).anyMatch(c -> c.incident().state() == IncidentState.DRIFT_FOUND),
                    slack::calls);
            List<String> actions = bot.store.history(Bot.CLUSTER, 30).stream().map(AuditEntry::action).toList();
            assertEquals(1, actions.stream().filter(a -> a.equals("verify-after-restart")).count(),
                    "one verification per restart: " + actions);
            assertEquals("bot:restart", new JdbcVerificationLog(bot.db.dataSource()).recent(Bot.CLUSTER, 1).get(0)
                    .requestedBy());
        }
    }

    @Test
    void theScheduledVerificationAlertsOncePerTableNotPerRun(LocalPair pair) throws Exception {
        pair.node1().execute("CREATE TABLE IF NOT EXISTS demo.extra (id BIGINT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO demo.extra VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        pair.awaitInSync();
        try {
            long lost = dropOnNode1Only(pair, "demo.items");
            try (Bot bot = new Bot(pair, StateFixture.newDatabaseName(), false, "bot-1", slack, SETTINGS)
                    .verifying(AfterRecovery.FULL, "0/2 * * * * ?").start()) {
                VerificationLog log = new JdbcVerificationLog(bot.db.dataSource());
                Waits.until(Duration.ofSeconds(30), "three scheduled runs", () -> log.recent(Bot.CLUSTER, 10).size() >= 3,
                        slack::calls);
                assertEquals(1, slack.count(Kind.OPENED), "one alert for demo.items over three runs: " + slack.calls());
                Incident first = slack.calls(Kind.OPENED).get(0).incident();
                assertEquals(IncidentState.DRIFT_FOUND, first.state());
                assertTrue(first.headline().contains("demo.items (id=" + lost + ")"), first::toString);
                assertTrue(first.headline().contains("scheduled verification"), first::toString);
                assertEquals(0, slack.count(Kind.CHANGED), slack.calls()::toString);

                // Drift in a second table: the alert is updated once for it, and not again.
                pair.node1().execute("SET sql_log_bin = 0", "UPDATE demo.extra SET v = 'changed' WHERE id = 2");
                int runs = log.recent(Bot.CLUSTER, 100).size();
                Waits.until(Duration.ofSeconds(30), "three more runs", () -> log.recent(Bot.CLUSTER, 100).size() >= runs + 3,
                        slack::calls);
                assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
                assertEquals(1, slack.count(Kind.CHANGED), "one update for demo.extra: " + slack.calls());
                assertEquals("drift:demo.extra,drift:demo.items",
                        bot.store.openIncident(Bot.CLUSTER).orElseThrow().problemKey());
                assertTrue(log.recent(Bot.CLUSTER, 100).stream().allMatch(v -> v.requestedBy().equals("bot:schedule")));
            }
        } finally {
            pair.node1().execute("DROP TABLE IF EXISTS demo.extra");
        }
    }
}
