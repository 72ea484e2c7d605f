package io.mysqlresync.schedule;

import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.incident.ApprovalOutcome;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.LagProgress;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.schedule.RecordingNotifier.Call;
import io.mysqlresync.schedule.RecordingNotifier.Kind;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.StateFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real replica catching up, watched until it is back in sync: the progress message shows the
 * lag falling, the thread says when node1 caught up and when the pair is in sync, and then the
 * job is gone and nothing more is posted.
 */
@ExtendWith(RealServers.class)
class LagWatchOnRealServersTest {

    private static final Duration POLL = Duration.ofMillis(300);
    private static final Duration PROGRESS = Duration.ofMillis(400);
    /** A low threshold keeps the catch-up lag an open problem for the monitor, as a crash's hours of lag would be. */
    private static final MonitorSettings SETTINGS = new MonitorSettings(POLL, Duration.ofSeconds(2),
            Duration.ofMinutes(15), PROGRESS, 3, Duration.ofMinutes(5));
    private static final int BATCHES = 6;
    private static final long GATE_ID = 9_000_000;

    private final RecordingNotifier slack = new RecordingNotifier();

    @BeforeEach
    void healthyPair(LocalPair pair) throws Exception {
        pair.reset();
        // The bot verifies the data once replication caught up: SELECT on it, as README says.
        pair.node1().execute("GRANT SELECT ON demo.* TO '" + io.mysqlresync.sandbox.Account.BOT.user() + "'@'"
                + io.mysqlresync.sandbox.LocalServer.HOST + "'");
    }

    @Test
    void aLaggingReplicaIsWatchedFallingUntilInSyncThenTheJobIsGone(LocalPair pair) throws Exception {
        for (int k = 0; k < BATCHES; k++) {
            pair.node2().execute("INSERT INTO demo.items (id, origin, payload) VALUES (" + (GATE_ID + k)
                    + ", 'gate', 'gate " + k + "')");
        }
        pair.awaitInSync();
        try (Bot bot = new Bot(pair, StateFixture.newDatabaseName(), false, "bot-1", slack, SETTINGS)
                .verifying(io.mysqlresync.incident.IncidentLifecycle.AfterRecovery.FULL, "").start()) {
            Waits.sleep(POLL.multipliedBy(3));

            // The operator stops node1's SQL thread: an incident. node2 keeps writing; node1 keeps fetching.
            pair.stopSqlThread(Node.NODE1);
            Waits.until(Duration.ofSeconds(10), "the alert", () -> slack.count(Kind.OPENED) == 1, slack::calls);
            Incident incident = bot.store.openIncident(Bot.CLUSTER).orElseThrow();

            // Each batch of node2's writes starts by updating a gate row that node1 keeps locked, so
            // node1 applies one batch per release, each stamped 2 s after the one before: its
            // Seconds_Behind_Master then falls step by step, as a real backlog drains.
            List<Connection> gates = lockGates(pair);
            try {
                for (int k = 0; k < BATCHES; k++) {
                    if (k > 0) {
                        Waits.sleep(Duration.ofSeconds(2));
                    }
                    pair.node2().execute("UPDATE demo.items SET payload = 'batch " + k + "' WHERE id = " + (GATE_ID + k));
                    pair.writeRows(Node.NODE2, 50);
                }
                Waits.sleep(Duration.ofSeconds(2));

                // The recovery: start the SQL thread, then watch it catch up.
                pair.startSqlThread(Node.NODE1);
                bot.scheduler.startWatch(Bot.CLUSTER, "C-TEST", "1700000000.000100", incident.id());
                assertEquals(IncidentState.CATCHING_UP, bot.store.openIncident(Bot.CLUSTER).orElseThrow().state());
                for (Connection gate : gates) {
                    Waits.sleep(Duration.ofMillis(700));
                    gate.rollback();
                    gate.close();
                }
            } finally {
                for (Connection gate : gates) {
                    gate.close();
                }
            }

            Waits.until(Duration.ofSeconds(60), "back in sync, data verified", () -> !bot.scheduler.watching(Bot.CLUSTER)
                    && !bot.scheduler.verifying(Bot.CLUSTER) && bot.store.openIncident(Bot.CLUSTER).isEmpty(),
                    slack::calls);
            int calls = slack.calls().size();
            Waits.sleep(PROGRESS.multipliedBy(8));
            assertEquals(calls, slack.calls().size(), "nothing after the watch ended: " + slack.calls());

            List<Long> lags = node1Lags();
            System.out.println("node1 lag on the progress message, one value per post/edit: " + lags);
            assertEquals(1, slack.count(Kind.PROGRESS_STARTED), slack.calls()::toString);
            assertTrue(slack.count(Kind.PROGRESS_UPDATED) >= 3, slack.calls()::toString);
            assertTrue(lags.get(0) >= 5, "the watch starts with the backlog's lag: " + lags);
            assertEquals(0L, lags.get(lags.size() - 1), lags::toString);
            assertTrue(fallingSteps(lags) >= 3, "the lag falls step by step: " + lags);
            for (int i = 1; i < lags.size(); i++) {
                // One late sample on a loaded machine may read a second or two more, never a climb back.
                assertTrue(lags.get(i) <= lags.get(i - 1) + 2, "the lag does not climb back: " + lags);
            }
            Call last = slack.calls(Kind.PROGRESS_UPDATED).get(slack.count(Kind.PROGRESS_UPDATED) - 1);
            assertEquals(LagProgress.Verdict.IN_SYNC, last.view().verdict());

            List<String> milestones = slack.calls(Kind.MILESTONE).stream().map(Call::text).toList();
            assertTrue(milestones.stream().anyMatch(m -> m.startsWith("node1 caught up")), milestones::toString);
            assertTrue(milestones.get(milestones.size() - 1).startsWith("Back in sync: replication running, 0 s lag, ")
                    && milestones.get(milestones.size() - 1).endsWith(" identical."), milestones::toString);
            assertTrue(milestones.stream().noneMatch(m -> m.startsWith("Replication broke again")), milestones::toString);

            assertFalse(bot.scheduler.watching(Bot.CLUSTER), "the trigger is gone");
            assertTrue(bot.store.watch(Bot.CLUSTER).isEmpty(), "the watch is gone from the store");
            assertTrue(bot.store.openIncident(Bot.CLUSTER).isEmpty(), "the incident is closed");
            assertEquals(1, slack.count(Kind.OPENED), "the monitor left the catch-up to the watch: " + slack.calls());
            assertEquals(0, slack.count(Kind.CLEARED), "in sync after a recovery is not 'went away by itself'");
            assertEquals(IncidentState.IDENTICAL, slack.calls(Kind.CHANGED).get(slack.count(Kind.CHANGED) - 1)
                    .incident().state());
            AuditEntry inSync = bot.store.history(Bot.CLUSTER, 10).stream()
                    .filter(e -> e.action().equals("caught-up")).findFirst().orElseThrow();
            assertTrue(inSync.detail().contains(incident.id()), inSync::toString);
            assertEquals(pair.checksum(Node.NODE1), pair.checksum(Node.NODE2));
        }
    }

    @Test
    void anApprovedRecoveryStartsAWatchInThePlansThreadAndTheIncidentEndsInSync(LocalPair pair) throws Exception {
        try (Bot bot = new Bot(pair, StateFixture.newDatabaseName(), false, "bot-1", slack, SETTINGS)
                .verifying(io.mysqlresync.incident.IncidentLifecycle.AfterRecovery.FULL, "").start()) {
            ResyncService service = bot.service();
            pair.stopReplicationByOperator(Node.NODE2);
            Waits.until(Duration.ofSeconds(10), "the alert", () -> slack.count(Kind.OPENED) == 1, slack::calls);
            String incident = bot.store.openIncident(Bot.CLUSTER).orElseThrow().id();
            pair.writeRows(Node.NODE1, 200);

            ProposedPlan plan = service.propose(Bot.CLUSTER, "U0ASKER", "C-TEST");
            bot.store.setPlanMessage(plan.id(), "C-TEST", "1700000000.000200");
            ApprovalOutcome outcome = service.approve(plan.id(), Planner.RESYNC, Bot.APPROVER, false, s -> { });
            assertEquals(ApprovalOutcome.Kind.EXECUTED, outcome.kind(), outcome.message());

            assertTrue(bot.scheduler.watching(Bot.CLUSTER), "the recovery started a watch");
            assertEquals(IncidentState.CATCHING_UP, bot.store.openIncident(Bot.CLUSTER).orElseThrow().state());
            Waits.until(Duration.ofSeconds(30), "back in sync, data verified", () -> !bot.scheduler.watching(Bot.CLUSTER)
                    && bot.store.openIncident(Bot.CLUSTER).isEmpty(), slack::calls);

            Call started = slack.calls(Kind.PROGRESS_STARTED).get(0);
            assertEquals("C-TEST", started.watch().channel());
            assertEquals("1700000000.000200", started.watch().threadTs(), "progress goes in the plan's thread");
            assertEquals(incident, started.watch().incidentId());
            assertTrue(bot.store.openIncident(Bot.CLUSTER).isEmpty());
            assertEquals(IncidentState.IDENTICAL, slack.calls(Kind.CHANGED).get(slack.count(Kind.CHANGED) - 1)
                    .incident().state());
            assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
            assertEquals(0, slack.count(Kind.CLEARED), slack.calls()::toString);
            pair.awaitInSync();
            assertEquals(pair.checksum(Node.NODE1), pair.checksum(Node.NODE2));
        }
    }

    /** One open transaction per gate row on node1, each holding that row's lock. */
    private static List<Connection> lockGates(LocalPair pair) throws SQLException {
        List<Connection> gates = new ArrayList<>();
        for (int k = 0; k < BATCHES; k++) {
            Connection c = pair.node1().connect();
            gates.add(c);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT id FROM demo.items WHERE id = " + (GATE_ID + k) + " FOR UPDATE").close();
            }
        }
        return gates;
    }

    private List<Long> node1Lags() {
        List<Long> out = new ArrayList<>();
        for (Call c : slack.calls()) {
            if (c.kind() == Kind.PROGRESS_STARTED || c.kind() == Kind.PROGRESS_UPDATED) {
                ProgressView.NodeProgress n = c.view().nodes().stream().filter(p -> p.node().equals("node1"))
                        .findFirst().orElseThrow();
                out.add(n.lagSeconds());
            }
        }
        return out;
    }

    private static int fallingSteps(List<Long> lags) {
        int steps = 0;
        for (int i = 1; i < lags.size(); i++) {
            if (lags.get(i) < lags.get(i - 1)) {
                steps++;
            }
        }
        return steps;
    }
}
