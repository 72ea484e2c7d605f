package io.mysqlresync.slack;

import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.sandbox.SeedIncident;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.slack.Ack;
import io.mysqlresync.testsupport.slack.Envelope;
import io.mysqlresync.testsupport.slack.PostedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.mysqlresync.slack.BotHarness.ALICE;
import static io.mysqlresync.slack.BotHarness.BOB;
import static io.mysqlresync.slack.BotHarness.CAROL;
import static io.mysqlresync.slack.BotHarness.MALLORY;
import static io.mysqlresync.slack.BotHarness.OPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Slack conversation end to end on real broken MariaDB/MySQL pairs: the real Bolt Socket
 * Mode app against the fake Slack, the JDBC reader and runner as the least-privilege bot user,
 * and the state on H2. Skipped without a server binary, failed under CI=true (RealServers).
 */
@ExtendWith(RealServers.class)
@Timeout(180)
class SlackBotRealServersTest {

    private static final String CLUSTER = RealPairBot.CLUSTER;

    private RealPairBot bot;
    private ResyncStore store;
    private BotHarness h;

    @BeforeEach
    void start(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        bot = RealPairBot.on(pair);
        store = bot.store;
        h = bot.h;
    }

    @AfterEach
    void stop(TestInfo info) throws Exception {
        if (bot != null) {
            h.printAckLatencies(info.getDisplayName());
            bot.close();
        }
    }

    private ProposedPlan plan() {
        return bot.plan(BOB, OPS);
    }

    private List<AuditEntry> audited(String planId, String action) {
        return store.history(null, 1000).stream()
                .filter(e -> e.planId().equals(planId) && e.action().equals(action)).toList();
    }

    private static boolean running(Map<String, String> s) {
        return "Yes".equals(s.get("Slave_IO_Running")) && "Yes".equals(s.get("Slave_SQL_Running"));
    }

    private void awaitState(String planId, PlanState expected) {
        BotHarness.await("plan " + planId + " " + expected, () -> store.plan(planId)
                .filter(p -> p.state() == expected), Duration.ofSeconds(60));
    }

    // (a)
    @Test
    void aSlashCommandIsAckedWithinThreeSecondsAndTheDiagnosisOfTheRealPairIsPosted(LocalPair pair) throws Exception {
        pair.stopReplicationByOperator(Node.NODE2);

        Ack ack = h.command("diagnose " + CLUSTER, BOB, OPS);

        assertTrue(ack.latency().compareTo(Duration.ofSeconds(3)) < 0, "ack " + ack.latency());
        PostedMessage diagnosis = h.awaitMessage("node2 replication stopped without an error");
        String text = BotHarness.text(diagnosis);
        assertTrue(text.matches("(?s).*\nnode2 +No +No +- +mysql-bin\\.\\d+:\\d+ +mysql-bin\\.\\d+:\\d+ +NULL\n.*"), text);
        assertTrue(text.matches("(?s).*\nnode1 +Yes +Yes +- .*"), text);
        assertEquals(OPS, diagnosis.channel());
    }

    // (b)
    @Test
    void anUnauthorisedClickIsRefusedAndNothingRunsOnTheServers(LocalPair pair) throws Exception {
        pair.stopReplicationByOperator(Node.NODE2);
        ProposedPlan p = plan();

        h.acked(h.click(h.planMessage(p.id()), "approve:resync", MALLORY));

        String told = h.awaitEphemeral(MALLORY, "Not run");
        assertTrue(told.contains("you are not an approver"), told);
        Thread.sleep(500);
        Map<String, String> node2 = pair.replicaStatus(Node.NODE2).orElseThrow();
        assertEquals("No", node2.get("Slave_IO_Running"), "nothing ran on node2");
        assertEquals("No", node2.get("Slave_SQL_Running"));
        assertEquals(PlanState.PROPOSED, store.plan(p.id()).orElseThrow().state());
        assertTrue(audited(p.id(), "statement").isEmpty());
        assertTrue(BotHarness.hasButtons(h.fake.message(OPS, h.planMessage(p.id()).ts()).orElseThrow()));
    }

    // (c) the seed incident, reproduced on real servers and files
    @Test
    void anApprovedPlanRepairsTheSeedIncidentAndBothThreadsRunAgain(LocalPair pair) throws Exception {
        SeedIncident seed = pair.reproduceSeedIncident();
        ProposedPlan p = plan();
        PostedMessage m = h.planMessage(p.id());
        String planText = BotHarness.text(m);
        assertTrue(planText.contains("CHANGE MASTER TO MASTER_LOG_FILE='" + seed.node1NewBinlog() + "', MASTER_LOG_POS=4;"),
                planText);
        assertTrue(planText.contains("CHANGE MASTER TO MASTER_LOG_FILE='" + seed.node1Replica().get("Relay_Master_Log_File")
                + "', MASTER_LOG_POS=" + seed.node1Replica().get("Exec_Master_Log_Pos") + ";"), planText);

        long clicked = System.nanoTime();
        h.acked(h.click(m, "approve:resync", ALICE));

        awaitState(p.id(), PlanState.SUCCEEDED);
        System.out.printf("seed incident: click to all statements run: %d ms%n", (System.nanoTime() - clicked) / 1_000_000);
        for (Node n : Node.values()) {
            pair.awaitReplica(n, "both threads running", SlackBotRealServersTest::running);
        }
        PostedMessage after = BotHarness.await("the outcome in the plan message", () -> h.fake.message(OPS, m.ts())
                .filter(x -> BotHarness.text(x).contains(":white_check_mark: *Approved by <@U0ALICE>*")));
        String text = BotHarness.text(after);
        assertTrue(text.contains("OK      node2  CHANGE MASTER TO MASTER_LOG_FILE='" + seed.node1NewBinlog()), text);
        assertEquals(6, audited(p.id(), "statement").size());
        // New writes flow both ways again. (The rows lost with node1's torn binlog may still
        // differ: that is the data loss the plan stated, for pt-table-checksum afterwards.)
        pair.writeRows(Node.NODE1, 5);
        pair.writeRows(Node.NODE2, 5);
        pair.awaitInSync();
        assertTrue(h.service.diagnose(CLUSTER).inSync(), h.service.diagnose(CLUSTER).findings().toString());
    }

    // (c) a simpler real break: replication stopped by an operator on both nodes
    @Test
    void anApprovedPlanStartsReplicationStoppedByAnOperator(LocalPair pair) throws Exception {
        pair.stopReplicationByOperator(Node.NODE1);
        pair.stopReplicationByOperator(Node.NODE2);
        ProposedPlan p = plan();

        h.acked(h.click(h.planMessage(p.id()), "approve:resync", CAROL));

        awaitState(p.id(), PlanState.SUCCEEDED);
        for (Node n : Node.values()) {
            pair.awaitReplica(n, "both threads running", SlackBotRealServersTest::running);
        }
        assertEquals(2, audited(p.id(), "statement").size());
    }

    // (d)
    @Test
    void aReSentEnvelopeAndASecondClickRunNothingTwice(LocalPair pair) throws Exception {
        pair.stopReplicationByOperator(Node.NODE1);
        pair.stopReplicationByOperator(Node.NODE2);
        ProposedPlan p = plan();
        PostedMessage m = h.planMessage(p.id());

        Envelope click = h.click(m, "approve:resync", ALICE);
        h.acked(click);
        h.acked(h.fake.redeliver(click));
        Envelope other = h.click(m, "approve:resync", CAROL); // a second approver, a different envelope
        h.acked(other);
        h.acked(h.fake.redeliver(other));

        awaitState(p.id(), PlanState.SUCCEEDED);
        // Whichever click reached the store second lost the compare-and-set and was told so.
        String winner = store.plan(p.id()).orElseThrow().decidedBy();
        String loser = winner.equals(ALICE) ? CAROL : ALICE;
        h.awaitEphemeral(loser, "nothing was run again");
        Thread.sleep(500);
        assertEquals(2, audited(p.id(), "statement").size(), "START SLAVE once per node: " + audited(p.id(), "statement"));
        assertEquals(1, audited(p.id(), "approve").size());
        assertEquals(1, audited(p.id(), "refuse").size(), "the losing click refused once; the re-sends dropped");
        assertTrue(h.ephemeralsTo(winner).isEmpty(), "the winner's re-sent envelope was dropped, not refused");
        for (Node n : Node.values()) {
            pair.awaitReplica(n, "both threads running", SlackBotRealServersTest::running);
        }
    }

    // (e)
    @Test
    void aPlanMadeStaleByAHandFixIsRefusedAndAFreshPlanIsPosted(LocalPair pair) throws Exception {
        pair.stopReplicationByOperator(Node.NODE2);
        ProposedPlan p = plan();
        PostedMessage m = h.planMessage(p.id());
        pair.startReplication(Node.NODE2); // a DBA fixed it by hand meanwhile
        pair.awaitReplica(Node.NODE2, "both threads running", SlackBotRealServersTest::running);

        h.acked(h.click(m, "approve:resync", ALICE));

        String told = h.awaitEphemeral(ALICE, "nothing was run");
        assertTrue(told.contains("node2 IO thread was STOPPED, now RUNNING"), told);
        awaitState(p.id(), PlanState.STALE);
        assertTrue(audited(p.id(), "statement").isEmpty());
        PostedMessage stale = BotHarness.await("the stale plan marked", () -> h.fake.message(OPS, m.ts())
                .filter(x -> BotHarness.text(x).contains("*Not run*")));
        assertFalse(BotHarness.hasButtons(stale));
        ProposedPlan fresh = BotHarness.await("the fresh plan", () -> store.history(CLUSTER, 100).stream()
                .filter(e -> e.action().equals("propose") && !e.planId().equals(p.id())).findFirst()
                .flatMap(e -> store.plan(e.planId())).filter(x -> !x.messageTs().isEmpty()));
        assertTrue(told.contains("Fresh plan: `" + fresh.id() + "`"), told);
        PostedMessage freshMessage = h.planMessage(fresh.id());
        assertTrue(BotHarness.text(freshMessage).contains("Nothing to do"), BotHarness.text(freshMessage));
    }
}
