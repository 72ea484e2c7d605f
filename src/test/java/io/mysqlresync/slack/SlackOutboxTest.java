package io.mysqlresync.slack;

import com.slack.api.Slack;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.Interruption;
import io.mysqlresync.incident.LagProgress;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ShardPoll;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.replication.ThreadState;
import io.mysqlresync.store.JdbcOutbox;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.TestClock;
import io.mysqlresync.testsupport.slack.ApiCall;
import io.mysqlresync.testsupport.slack.Fault;
import io.mysqlresync.testsupport.slack.FakeSlack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slack unreachable while the bot speaks (issue 14 item 6): the real Slack SDK client against the
 * fake Slack answering 503, the outbox in a real (H2) state database. What was said meanwhile
 * arrives when Slack is back: in order, each message once, alerts with their newest content,
 * replies in the right thread, marked late; a restarted bot or another replica delivers it too.
 */
class SlackOutboxTest {

    private static final String INCIDENTS = "C0INCIDENTS";
    private static final String OPS = "C0OPS";
    private static final Diagnoser DIAGNOSER = new Diagnoser(Thresholds.DEFAULT);

    private FakeSlack fake;
    private StateFixture state;
    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T03:00:00Z"));
    private final List<Slack> clients = new ArrayList<>();
    private final List<SlackOutbox> outboxes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fake = FakeSlack.start();
        state = StateFixture.fresh();
    }

    @AfterEach
    void stop() throws Exception {
        outboxes.forEach(SlackOutbox::close);
        for (Slack s : clients) s.close();
        state.close();
        fake.close();
    }

    /** A bot replica's Slack side on the shared state database. */
    private SlackOutbox replica(String name) {
        Slack slack = Slack.getInstance(SlackBot.slackConfig(fake.apiBaseUrl()));
        clients.add(slack);
        SlackGateway gateway = new SlackGateway(slack.methods("xoxb-outbox-test"), Duration.ofSeconds(1),
                d -> Thread.sleep(d.toMillis()));
        SlackOutbox out = new SlackOutbox(new JdbcOutbox(state.database.dataSource()), gateway, name, clock);
        outboxes.add(out);
        return out;
    }

    private static SlackNotifier notifier(SlackOutbox out) {
        return new SlackNotifier(null, out, INCIDENTS);
    }

    private void slackGoesDark() {
        fake.failAlways("chat.postMessage", Fault.httpStatus(503));
        fake.failAlways("chat.update", Fault.httpStatus(503));
    }

    private List<ApiCall> delivered(String method) {
        return fake.calls(method).stream().filter(c -> c.fault().isEmpty()).toList();
    }

    private static ProgressView progress(long lag) {
        return new ProgressView("shop", List.of(new ProgressView.NodeProgress("node2", lag, LagProgress.Trend.FALLING,
                Optional.of(Duration.ofSeconds(lag)), ThreadState.RUNNING, ThreadState.RUNNING, "")),
                LagProgress.Verdict.CATCHING_UP, 0, 3);
    }

    @Test
    void whatIsSaidWhileSlackIsDownArrivesInOrderOnceWithTheNewestContentWhenItIsBack() {
        SlackOutbox out = replica("bot-1");
        SlackNotifier notifier = notifier(out);
        slackGoesDark();

        Diagnosis stopped = DIAGNOSER.diagnose(ResyncFixtures.stoppedByOperator("shop"));
        Incident open = new Incident("i-1", "shop", IncidentState.OPEN, "k1", "shop: first look", clock.instant(),
                clock.instant(), "", "");
        MessageRef ref = notifier.incidentOpened(open, stopped);
        assertEquals(new MessageRef(INCIDENTS, ""), ref, "not in Slack yet: a channel, no ts");
        clock.advance(Duration.ofSeconds(20));
        notifier.incidentChanged(open.withMessage(ref.channel(), ref.ts()).with(IncidentState.OPEN, "k2",
                "shop: worse now", clock.instant()), stopped);
        notifier.shardsLate(List.of(new ShardPoll(3, "replica-b", clock.instant().minusSeconds(30), null, 7, true)), 4,
                Duration.ofSeconds(10));
        LagWatch watch = LagWatch.start("shop", OPS, "", clock.instant(), "i-1");
        assertEquals(MessageRef.NONE, notifier.progressStarted(watch, progress(900)));
        clock.advance(Duration.ofSeconds(5));
        // the lag watch asks again at each check while its message is not posted
        assertEquals(MessageRef.NONE, notifier.progressStarted(watch, progress(600)));
        notifier.progressMilestone(watch, "node2 lag stopped falling");

        int triedWhileDark = fake.calls("chat.postMessage").size();
        // 7 things said over 25 s; Slack tried at 0 s, then once each time its backoff (<= 1 s, <= 2 s) had passed
        assertEquals(3, triedWhileDark, "one try per backoff, not one per message");
        assertTrue(delivered("chat.postMessage").isEmpty());
        out.deliver();
        assertEquals(4, out.depth(), "alert, gap alert, progress, milestone");
        assertNotEquals(null, out.oldestQueued());

        clock.advance(Duration.ofMinutes(3));
        fake.clearFaults();
        out.deliver();

        List<ApiCall> posts = delivered("chat.postMessage");
        assertEquals(4, posts.size(), posts.toString());
        assertTrue(posts.get(0).param("text").contains("shop: worse now"), "the alert, with its newest content: "
                + posts.get(0).param("text"));
        assertTrue(posts.get(1).param("text").toLowerCase().contains("shard"), posts.get(1).param("text"));
        assertEquals(OPS, posts.get(2).param("channel"));
        String progressTs = fake.messages().stream().filter(m -> m.channel().equals(OPS) && m.text().contains("shop"))
                .findFirst().orElseThrow().ts();
        // lag shown compact: 600 s is "10m", the first content's 900 s "15m"
        assertTrue(posts.get(2).param("blocks").contains("10m"), "the progress as last said: " + posts.get(2));
        assertFalse(posts.get(2).param("blocks").contains("15m"), "not the progress first said: " + posts.get(2));
        assertEquals("node2 lag stopped falling\n_Sent late: written at 2026-11-30 03:00:25 UTC, while Slack could"
                + " not be reached (3 min)._", posts.get(3).param("text"));
        assertEquals(progressTs, posts.get(3).param("thread_ts"), "the milestone in its progress message's thread");
        for (int i = 0; i < 3; i++) {
            assertTrue(posts.get(i).param("blocks").contains("Sent late: written at"), posts.get(i).param("blocks"));
        }
        assertTrue(delivered("chat.update").isEmpty(), "the waiting alert took the change: no update needed");
        assertEquals(0, out.depth());
        assertEquals(null, out.oldestQueued());

        // once delivered, later changes find the alert by its key and update it in place
        String alertTs = fake.messages().stream().filter(m -> m.channel().equals(INCIDENTS)).findFirst().orElseThrow().ts();
        notifier.incidentCleared(open.with(IncidentState.CLEARED, "k2", "shop: healthy", clock.instant()), stopped);
        assertEquals(alertTs, delivered("chat.update").get(0).param("ts"));
        ApiCall said = delivered("chat.postMessage").get(4);
        assertEquals(alertTs, said.param("thread_ts"));
        assertTrue(said.param("text").contains("went away by itself"), said.param("text"));
    }

    @Test
    void aPlanAndAnAlertDeliveredAfterTheirCallersStoppedWaitingAreRecordedWhereTheyLanded() {
        SlackOutbox out = replica("bot-1");
        List<String> plans = new ArrayList<>();
        List<String> alerts = new ArrayList<>();
        out.onPosted(SlackNotifier.recordingPosts((id, ch, ts) -> plans.add(id + " " + ch + " " + ts),
                (id, ch, ts) -> alerts.add(id + " " + ch + " " + ts)));
        SlackNotifier notifier = notifier(out);
        slackGoesDark();

        Diagnosis stopped = DIAGNOSER.diagnose(ResyncFixtures.stoppedByOperator("shop"));
        Incident open = new Incident("i-7", "shop", IncidentState.OPEN, "k1", "shop: first look", clock.instant(),
                clock.instant(), "", "");
        assertEquals("", notifier.incidentOpened(open, stopped).ts(), "not in Slack yet");
        RecoveryPlan made = new Planner().plan(stopped, "p-old", clock.instant());
        ProposedPlan old = new ProposedPlan(made, "U0ALICE", clock.instant().plus(Duration.ofMinutes(15)),
                PlanState.INTERRUPTED, "", null, OPS, "");
        ProposedPlan fresh = new ProposedPlan(new Planner().plan(stopped, "p-fresh", clock.instant()), "bot",
                clock.instant().plus(Duration.ofMinutes(15)), PlanState.PROPOSED, "", null, OPS, "");
        assertEquals(MessageRef.NONE, notifier.planInterrupted(new Interruption(old, "bot-0", List.of(), fresh)),
                "the fresh plan waits in the outbox: its caller has no ts to record");
        assertTrue(plans.isEmpty() && alerts.isEmpty());

        clock.advance(Duration.ofMinutes(2));
        fake.clearFaults();
        out.deliver();

        String alertTs = fake.messages().stream().filter(m -> m.channel().equals(INCIDENTS)).findFirst().orElseThrow().ts();
        List<String> planTs = fake.messages().stream().filter(m -> m.channel().equals(OPS)).map(m -> m.ts()).toList();
        assertEquals(2, planTs.size(), "the interrupted plan, then the fresh one: " + planTs);
        assertEquals(List.of("i-7 " + INCIDENTS + " " + alertTs), alerts);
        assertEquals(List.of("p-old " + OPS + " " + planTs.get(0), "p-fresh " + OPS + " " + planTs.get(1)), plans,
                "each plan's buttons recorded on the message they landed on");
    }

    @Test
    void whenTheSocketModeLinkOpensAgain_whatWaitsOutABackoffIsSentAtOnce() throws Exception {
        SlackOutbox out = replica("bot-1");
        out.start(Duration.ofMinutes(10)); // the ticker only: its own rounds would come far too late
        slackGoesDark();
        for (int i = 0; i < 4; i++) { // four tries: the backoff is now seconds long
            notifier(out).shardsLate(List.of(new ShardPoll(i, "replica-b", clock.instant(), null, i, true)), 4,
                    Duration.ofSeconds(10));
            clock.advance(Duration.ofSeconds(20));
            out.deliver();
        }
        assertTrue(delivered("chat.postMessage").isEmpty());
        fake.clearFaults();
        out.deliver();
        assertTrue(delivered("chat.postMessage").isEmpty(), "still backing off: nothing tried yet");

        out.slackIsBack();

        // Slack has the fourth before the ticker marks it delivered: wait for both.
        org.awaitility.Awaitility.await("delivered once Slack answers again").atMost(Duration.ofSeconds(5))
                .until(() -> delivered("chat.postMessage").size() == 4 && out.depth() == 0);
        assertEquals(4, delivered("chat.postMessage").size(), "each once");
    }

    @Test
    void aRestartedBotDeliversWhatTheStoppedOneLeftAndAnotherReplicaNeverSendsItTwice() throws Exception {
        SlackOutbox first = replica("bot-1");
        slackGoesDark();
        for (int i = 1; i <= 12; i++) {
            notifier(first).shardsLate(List.of(new ShardPoll(i, "replica-b", clock.instant(), null, i, true)), 16,
                    Duration.ofSeconds(10));
            clock.advance(Duration.ofSeconds(1));
        }
        first.close(); // the bot stops while Slack is still down

        SlackOutbox second = replica("bot-2");
        SlackOutbox third = replica("bot-3");
        fake.clearFaults();
        clock.advance(Duration.ofMinutes(1));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            for (SlackOutbox r : List.of(second, third)) {
                runs.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 20; i++) r.deliver();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : runs) f.get();
        } finally {
            pool.shutdownNow();
        }
        second.deliver();
        List<ApiCall> posts = delivered("chat.postMessage");
        assertEquals(12, posts.size(), "each message once");
        for (int i = 0; i < 12; i++) {
            assertTrue(posts.get(i).param("blocks").contains("shard " + (i + 2) + " of 16"),
                    "in the order they were said: #" + i + " " + posts.get(i).param("blocks"));
        }
        assertEquals(0, second.depth());
    }

    @Test
    void aMessageSlackRefusesIsDroppedAndHoldsUpNothing() {
        SlackOutbox out = replica("bot-1");
        fake.failNext("chat.postMessage", Fault.error("channel_not_found"));
        Optional<String> refused = out.post("", "C0GONE", "", "", new SlackMessage("to a channel that is gone",
                List.of()), "test");
        Optional<String> next = out.post("", INCIDENTS, "", "", new SlackMessage("the next one", List.of()), "test");
        assertTrue(refused.isEmpty());
        assertTrue(next.isPresent(), "delivered at once, right after the refused one");
        assertEquals(0, out.depth());
    }

    @Test
    void slackAskingToWaitIsHonouredBeforeTheNextTry() {
        SlackOutbox out = replica("bot-1");
        fake.failNext("chat.postMessage", Fault.rateLimited(45));
        assertTrue(out.post("", INCIDENTS, "", "", new SlackMessage("rate limited", List.of()), "test").isEmpty());
        clock.advance(Duration.ofSeconds(40));
        out.deliver();
        assertEquals(1, fake.calls("chat.postMessage").size(), "Retry-After: 45 not over yet");
        clock.advance(Duration.ofSeconds(6));
        out.deliver();
        assertEquals(1, delivered("chat.postMessage").size());
    }

    @Test
    void withoutItsStateDatabaseTheOutboxSpeaksToSlackDirectly() {
        SlackOutbox out = replica("bot-1");
        state.database.close();
        assertTrue(out.post("incident:x", INCIDENTS, "", "", new SlackMessage("said anyway", List.of()), "test")
                .isPresent());
        assertFalse(out.keepsMessages());
        assertEquals("said anyway", delivered("chat.postMessage").get(0).param("text"));
    }

    @Test
    void backoffGrowsWithJitterUpToItsCeilingAndNeverBelowRetryAfter() {
        for (int attempts = 0; attempts < 12; attempts++) {
            long ceiling = Math.min(SlackOutbox.MAX_BACKOFF.toMillis(), 1000L << Math.min(attempts, 10));
            Duration d = SlackOutbox.backoff(attempts, Duration.ZERO);
            assertTrue(d.toMillis() >= ceiling / 2 && d.toMillis() <= ceiling, attempts + ": " + d);
        }
        assertEquals(Duration.ofSeconds(90), SlackOutbox.backoff(0, Duration.ofSeconds(90)));
    }

    @Test
    void aPlanRunningWhileSlackGoesAwayEndsWithItsFinalStateInItsMessage() {
        SlackOutbox out = replica("bot-1");
        String ts = out.post("", OPS, "", "", new SlackMessage("Recovery plan p-1", List.of()), "plan p-1").orElseThrow();
        MessageUpdates message = new MessageUpdates((ch, t, m, w) -> out.update(SlackNotifier.planKey("p-1"), ch, t, m, w),
                Runnable::run, OPS, ts, "plan p-1 message");
        slackGoesDark();
        message.submit(new SlackMessage("running: node1 START SLAVE -> OK", List.of()));
        clock.advance(Duration.ofSeconds(3));
        message.submit(new SlackMessage("running: node2 START SLAVE -> OK", List.of()));
        message.submit(new SlackMessage("Executed by Alice: both statements OK", List.of()));
        fake.clearFaults();
        clock.advance(Duration.ofSeconds(20));
        out.deliver();
        List<ApiCall> updates = delivered("chat.update");
        assertEquals(1, updates.size(), "the waiting updates became one: " + updates);
        assertEquals(ts, updates.get(0).param("ts"));
        assertEquals("Executed by Alice: both statements OK", updates.get(0).param("text"));
    }

    @Test
    void aMessageSurvivesEncodingWithItsBlocks() {
        Diagnosis stopped = DIAGNOSER.diagnose(ResyncFixtures.stoppedByOperator("shop"));
        SlackMessage m = SlackRenderer.incident(new Incident("i-2", "shop", IncidentState.OPEN, "k", "h",
                clock.instant(), clock.instant(), "", ""), stopped);
        SlackMessage back = SlackOutbox.decode(SlackOutbox.encode(m));
        assertEquals(m.text(), back.text());
        assertEquals(BlockJson.of(m), BlockJson.of(back));
    }
}
