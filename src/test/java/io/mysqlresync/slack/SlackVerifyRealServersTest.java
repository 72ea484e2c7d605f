package io.mysqlresync.slack;

import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.store.JdbcVerificationLog;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.slack.ApiCall;
import io.mysqlresync.testsupport.slack.Envelope;
import io.mysqlresync.testsupport.slack.PostedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.mysqlresync.slack.BotHarness.ALICE;
import static io.mysqlresync.slack.BotHarness.BOB;
import static io.mysqlresync.slack.BotHarness.OPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data verification through the real Bolt app against the fake Slack, on a real pair: the seed
 * incident repaired by clicks, then the lag watch, then the verification's verdict in the plan's
 * thread (naming a row node1 lost, or identical); and {@code /mysql-resync verify} with its
 * progress message edited in place.
 */
@ExtendWith(RealServers.class)
@Timeout(240)
class SlackVerifyRealServersTest {

    private static final String CLUSTER = RealPairBot.CLUSTER;

    private RealPairBot bot;
    private ResyncStore store;
    private BotHarness h;

    @BeforeEach
    void start(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        pair.node1().execute("GRANT SELECT ON demo.* TO '" + Account.BOT.user() + "'@'" + LocalServer.HOST + "'");
        pair.awaitInSync();
        bot = RealPairBot.on(pair).verifying().startScheduler("slack-verify");
        store = bot.store;
        h = bot.h;
    }

    @AfterEach
    void stop() throws Exception {
        if (bot != null) bot.close();
    }

    private ProposedPlan plan() {
        return bot.plan(BOB, OPS);
    }

    /** Replies the bot posted in a thread (milestones, the verdict), oldest first. */
    private List<String> thread(String ts) {
        return h.fake.calls("chat.postMessage").stream().filter(c -> ts.equals(c.param("thread_ts")))
                .map(c -> c.param("text")).toList();
    }

    /** Everything the bot said to Slack: posts, edits, replies. */
    private List<String> everythingSaid() {
        return h.fake.calls().stream().filter(c -> c.method().startsWith("chat."))
                .map(c -> c.param("text") + " " + c.param("blocks")).toList();
    }

    private static long dropOnNode1Only(LocalPair pair) throws Exception {
        long id = Long.parseLong(pair.node1().query("SELECT MIN(id) AS id FROM demo.items").get(0).get("id"));
        pair.node1().execute("SET sql_log_bin = 0", "DELETE FROM demo.items WHERE id = " + id);
        return id;
    }

    /** Approves the plan by a click; returns the plan message's ts, whose thread gets the verdict. */
    private String repairByClick() {
        ProposedPlan p = plan();
        PostedMessage m = h.planMessage(p.id());
        h.acked(h.click(m, "approve:resync", ALICE));
        BotHarness.await("plan succeeded", () -> store.plan(p.id()).filter(x -> x.state() == PlanState.SUCCEEDED),
                Duration.ofSeconds(60));
        BotHarness.await("the verdict in the plan's thread", () -> thread(m.ts()).stream()
                .filter(t -> t.startsWith("Back in sync:") || t.startsWith("Replication is back, but")).findFirst(),
                Duration.ofSeconds(120));
        return m.ts();
    }

    /** The rows that really differ, read as root on each node: "id" for a row on one node only or with other values. */
    private static Set<String> reallyDiffering(LocalPair pair) throws Exception {
        java.util.Map<String, String> one = rows(pair, Node.NODE1);
        java.util.Map<String, String> two = rows(pair, Node.NODE2);
        Set<String> ids = new java.util.TreeSet<>(one.keySet());
        ids.addAll(two.keySet());
        ids.removeIf(id -> java.util.Objects.equals(one.get(id), two.get(id)));
        return ids;
    }

    private static java.util.Map<String, String> rows(LocalPair pair, Node node) throws Exception {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (java.util.Map<String, String> r : pair.server(node).query("SELECT id, origin, payload FROM demo.items")) {
            out.put(r.get("id"), r.get("origin") + "|" + r.get("payload"));
        }
        return out;
    }

    // (a) the seed incident, repaired by clicks, with a row node1 lost planted on top of what the crash cost
    @Test
    void theSeedIncidentRepairedByClicksIsVerifiedAndEveryDifferingRowIsNamed(LocalPair pair) throws Exception {
        pair.reproduceSeedIncident();
        long planted = dropOnNode1Only(pair);
        String ts = repairByClick();
        List<String> replies = thread(ts);
        String verdict = replies.get(replies.size() - 1);
        System.out.println("seed incident + planted drift, thread: " + replies);
        assertTrue(verdict.startsWith("Replication is back, but "), verdict);
        assertTrue(everythingSaid().stream().noneMatch(t -> t.contains("Back in sync")), everythingSaid()::toString);
        assertEquals(IncidentState.DRIFT_FOUND, store.openIncident(CLUSTER).orElseThrow().state(),
                "the incident moved before the thread heard the verdict");

        // Exactly the rows that differ: the planted one and whatever the crash itself cost (the torn
        // binlog's tail on node1 only, a prepared transaction rolled back on node1), no others.
        JdbcVerificationLog log = bot.verifications;
        Set<String> named = new java.util.TreeSet<>(log.differences(log.recent(CLUSTER, 1).get(0).id()).stream()
                .map(d -> d.key().values().get(0)).toList());
        Set<String> truth = reallyDiffering(pair);
        System.out.println("seed incident: " + truth.size() + " rows really differ, " + named.size() + " named");
        assertTrue(truth.contains(Long.toString(planted)), truth::toString);
        assertEquals(truth, named);
    }

    // (b) a recovery by clicks that lost nothing
    @Test
    void aRecoveryByClicksThatLostNothingEndsIdentical(LocalPair pair) throws Exception {
        pair.writeRows(Node.NODE1, 100);
        pair.awaitInSync();
        pair.stopReplicationByOperator(Node.NODE1);
        pair.stopReplicationByOperator(Node.NODE2);
        BotHarness.awaitTrue("the alert", () -> store.openIncident(CLUSTER).isPresent());
        pair.writeRows(Node.NODE2, 50);
        String ts = repairByClick();
        List<String> replies = thread(ts);
        String verdict = replies.get(replies.size() - 1);
        System.out.println("recovery by clicks, thread: " + replies);
        assertTrue(verdict.matches("Back in sync: replication running, 0 s lag, \\d+ tables? \\([\\d,]+ rows\\) identical\\."),
                verdict);
        assertTrue(store.openIncident(CLUSTER).isEmpty(), "the incident closed IDENTICAL");
        assertTrue(reallyDiffering(pair).isEmpty());
    }

    // (e)
    @Test
    void verifyFromSlackEditsOneProgressMessageAndNamesTheRow(LocalPair pair) throws Exception {
        pair.node1().execute("INSERT INTO demo.items (origin, payload) SELECT 'bulk', REPEAT('x', 40) FROM demo.seq_1_to_150000");
        pair.awaitInSync();
        long lost = dropOnNode1Only(pair);

        Envelope e = h.commandEnvelope("verify " + CLUSTER + " demo.items", BOB, OPS);
        h.acked(e);
        PostedMessage result = BotHarness.await("the verdict", () -> h.fake.messages().stream()
                .filter(m -> BotHarness.text(m).contains("rows differ")).findFirst(), Duration.ofSeconds(120));
        List<ApiCall> posts = h.fake.calls("chat.postMessage").stream()
                .filter(c -> String.valueOf(c.param("text")).startsWith("Verifying " + CLUSTER)).toList();
        assertEquals(1, posts.size(), "one progress message: " + posts);
        List<ApiCall> edits = h.fake.calls("chat.update").stream().filter(c -> result.ts().equals(c.param("ts"))).toList();
        System.out.println("verify from Slack: " + edits.size() + " edits of one message");
        assertTrue(edits.stream().anyMatch(c -> c.param("text").matches("Verifying sandbox: 0/1 tables, [\\d,]+/[\\d,]+ rows.*")),
                "the progress was shown in place: " + edits.stream().map(c -> c.param("text")).toList());
        String text = BotHarness.text(result);
        assertTrue(text.contains("demo.items id=" + lost + ": node2 has it, node1 does not"), text);
        assertTrue(text.contains("1 row differs in demo.items (id=" + lost + ")"), text);

        // Unknown cluster: refused in the ack. Unknown table: the catalog's answer, nothing run.
        String refused = h.command("verify nosuch", BOB, OPS).payload().toString();
        assertTrue(refused.contains("Unknown cluster"), refused);
        String badName = h.command("verify " + CLUSTER + " demo.items;DROP", BOB, OPS).payload().toString();
        assertTrue(badName.contains("is not a schema or"), badName);
        Envelope unknown = h.commandEnvelope("verify " + CLUSTER + " demo.nosuch", BOB, OPS);
        h.acked(unknown);
        String told = h.awaitResponse(unknown, "no table");
        assertTrue(told.contains("demo.nosuch") && told.contains("items"), told);

        // history shows the verification.
        Envelope history = h.commandEnvelope("history " + CLUSTER, BOB, OPS);
        h.acked(history);
        assertTrue(h.awaitResponse(history, "verify").contains("1 row differs"));
    }
}
