package io.mysqlresync.slack;

import io.mysqlresync.incident.ApprovalPolicy;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.RepairRequest;
import io.mysqlresync.incident.RepairService;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.mysql.JdbcRowRepairs;
import io.mysqlresync.repair.RepairPlanner;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.store.JdbcRepairPlans;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.slack.PostedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.mysqlresync.slack.BotHarness.ALICE;
import static io.mysqlresync.slack.BotHarness.BOB;
import static io.mysqlresync.slack.BotHarness.MALLORY;
import static io.mysqlresync.slack.BotHarness.OPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed incident end to end from Slack clicks alone, on the real Bolt app against the fake
 * Slack and a real pair: alert, plan, Approve, lag watch, the verification naming the rows the
 * crashed node lacks, the Repair plan posted by the bot in the same thread, the source of truth
 * chosen, Approve by an approver, the repaired rows verified identical, and one final message.
 */
@ExtendWith(RealServers.class)
@Timeout(300)
class SlackSeedIncidentRepairTest {

    private static final String CLUSTER = RealPairBot.CLUSTER;
    private static final String FINAL = "back in sync with identical data";

    private RealPairBot bot;
    private ResyncStore store;
    private BotHarness h;
    private RepairService repairs;

    @BeforeEach
    void start(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        String botUser = "'" + Account.BOT.user() + "'@'" + LocalServer.HOST + "'";
        // What the README asks of repairs: binary logging off for a session, and the row changes.
        pair.node1().execute("GRANT SELECT, INSERT, UPDATE, DELETE ON demo.* TO " + botUser,
                "GRANT BINLOG ADMIN ON *.* TO " + botUser);
        pair.awaitInSync();
        bot = RealPairBot.on(pair).readingLedgers().verifying();
        store = bot.store;
        h = bot.h;
        // As BotApplication wires repairs: the two-person rule on, sources suggested from the recovering plan's ledger.
        repairs = new RepairService(bot.verifications, bot.verifier,
                new JdbcRowRepairs(bot.connections, Duration.ofSeconds(10)),
                new JdbcRepairPlans(bot.state.database.dataSource()), new RepairPlanner(RepairPlanner.DEFAULT_MAX_ROWS),
                new ApprovalPolicy(Set.of(ALICE), true, true), Duration.ofMinutes(15), store, Clock.systemUTC());
        repairs.suggestFrom(c -> IncidentLifecycle.recoveryLedger(store, c, ""));
        h.bot.repairWith(repairs);
        bot.startScheduler("slack-seed-repair");
    }

    @AfterEach
    void stop() throws Exception {
        if (bot != null) bot.close();
    }

    @Test
    void theSeedIncidentFromClicksAloneEndsBackInSyncWithIdenticalData(LocalPair pair) throws Exception {
        pair.reproduceSeedIncident();
        // A row node1 lacks on top of what the crash cost: the verification must find at least it.
        long lost = Long.parseLong(pair.node1().query("SELECT MIN(id) AS id FROM demo.items").get(0).get("id"));
        pair.node1().execute("SET sql_log_bin = 0", "DELETE FROM demo.items WHERE id = " + lost);

        // alert -> plan -> Approve (clicks) -> lag watch -> verification finds drift
        h.command("plan " + CLUSTER, BOB, OPS);
        ProposedPlan plan = BotHarness.await("the recovery plan", () -> store.history(CLUSTER, 1000).stream()
                .filter(e -> e.action().equals("propose")).findFirst().flatMap(e -> store.plan(e.planId()))
                .filter(x -> !x.messageTs().isEmpty()), Duration.ofSeconds(30));
        PostedMessage planMessage = h.planMessage(plan.id());
        h.acked(h.click(planMessage, "approve:resync", ALICE));
        BotHarness.await("the recovery succeeded", () -> store.plan(plan.id())
                .filter(x -> x.state() == PlanState.SUCCEEDED), Duration.ofSeconds(60));

        // The bot itself posts the Repair plan in the recovery's thread once the verification found drift.
        PostedMessage repairMessage = BotHarness.await("the Repair plan in the recovery's thread", () ->
                h.fake.messages().stream().filter(m -> BotHarness.text(m).contains("Repair plan")).findFirst(),
                Duration.ofSeconds(150));
        assertEquals(IncidentState.DRIFT_FOUND, store.openIncident(CLUSTER).orElseThrow().state());
        assertTrue(h.fake.calls("chat.postMessage").stream().anyMatch(c -> planMessage.ts().equals(c.param("thread_ts"))
                && String.valueOf(c.param("text")).contains("Repair plan")), "posted in the plan's thread");
        String repairId = store.history(CLUSTER, 1000).stream().filter(e -> e.action().equals("propose-repair"))
                .findFirst().orElseThrow().planId();
        RepairRequest proposed = repairs.find(repairId).orElseThrow();
        System.out.println("seed repair plan: " + proposed.plan().fixes().size() + " row(s); suggestions "
                + proposed.plan().tables().stream().map(t -> t.table() + "=" + t.suggestion()).toList());
        // The ledger of the plan that recovered the incident names demo.items as cut from node1: node2 suggested.
        assertEquals("node2", proposed.plan().tables().get(0).suggestion().node(),
                () -> "suggested from the loss ledger: " + proposed.plan().tables());
        assertEquals(1, h.fake.messages().stream().filter(m -> BotHarness.text(m).contains("Repair plan")).count(),
                "one Repair plan");

        // Choose node2 (the node that still has the rows) for every table, by clicks.
        int node2 = proposed.plan().nodes().indexOf("node2");
        for (int t = 0; t < proposed.plan().tables().size(); t++) {
            int table = t;
            PostedMessage now = h.fake.message(repairMessage.channel(), repairMessage.ts()).orElseThrow();
            h.acked(h.click(now, RepairButton.sourceActionId(t, node2), BOB));
            BotHarness.awaitTrue("table " + t + " has node2 as its source", () -> "node2".equals(
                    repairs.find(repairId).orElseThrow().plan().tables().get(table).source()));
        }
        PostedMessage ready = BotHarness.await("the Repair plan with Approve", () -> h.fake.message(
                repairMessage.channel(), repairMessage.ts())
                .filter(m -> BotHarness.button(m, RepairButton.APPROVE_ACTION).isPresent()));

        RepairRequest chosen = repairs.find(repairId).orElseThrow();
        assertTrue(chosen.plan().fixes().stream().anyMatch(f -> f.key().values().get(0).equals(Long.toString(lost))),
                "the planted row is in the repair: " + chosen.plan().fixes());

        // Not an approver: refused, nothing run. Then an approver approves.
        h.acked(h.click(ready, RepairButton.APPROVE_ACTION, MALLORY));
        assertTrue(h.awaitEphemeral(MALLORY, "Not run").contains("not an approver"));
        assertEquals(PlanState.PROPOSED, repairs.find(repairId).orElseThrow().state(), "nothing ran yet");
        h.acked(h.click(ready, RepairButton.APPROVE_ACTION, ALICE));
        PostedMessage done = h.awaitMessage(FINAL);
        System.out.println("seed incident final message: " + BotHarness.text(done));
        assertTrue(BotHarness.text(done).contains("Verified again"), BotHarness.text(done));

        assertEquals(PlanState.SUCCEEDED, repairs.find(repairId).orElseThrow().state());
        BotHarness.awaitTrue("the incident closed", () -> store.openIncident(CLUSTER).isEmpty());
        List<AuditEntry> audit = store.history(CLUSTER, 1000);
        assertTrue(audit.stream().anyMatch(e -> e.action().equals("repaired-identical")), audit::toString);
        assertEquals(1, h.fake.messages().stream().filter(m -> BotHarness.text(m).toLowerCase().contains(FINAL)).count(),
                "one final message");
        assertFalse(h.fake.messages().stream().anyMatch(m -> BotHarness.text(m).startsWith("Back in sync: replication")),
                "no plain in-sync verdict before the repair");

        // Rows equal on both nodes, read as root; replication running on both with no error.
        pair.awaitInSync();
        assertEquals(rows(pair, Node.NODE1), rows(pair, Node.NODE2));
        for (Node n : List.of(Node.NODE1, Node.NODE2)) {
            Map<String, String> s = pair.server(n).query("SHOW SLAVE STATUS").get(0);
            assertEquals("Yes", s.get("Slave_IO_Running"), n + ": " + s);
            assertEquals("Yes", s.get("Slave_SQL_Running"), n + ": " + s);
            assertEquals("0", s.get("Last_Errno"), n + ": " + s);
        }
    }

    private static Map<String, String> rows(LocalPair pair, Node node) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (Map<String, String> r : pair.server(node).query("SELECT id, origin, payload FROM demo.items")) {
            out.put(r.get("id"), r.get("origin") + "|" + r.get("payload"));
        }
        return out;
    }
}
