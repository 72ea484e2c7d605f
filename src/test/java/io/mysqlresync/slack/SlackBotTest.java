package io.mysqlresync.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.LagProgress;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.replication.ThreadState;
import io.mysqlresync.slack.ResyncFixtures.RecordingRunner;
import io.mysqlresync.slack.ResyncFixtures.ScriptedReader;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.TestClock;
import io.mysqlresync.testsupport.slack.Ack;
import io.mysqlresync.testsupport.slack.ApiCall;
import io.mysqlresync.testsupport.slack.Envelope;
import io.mysqlresync.testsupport.slack.Fault;
import io.mysqlresync.testsupport.slack.PostedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.mysqlresync.slack.BotHarness.ALICE;
import static io.mysqlresync.slack.BotHarness.BOB;
import static io.mysqlresync.slack.BotHarness.CAROL;
import static io.mysqlresync.slack.BotHarness.INCIDENTS;
import static io.mysqlresync.slack.BotHarness.MALLORY;
import static io.mysqlresync.slack.BotHarness.OPS;
import static io.mysqlresync.slack.BotHarness.awaitTrue;
import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Bolt Socket Mode app against the fake Slack, with the servers scripted as plain
 * values (the seed incident's status rows) and the real state store on in-memory H2: the whole
 * conversation, fast and without a MySQL server.
 * The same flows against real broken servers are in {@link SlackBotRealServersTest}.
 */
@Timeout(60)
class SlackBotTest {

    private ScriptedReader reader;
    private RecordingRunner runner;
    private StateFixture state;
    private io.mysqlresync.incident.ResyncStore store;
    private TestClock clock;
    private BotHarness h;

    @BeforeEach
    void start() throws Exception {
        reader = new ScriptedReader();
        reader.set("shop", seedIncident("5.7.44-log"));
        reader.set("billing", ResyncFixtures.healthy("billing"));
        runner = new RecordingRunner();
        state = StateFixture.fresh();
        store = state.store;
        clock = new TestClock();
        ResyncService service = ResyncFixtures.service(List.of("shop", "billing"), reader, runner, store, clock);
        h = new BotHarness(service, List.of());
    }

    @AfterEach
    void stop(TestInfo info) {
        if (h != null) {
            h.printAckLatencies(info.getDisplayName());
            try {
                h.assertNoSecretLeaked();
            } finally {
                h.close();
            }
        }
        if (state != null) state.close();
    }

    /** Bob types {@code /mysql-resync plan <cluster>}; returns the new plan once its message is posted. */
    private ProposedPlan plan(String cluster) {
        java.util.Set<String> before = new java.util.HashSet<>();
        store.history(null, 1000).forEach(e -> before.add(e.planId()));
        h.command("plan " + cluster, BOB, OPS);
        return BotHarness.await("a new plan for " + cluster, () -> store.history(cluster, 1000).stream()
                .filter(e -> e.action().equals("propose") && !before.contains(e.planId())).findFirst()
                .flatMap(e -> store.plan(e.planId())).filter(x -> !x.messageTs().isEmpty()));
    }

    private long audited(String planId, String action) {
        return store.history(null, 1000).stream().filter(e -> e.planId().equals(planId) && e.action().equals(action))
                .count();
    }

    // ------------------------------------------------------------------ commands

    @Test
    void everySlackCallGoesToTheConfiguredApiBaseUrlSocketModeIncluded() {
        assertEquals(BotHarness.BOT_TOKEN, h.fake.calls("auth.test").get(0).token());
        assertTrue(h.fake.calls("apps.connections.open").size() >= 1, "Socket Mode asked our base URL for its URL");
        assertEquals(1, h.fake.connectionCount());
        assertEquals(0, h.fake.rejectedConnectionCount());
    }


    @Test
    void afterSlackDropsTheConnectionTheBotReconnectsAtOnceAndKeepsAnswering() {
        // One round trip first: the SDK reconnects on close only for close codes from 1000 up, and a
        // socket closed before the client finished its handshake is reported below that (Java-
        // WebSocket's NEVER_CONNECTED, -1), left to the session monitor (~5 s). The fake counts a
        // connection as soon as its own side is open, so without this the drop could race it.
        assertTrue(h.command("help", BOB, OPS).payload().path("text").asText().contains("/mysql-resync"));
        int before = h.fake.connectionCount();
        h.fake.dropConnections();
        long start = System.nanoTime();
        h.fake.awaitConnections(before + 1, Duration.ofSeconds(4));
        long reconnectMillis = (System.nanoTime() - start) / 1_000_000;
        // The SDK's session monitor alone would take about 5 s; the margin is for a loaded machine.
        assertTrue(reconnectMillis < 4_000, "reconnected in " + reconnectMillis + " ms");
        Ack help = h.command("help", BOB, OPS);
        assertTrue(help.payload().path("text").asText().contains("/mysql-resync"), help.raw());

        h.fake.requestRefresh();
        h.fake.awaitConnections(before + 2, Duration.ofSeconds(4));
        assertTrue(h.command("help", BOB, OPS).payload().path("text").asText().contains("/mysql-resync"));
    }

    @Test
    void helpAndBadInputAreAnsweredInTheAckItselfAndNothingIsPosted() {
        Ack help = h.command("help", BOB, OPS);
        assertTrue(help.payload().path("text").asText().contains("`/mysql-resync plan <cluster>`"), help.raw());

        Ack unknownVerb = h.command("fix shop", BOB, OPS);
        assertTrue(unknownVerb.payload().path("text").asText().startsWith("Unknown subcommand `fix`. Valid subcommands: "
                + "`help`, `status`, `diagnose`, `plan`, `history`, `watch`, `audit`, `verify`, `repair`."), unknownVerb.raw());
        Ack unknownCluster = h.command("diagnose shpo", BOB, OPS);
        assertEquals("Unknown cluster `shpo`.\nConfigured clusters: `shop`, `billing`.",
                unknownCluster.payload().path("text").asText());
        Ack missing = h.command("plan", BOB, OPS);
        assertTrue(missing.payload().path("text").asText().startsWith("`plan` needs a cluster"), missing.raw());
        Ack badRepair = h.command("repair shop", BOB, OPS);
        assertTrue(badRepair.payload().path("text").asText().startsWith("`shop` is not a verification id. "
                + "Usage: `/mysql-resync repair <verification-id>`."), badRepair.raw());
        Ack noRepairs = h.command("repair v-1a2b3c4d", BOB, OPS);
        assertEquals(":x: Repairs are not available in this deployment.", noRepairs.payload().path("text").asText(),
                "this bot was not given a RepairService");

        assertTrue(h.fake.calls("chat.postMessage").isEmpty());
    }

    @Test
    void theAckNeverWaitsForTheServers() {
        reader.delay = Duration.ofSeconds(4); // longer than Slack's 3 s

        Ack ack = h.command("diagnose shop", BOB, OPS);

        // Well before the reader's 4 s and inside Slack's 3 s, with room for a loaded machine.
        assertTrue(ack.latency().compareTo(Duration.ofMillis(2500)) < 0, "ack latency " + ack.latency());
        assertEquals(":hourglass_flowing_sand: Diagnosing shop…", ack.payload().path("text").asText());
        PostedMessage diagnosis = BotHarness.await("the diagnosis", () -> h.fake.messages().stream().findFirst(),
                Duration.ofSeconds(15));
        assertEquals(OPS, diagnosis.channel());
        assertTrue(diagnosis.text().startsWith("shop: node1 relay log corrupt; node2 source binlog truncated by a crash"),
                diagnosis.text());
        assertTrue(store.history("shop", 10).stream().anyMatch(e -> e.action().equals("diagnose")
                && e.actor().equals(BOB)), "the request is in the audit trail");
    }

    @Test
    void statusWithoutAClusterIsOneLinePerCluster() {
        h.command("status", BOB, OPS);
        PostedMessage status = h.awaitMessage("*billing*");

        String text = BotHarness.text(status);
        assertTrue(text.contains(":red_circle: *shop*: node1 relay log corrupt"), text);
        assertTrue(text.contains(":large_green_circle: *billing*: replication healthy on every node"), text);
    }

    @Test
    void historyAndWatchAnswerTheAskerAndWatchGoesToTheHook() {
        ProposedPlan p = plan("shop");

        Envelope history = h.commandEnvelope("history shop", BOB, OPS);
        h.acked(history);
        String answer = h.awaitResponse(history, "*propose*");
        assertTrue(answer.contains("\"response_type\":\"ephemeral\""), answer);
        assertTrue(answer.contains(p.id()), answer);

        Envelope watch = h.commandEnvelope("watch shop", BOB, OPS);
        h.acked(watch);
        h.awaitResponse(watch, "Watching the lag on *shop*");
        assertEquals(List.of(new WatchRequest("shop", OPS, "", BOB)), h.watchRequests);
    }

    @Test
    void commandsFromChannelsNotAllowedAreRefused() throws Exception {
        h.close();
        h = new BotHarness(ResyncFixtures.service(List.of("shop"), reader, runner, store, clock), List.of(OPS, "C0DBA"));

        Ack refused = h.command("plan shop", BOB, "C0RANDOM");

        assertEquals(":no_entry: `/mysql-resync` is not enabled in this channel. Use it in <#C0OPS>, <#C0DBA>.",
                refused.payload().path("text").asText());
        Ack allowed = h.command("status shop", BOB, OPS);
        assertTrue(allowed.payload().path("text").asText().startsWith(":hourglass_flowing_sand:"));
        h.awaitMessage("node1 relay log corrupt");
        assertTrue(store.pendingPlans().isEmpty(), "the refused plan command made no plan");
    }

    // ------------------------------------------------------------------ plans and clicks

    @Test
    void aPlanIsPostedWithButtonsAndItsMessageIsRemembered() {
        ProposedPlan p = plan("shop");

        PostedMessage m = h.planMessage(p.id());
        assertEquals(OPS, m.channel());
        assertEquals(BOB, p.requestedBy());
        JsonNode approve = BotHarness.button(m, "approve:resync").orElseThrow();
        assertEquals(p.id() + ":resync", approve.path("value").asText());
        assertTrue(BotHarness.button(m, "reject").isPresent());
    }

    @Test
    void aListedApproverRunsThePlanOnceAndTheMessageShowsEachStatement() {
        ProposedPlan p = plan("shop");
        PostedMessage m = h.planMessage(p.id());
        // Only the newest content is sent: the second statement waits until the message showed the
        // first, so a fast run cannot fold every step into the final update.
        java.util.concurrent.atomic.AtomicReference<ApiCall> running = new java.util.concurrent.atomic.AtomicReference<>();
        runner.before = n -> {
            if (n == 1) running.set(h.fake.awaitCall("chat.update"));
        };

        h.acked(h.click(m, "approve:resync", ALICE));

        awaitTrue("plan succeeded", () -> store.plan(p.id()).orElseThrow().state() == PlanState.SUCCEEDED);
        assertEquals(6, runner.ran.size(), runner.ran.toString());
        assertEquals("shop/node1: STOP SLAVE", runner.ran.get(0));
        PostedMessage after = BotHarness.await("the outcome in the plan message", () -> h.fake.message(OPS, m.ts())
                .filter(x -> BotHarness.text(x).contains(":white_check_mark: *Approved by <@U0ALICE>*")));
        String text = BotHarness.text(after);
        assertTrue(text.contains("OK      node2  CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000235', MASTER_LOG_POS=4"), text);
        assertFalse(BotHarness.hasButtons(after), "no buttons left to click");
        assertTrue(h.fake.calls("chat.update").size() >= 2, "updated as statements ran, then with the outcome");
        String whileRunning = running.get().param("blocks");
        assertTrue(whileRunning.contains("running option") && whileRunning.contains("of 6 statements done"), whileRunning);
        assertFalse(whileRunning.contains("white_check_mark"), "no outcome while it runs: " + whileRunning);
        assertEquals(1, audited(p.id(), "approve"));
        assertEquals(6, audited(p.id(), "statement"));
    }

    @Test
    void aMemberOfTheApproverGroupMayApproveAndTheGroupIsAskedOnce() {
        ProposedPlan p = plan("shop");
        PostedMessage m = h.planMessage(p.id());

        h.acked(h.click(m, "approve:resync", CAROL));

        awaitTrue("plan succeeded", () -> store.plan(p.id()).orElseThrow().state() == PlanState.SUCCEEDED);
        assertEquals(CAROL, store.plan(p.id()).orElseThrow().decidedBy());
        ApiCall groupCall = h.fake.awaitCall("usergroups.users.list");
        assertEquals(BotHarness.APPROVER_GROUP, groupCall.param("usergroup"));

        ProposedPlan second = plan("shop");
        h.acked(h.click(h.planMessage(second.id()), "reject", CAROL));
        awaitTrue("rejected", () -> store.plan(second.id()).orElseThrow().state() == PlanState.REJECTED);
        assertEquals(1, h.fake.calls("usergroups.users.list").size(), "membership is cached");
    }

    @Test
    void anUnauthorisedClickIsRefusedToTheClickerAndNothingRuns() {
        ProposedPlan p = plan("shop");
        PostedMessage m = h.planMessage(p.id());

        h.acked(h.click(m, "approve:resync", MALLORY));

        String told = h.awaitEphemeral(MALLORY, "Not run");
        assertTrue(told.contains("you are not an approver"), told);
        assertTrue(runner.ran.isEmpty());
        assertEquals(PlanState.PROPOSED, store.plan(p.id()).orElseThrow().state());
        assertTrue(BotHarness.hasButtons(h.fake.message(OPS, m.ts()).orElseThrow()), "the plan is still approvable");
        assertTrue(h.fake.calls("chat.update").isEmpty());
        assertEquals(1, audited(p.id(), "refuse"));
    }

    @Test
    void aReSentEnvelopeRunsNothingTwice() throws Exception {
        // The re-deliveries arrive while the first click's plan is still running: its first
        // statement waits for them to be acked.
        java.util.concurrent.CountDownLatch resent = new java.util.concurrent.CountDownLatch(1);
        runner.before = n -> {
            try {
                resent.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ProposedPlan p = plan("shop");
        Envelope click = h.click(h.planMessage(p.id()), "approve:resync", ALICE);
        h.acked(click);

        Envelope again = h.fake.redeliver(click);
        h.acked(again);
        Envelope third = h.fake.redeliver(again);
        h.acked(third);
        assertTrue(runner.ran.isEmpty(), "the first click's plan is still at its first statement");
        resent.countDown();

        awaitTrue("plan succeeded", () -> store.plan(p.id()).orElseThrow().state() == PlanState.SUCCEEDED);
        Thread.sleep(300);
        assertEquals(6, runner.ran.size(), runner.ran.toString());
        assertEquals(1, audited(p.id(), "approve"));
        assertEquals(6, audited(p.id(), "statement"));
        assertEquals(3, h.fake.acks(click).size(), "every delivery is acked");
    }

    @Test
    void twoApproversClickingAtOnceRunThePlanOnce() throws Exception {
        runner.millis = 200;
        ProposedPlan p = plan("shop");
        PostedMessage m = h.planMessage(p.id());

        h.acked(h.click(m, "approve:resync", ALICE));
        h.acked(h.click(m, "approve:resync", CAROL));

        awaitTrue("plan succeeded", () -> store.plan(p.id()).orElseThrow().state() == PlanState.SUCCEEDED);
        String loser = BotHarness.await("one of them told nothing ran again", () -> {
            List<String> told = new java.util.ArrayList<>(h.ephemeralsTo(ALICE));
            told.addAll(h.ephemeralsTo(CAROL));
            return told.stream().filter(t -> t.contains("nothing was run again")).findFirst();
        });
        assertTrue(loser.contains("was already executing") || loser.contains("was already succeeded"), loser);
        assertEquals(6, runner.ran.size());
        assertEquals(1, audited(p.id(), "approve"));
        assertEquals(1, audited(p.id(), "refuse"));
    }

    @Test
    void aPlanMadeStaleByTheServersIsRefusedAndAFreshPlanIsPosted() {
        reader.set("shop", ResyncFixtures.stoppedByOperator("shop"));
        ProposedPlan p = plan("shop");
        PostedMessage m = h.planMessage(p.id());
        reader.set("shop", ResyncFixtures.healthy("shop")); // someone started the threads by hand

        h.acked(h.click(m, "approve:resync", ALICE));

        String told = h.awaitEphemeral(ALICE, "nothing was run");
        assertTrue(told.contains("node2 IO thread was STOPPED, now RUNNING"), told);
        assertTrue(runner.ran.isEmpty());
        assertEquals(PlanState.STALE, store.plan(p.id()).orElseThrow().state());
        PostedMessage stale = BotHarness.await("the stale plan marked", () -> h.fake.message(OPS, m.ts())
                .filter(x -> BotHarness.text(x).contains("*Not run*")));
        assertFalse(BotHarness.hasButtons(stale));
        ProposedPlan fresh = store.pendingPlans().stream().filter(x -> !x.id().equals(p.id())).findFirst().orElseThrow();
        assertTrue(told.contains("Fresh plan: `" + fresh.id() + "`"), told);
        PostedMessage freshMessage = h.planMessage(fresh.id());
        assertNotEquals(m.ts(), freshMessage.ts());
        assertTrue(BotHarness.text(freshMessage).contains("Nothing to do"), BotHarness.text(freshMessage));
    }

    @Test
    void anExpiredPlanIsRefusedAndMarkedExpired() {
        ProposedPlan p = plan("shop");
        PostedMessage m = h.planMessage(p.id());
        clock.advance(BotHarness.PLAN_EXPIRY.plusMinutes(1));

        h.acked(h.click(m, "approve:resync", ALICE));

        h.awaitEphemeral(ALICE, "expired");
        assertTrue(runner.ran.isEmpty());
        BotHarness.await("the plan message says expired", () -> h.fake.message(OPS, m.ts())
                .filter(x -> BotHarness.text(x).contains(":alarm_clock: *Expired*")));
    }

    @Test
    void plansExpiredByTheSchedulerLoseTheirButtons() {
        ProposedPlan p = plan("shop");
        PostedMessage m = h.planMessage(p.id());
        clock.advance(BotHarness.PLAN_EXPIRY.plusMinutes(1));

        h.service.expireOldPlans().forEach(h.bot::planChanged);

        PostedMessage expired = h.fake.message(OPS, m.ts()).orElseThrow();
        assertTrue(BotHarness.text(expired).contains(":alarm_clock: *Expired*"), BotHarness.text(expired));
        assertFalse(BotHarness.hasButtons(expired));
        assertEquals(PlanState.EXPIRED, store.plan(p.id()).orElseThrow().state());
    }

    @Test
    void aRejectedPlanCannotBeApprovedAfterwards() {
        ProposedPlan p = plan("shop");
        PostedMessage m = h.planMessage(p.id());

        h.acked(h.click(m, "reject", ALICE));
        BotHarness.await("rejected in the message", () -> h.fake.message(OPS, m.ts())
                .filter(x -> BotHarness.text(x).contains(":no_entry_sign: *Rejected by <@U0ALICE>*")));
        // A stale client still shows the buttons: the click must not run anything.
        h.acked(h.fake.blockAction("approve:resync", p.id() + ":resync", ALICE, OPS, m.ts()));

        String told = h.awaitEphemeral(ALICE, "already rejected");
        assertTrue(told.contains("nothing was run again"), told);
        assertTrue(runner.ran.isEmpty());
    }

    @Test
    void forgedButtonValuesAreRefusedBeforeTheyReachTheService() {
        ProposedPlan p = plan("shop");
        PostedMessage m = h.planMessage(p.id());

        h.acked(h.fake.blockAction("approve:resync", p.id() + ":rebuild", ALICE, OPS, m.ts()));
        h.acked(h.fake.blockAction("approve:rebuild", p.id() + ":resync", ALICE, OPS, m.ts()));
        h.acked(h.fake.blockAction("approve:resync", "p-zzzz:resync; DROP TABLE", ALICE, OPS, m.ts()));

        awaitTrue("three refusals", () -> h.ephemeralsTo(ALICE).stream()
                .filter(t -> t.contains("does not carry a plan I know")).count() == 3);
        assertTrue(runner.ran.isEmpty());
        assertEquals(PlanState.PROPOSED, store.plan(p.id()).orElseThrow().state());
    }

    // ------------------------------------------------------------------ the notifier

    @Test
    void anIncidentAlertIsUpdatedInPlaceOffersAPlanAndIsClearedOnce() {
        SlackNotifier notifier = h.bot.notifier();
        Diagnosis d = h.service.diagnose("shop");
        Incident open = new Incident("i-1", "shop", IncidentState.OPEN, "node1:RELAY_LOG_CORRUPT", d.headline(),
                clock.instant(), clock.instant(), "", "");

        MessageRef ref = notifier.incidentOpened(open, d);
        assertEquals(INCIDENTS, ref.channel());
        PostedMessage alert = h.fake.message(INCIDENTS, ref.ts()).orElseThrow();
        assertTrue(BotHarness.button(alert, "propose").isPresent());

        h.acked(h.click(alert, "propose", BOB));
        ApiCall planPost = BotHarness.await("the plan in the alert's thread", () -> h.fake.calls("chat.postMessage")
                .stream().filter(c -> ref.ts().equals(c.param("thread_ts"))).findFirst());
        assertTrue(planPost.param("text").startsWith("Recovery plan p-"), planPost.param("text"));
        ProposedPlan p = store.pendingPlans().get(0);
        assertEquals(INCIDENTS, h.planMessage(p.id()).channel());

        Incident opened = open.withMessage(ref.channel(), ref.ts());
        notifier.incidentChanged(opened.with(IncidentState.OPEN, "node1:RELAY_LOG_CORRUPT,node2:X",
                "shop: worse", clock.instant()), d);
        assertTrue(BotHarness.text(h.fake.message(INCIDENTS, ref.ts()).orElseThrow()).contains("shop: worse"));

        Diagnosis healthy = new Diagnoser(Thresholds.DEFAULT).diagnose(ResyncFixtures.healthy("shop"));
        notifier.incidentCleared(opened.with(IncidentState.CLEARED, opened.problemKey(), healthy.headline(),
                clock.instant()), healthy);
        PostedMessage cleared = h.fake.message(INCIDENTS, ref.ts()).orElseThrow();
        assertTrue(BotHarness.text(cleared).contains(":large_green_circle: Cleared"), BotHarness.text(cleared));
        assertFalse(BotHarness.hasButtons(cleared));
        List<ApiCall> replies = h.fake.calls("chat.postMessage").stream()
                .filter(c -> ref.ts().equals(c.param("thread_ts")) && c.param("text").contains("went away")).toList();
        assertEquals(1, replies.size(), "cleared is said once, in the alert's thread");
    }

    @Test
    void progressIsOneMessageUpdatedInPlaceWithMilestonesInItsThread() {
        SlackNotifier notifier = h.bot.notifier();
        LagWatch w = LagWatch.start("shop", OPS, "", clock.instant(), "i-1");
        ProgressView view = new ProgressView("shop", List.of(new ProgressView.NodeProgress("node2", 48988,
                LagProgress.Trend.FALLING, Optional.of(Duration.ofMinutes(40)), ThreadState.RUNNING, ThreadState.RUNNING,
                "")), LagProgress.Verdict.CATCHING_UP, 0, 3);

        MessageRef ref = notifier.progressStarted(w, view);
        LagWatch posted = w.withMessage(ref.ts());
        notifier.progressUpdated(posted, new ProgressView("shop", List.of(new ProgressView.NodeProgress("node2", 0,
                LagProgress.Trend.FALLING, Optional.of(Duration.ZERO), ThreadState.RUNNING, ThreadState.RUNNING, "")),
                LagProgress.Verdict.IN_SYNC, 3, 3));
        notifier.progressMilestone(posted, "node2 caught up");

        assertEquals(1, h.fake.messages().stream().filter(m -> m.channel().equals(OPS) && m.ts().equals(ref.ts())).count());
        assertTrue(BotHarness.text(h.fake.message(OPS, ref.ts()).orElseThrow()).contains(":white_check_mark: shop: replication caught up (the data is verified next)"));
        ApiCall milestone = h.fake.calls("chat.postMessage").get(1);
        assertEquals(ref.ts(), milestone.param("thread_ts"));
        assertEquals("node2 caught up", milestone.param("text"));
    }

    @Test
    void aRateLimitedPostWaitsForRetryAfterOnceThenGivesUpWithoutThrowing() {
        SlackNotifier notifier = h.bot.notifier();
        Diagnosis d = h.service.diagnose("shop");
        Incident open = new Incident("i-9", "shop", IncidentState.OPEN, "k", d.headline(), clock.instant(),
                clock.instant(), "", "");

        h.fake.failNext("chat.postMessage", Fault.rateLimited(1));
        long start = System.nanoTime();
        MessageRef ref = notifier.incidentOpened(open, d);
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertNotEquals(MessageRef.NONE, ref);
        assertTrue(waited >= 1000, "waited " + waited + " ms for Retry-After: 1");

        h.fake.failNext("chat.postMessage", Fault.rateLimited(1));
        h.fake.failNext("chat.postMessage", Fault.rateLimited(1));
        assertEquals(MessageRef.NONE, notifier.incidentOpened(open, d));

        h.fake.failNext("chat.postMessage", Fault.rateLimited(600));
        start = System.nanoTime();
        assertEquals(MessageRef.NONE, notifier.incidentOpened(open, d), "a 10-minute Retry-After is not waited for");
        assertTrue((System.nanoTime() - start) / 1_000_000 < 3000, "not waited for: one try, then queued");

        h.fake.failAlways("chat.update", Fault.httpStatus(503));
        notifier.incidentChanged(open.withMessage(ref.channel(), ref.ts()), d); // must not throw
        notifier.progressUpdated(LagWatch.start("shop", OPS, "", clock.instant(), "").withMessage(ref.ts()),
                new ProgressView("shop", List.of(), LagProgress.Verdict.CATCHING_UP, 0, 3));
    }

    @Test
    void noTokenEverReachesTheLogs() throws Exception {
        PrintStream realErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            h.close();
            h = new BotHarness(ResyncFixtures.service(List.of("shop"), reader, runner, store, clock), List.of());
            ProposedPlan p = plan("shop");
            h.fake.failNext("chat.update", Fault.rateLimited(1));
            h.acked(h.click(h.planMessage(p.id()), "approve:resync", ALICE));
            awaitTrue("plan succeeded", () -> store.plan(p.id()).orElseThrow().state() == PlanState.SUCCEEDED);
            h.fake.failAlways("chat.postEphemeral", Fault.httpStatus(500));
            h.acked(h.click(h.planMessage(p.id()), "approve:resync", MALLORY));
            Thread.sleep(300);
        } finally {
            System.setErr(realErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        realErr.print(log);
        assertTrue(log.contains("rate limited"), "the log shows what happened: " + log);
        assertFalse(log.contains(BotHarness.BOT_TOKEN), "bot token in the log");
        assertFalse(log.contains(BotHarness.APP_TOKEN), "app token in the log");
        assertFalse(log.contains("xoxb-") || log.contains("xapp-"), "a token in the log");
    }

    @Test
    void theAuditTrailRecordsWhoAskedAndWhoApproved() {
        ProposedPlan p = plan("shop");
        h.acked(h.click(h.planMessage(p.id()), "approve:resync", ALICE));
        awaitTrue("plan succeeded", () -> store.plan(p.id()).orElseThrow().state() == PlanState.SUCCEEDED);

        List<AuditEntry> trail = store.history("shop", 50);
        assertTrue(trail.stream().anyMatch(e -> e.actor().equals(BOB) && e.action().equals("propose")));
        assertTrue(trail.stream().anyMatch(e -> e.actor().equals(ALICE) && e.action().equals("approve")
                && e.detail().equals("option resync")));
    }
}
