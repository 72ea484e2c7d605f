package io.mysqlresync.schedule;

import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.schedule.RecordingNotifier.Kind;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.StateFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduler on real Quartz (in memory, and the JDBC job store on H2) with a cluster whose
 * state the test sets: jobs fire, end, survive a bot restart, and several schedulers share a JVM.
 */
class ResyncSchedulerTest {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PROGRESS = Duration.ofMillis(200);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Clock clock = Clock.systemUTC();
    private final FakeCluster cluster = new FakeCluster(clock);
    private final String dbName = StateFixture.newDatabaseName();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final RecordingNotifier slack = new RecordingNotifier();
    private final MonitorSettings settings = StateFixture.settings(POLL, PROGRESS);

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private StateDatabase db(boolean clustered) {
        StateDatabase db = StateFixture.open(dbName, clustered);
        open.add(db);
        return db;
    }

    private ResyncScheduler scheduler(Properties quartz, ResyncStore store) {
        ResyncScheduler s = new ResyncScheduler(quartz, List.of("shop"), cluster, store, slack, settings, clock);
        open.add(s);
        return s;
    }

    @Test
    void eachConfiguredClusterGetsAMonitorThatAlertsThroughQuartz() {
        StateDatabase db = db(false);
        ResyncScheduler s = scheduler(ResyncScheduler.inMemory("one-bot", 2), StateFixture.store(db));
        s.start();
        assertTrue(s.monitoring("shop"));
        int reads = cluster.reads();
        // Polls keep coming (a loaded machine may run them late: waited for, not counted in a window).
        Waits.until(Duration.ofSeconds(5), "three polls", () -> cluster.reads() - reads >= 3, cluster::reads);

        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        Waits.until(WAIT, "an alert", () -> slack.count(Kind.OPENED) == 1, slack::calls);
        Waits.holdsFor(POLL.multipliedBy(5), "one alert, nothing more", () -> slack.calls().size() == 1, slack::calls);
    }

    @Test
    void aWatchEndsItsOwnJobOnceInSyncAndNothingIsPostedAfterwards() {
        StateDatabase db = db(false);
        ResyncStore store = StateFixture.store(db);
        ResyncScheduler s = scheduler(StateFixture.quartz(db, "bot-1"), store);
        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        s.start();
        Waits.until(WAIT, "an alert", () -> slack.count(Kind.OPENED) == 1, slack::calls);
        Incident incident = store.openIncident("shop").orElseThrow();

        cluster.set("node1", cluster.node("node1").lagging(90));
        s.startWatch("shop", "C-TEST", "1700000000.000100", incident.id());
        assertEquals(IncidentState.CATCHING_UP, store.openIncident("shop").orElseThrow().state());
        assertTrue(s.watching("shop"));
        Waits.until(WAIT, "the progress message", () -> slack.count(Kind.PROGRESS_STARTED) == 1, slack::calls);
        cluster.set("node1", cluster.node("node1").lagging(0));
        Waits.until(WAIT, "back in sync", () -> !s.watching("shop"), slack::calls);

        int calls = slack.calls().size();
        Waits.holdsFor(PROGRESS.multipliedBy(8), "nothing after back in sync", () -> slack.calls().size() == calls,
                slack::calls);
        assertEquals(1, slack.count(Kind.OPENED), "the monitor did not alert about the lag: " + slack.calls());
        assertTrue(store.watch("shop").isEmpty());
        assertTrue(store.openIncident("shop").isEmpty(), "the incident is closed (UNVERIFIED: no verifier wired here)");
    }

    @Test
    void aWatchSurvivesABotRestartAndKeepsEditingTheSameMessage() {
        StateDatabase db = db(false);
        ResyncStore store = StateFixture.store(db);
        cluster.set("node1", cluster.node("node1").lagging(900));
        ResyncScheduler before = scheduler(ResyncScheduler.inMemory("before-restart", 2), store);
        before.start();
        before.startWatch("shop", "C-TEST", "", "");
        Waits.until(WAIT, "the progress message", () -> slack.count(Kind.PROGRESS_STARTED) == 1, slack::calls);
        before.close();
        String message = store.watch("shop").orElseThrow().messageTs();

        ResyncScheduler after = scheduler(ResyncScheduler.inMemory("after-restart", 2), store);
        after.start();
        assertTrue(after.watching("shop"), "resumed from the store");
        cluster.set("node1", cluster.node("node1").lagging(850));
        Waits.until(WAIT, "an edit", () -> slack.calls(Kind.PROGRESS_UPDATED).stream()
                .anyMatch(c -> c.watch().messageTs().equals(message)), slack::calls);
        assertEquals(1, slack.count(Kind.PROGRESS_STARTED), slack.calls()::toString);
    }

    @Test
    void startTimesSeenBeforeABotRestartRevealANodeThatRestartedWhileTheBotWasDown() {
        StateDatabase db = db(false);
        ResyncStore store = StateFixture.store(db);
        ResyncScheduler before = scheduler(StateFixture.quartz(db, "bot-1"), store);
        before.start();
        Waits.until(WAIT, "a few polls", () -> cluster.reads() >= 3, slack::calls);
        before.close();

        cluster.set("node2", cluster.node("node2").restartedAt(clock.instant()));
        ResyncScheduler after = scheduler(StateFixture.quartz(db, "bot-1"), store);
        after.start();

        Waits.until(WAIT, "the restart alert", () -> slack.count(Kind.OPENED) == 1, slack::calls);
        assertEquals("node2:RESTARTED", slack.calls(Kind.OPENED).get(0).incident().problemKey());
    }

    @Test
    void aLateRunIsSkippedToNowNotPiledUp() {
        Properties p = ResyncScheduler.withMisfireThreshold(ResyncScheduler.inMemory("x", 1), settings);
        assertEquals("200", p.getProperty(ResyncScheduler.MISFIRE_THRESHOLD));
        Properties explicit = ResyncScheduler.inMemory("x", 1);
        explicit.setProperty(ResyncScheduler.MISFIRE_THRESHOLD, "5000");
        assertEquals("5000", ResyncScheduler.withMisfireThreshold(explicit, settings)
                .getProperty(ResyncScheduler.MISFIRE_THRESHOLD));
    }

    @Test
    void aSlowPollDoesNotCauseABurstOfPollsAfterIt() {
        StateDatabase db = db(false);
        List<Long> starts = new ArrayList<>();
        ClusterReader slow = name -> {
            synchronized (starts) {
                starts.add(System.nanoTime());
                if (starts.size() == 2) {
                    Waits.sleep(Duration.ofMillis(2000)); // a node answering at its read timeout
                }
            }
            return cluster.read(name);
        };
        ResyncScheduler s = new ResyncScheduler(ResyncScheduler.inMemory("slow", 2), List.of("shop"), slow,
                StateFixture.store(db), slack, settings, clock);
        open.add(s);
        s.start();
        Waits.until(WAIT, "polls after the slow one", () -> {
            synchronized (starts) {
                return starts.size() >= 6;
            }
        }, () -> starts.size());
        synchronized (starts) {
            // After the slow (second) poll, the next ones keep the interval instead of firing back to
            // back: the three intervals after it span about three polls. Measured over the span, not
            // per gap, since one late firing on a busy machine shortens the gap after it.
            long spanMillis = (starts.get(5) - starts.get(2)) / 1_000_000;
            assertTrue(spanMillis >= POLL.toMillis() * 3 / 2, "polls 3 to 6 within " + spanMillis
                    + " ms: a burst, not one poll per " + POLL.toMillis() + " ms");
        }
    }

    @Test
    void twoSchedulersWithTheSameNameRunSideBySideInOneJvm() {
        StateDatabase db = db(false);
        ResyncScheduler a = scheduler(ResyncScheduler.inMemory("mysql-resync", 1), StateFixture.store(db));
        ResyncScheduler b = scheduler(ResyncScheduler.inMemory("mysql-resync", 1), StateFixture.store(db));
        a.start();
        b.start();
        a.startWatch("shop", "C-TEST", "", "");
        assertTrue(a.watching("shop"));
        assertFalse(b.watching("shop"), "separate in-memory job stores: b is its own scheduler");
        // Each stop waits for its own workers, counted (WorkerPool), whether the job store is in memory or clustered.
        assertTrue(a.countsWorkers() && b.countsWorkers());
        ResyncScheduler clustered = scheduler(StateFixture.quartz(db, "bot-1"), StateFixture.store(db));
        assertTrue(clustered.countsWorkers());
    }

    @Test
    void onlyConfiguredClustersCanBeWatched() {
        StateDatabase db = db(false);
        ResyncScheduler s = scheduler(ResyncScheduler.inMemory("x", 1), StateFixture.store(db));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.startWatch("shopp", "C-TEST", "", ""));
        assertTrue(e.getMessage().contains("shopp"), e.getMessage());
        assertTrue(StateFixture.store(db).watch("shopp").isEmpty());
    }

    @Test
    void aClusterNoLongerConfiguredIsNoLongerPolledAndMonitorJobsOfAnOlderVersionAreRemoved() throws Exception {
        StateDatabase db = db(false);
        ResyncStore store = StateFixture.store(db);
        Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        ClusterReader twoClusters = name -> {
            reads.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            return named(name, cluster.read(FakeCluster.NAME));
        };
        ResyncScheduler withTwo = new ResyncScheduler(StateFixture.quartz(db, "bot-1"), List.of("shop", "old"),
                twoClusters, store, slack, settings, clock);
        withTwo.start();
        assertTrue(withTwo.monitoring("old"));
        Waits.until(WAIT, "both clusters polled", () -> reads.containsKey("old") && reads.containsKey("shop"),
                reads::toString);
        withTwo.close();
        // What older layouts left in the job store: a monitor job per cluster, then one job
        // for every cluster, and shard jobs of another shard count.
        JobKey legacy = new JobKey("shop", MonitorJob.GROUP);
        scheduleLegacyMonitorJob(db, legacy);
        JobKey single = new JobKey("all clusters", MonitorJob.GROUP);
        scheduleLegacyMonitorJob(db, single);
        JobKey otherCount = MonitorJob.key(4, 5);
        scheduleLegacyMonitorJob(db, otherCount);

        ResyncScheduler withOne = new ResyncScheduler(StateFixture.quartz(db, "bot-1"), List.of("shop"),
                twoClusters, store, slack, settings, clock);
        open.add(withOne);
        assertTrue(withOne.hasJob(legacy) && withOne.hasJob(single) && withOne.hasJob(otherCount),
                "the older layouts' jobs are in the bot's job store before it starts");
        withOne.start();
        assertFalse(withOne.hasJob(legacy), "the per-cluster monitor job of the older version is gone");
        assertFalse(withOne.hasJob(single), "the single monitor job of the older version is gone");
        assertFalse(withOne.hasJob(otherCount), "shard jobs of another shard count are gone");
        for (int shard = 0; shard < settings.shards(); shard++) {
            assertTrue(withOne.hasJob(MonitorJob.key(shard, settings.shards())), "shard job " + shard);
        }
        assertFalse(withOne.monitoring("old"));
        assertTrue(withOne.monitoring("shop"));
        int oldReads = reads.get("old").get();
        int shopReads = reads.get("shop").get();
        Waits.until(WAIT, "shop polled again", () -> reads.get("shop").get() >= shopReads + 5, reads::toString);
        assertEquals(oldReads, reads.get("old").get(), "old is not polled any more");
        assertEquals(List.of(), slack.calls(), "the legacy job never ran: " + slack.calls());
    }

    @Test
    void aSlowClusterDoesNotHoldUpTheOthers() {
        StateDatabase db = db(false);
        Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
        AtomicInteger slowAtOnce = new AtomicInteger();
        AtomicInteger slowMostAtOnce = new AtomicInteger();
        ClusterReader oneSlow = name -> {
            reads.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            if (name.equals("slow")) {
                slowMostAtOnce.accumulateAndGet(slowAtOnce.incrementAndGet(), Math::max);
                try {
                    Waits.sleep(Duration.ofMillis(1500)); // a hung node, answered at its read deadline
                } finally {
                    slowAtOnce.decrementAndGet();
                }
            }
            return named(name, cluster.read(FakeCluster.NAME));
        };
        ResyncScheduler s = new ResyncScheduler(ResyncScheduler.inMemory("one-slow", 2), List.of("shop", "slow"),
                oneSlow, StateFixture.store(db), slack, settings, clock);
        open.add(s);
        s.start();
        Waits.until(WAIT, "the slow cluster read twice", () -> reads.containsKey("slow")
                && reads.get("slow").get() >= 2, reads::toString);
        Waits.until(WAIT, "the slow cluster's second read done", () -> slowAtOnce.get() == 0, reads::toString);
        int shop = reads.get("shop").get();
        int slow = reads.get("slow").get();
        // Two slow reads take at least 3 s; at a 200 ms interval, shop kept its pace meanwhile.
        assertTrue(shop >= 10, "shop polled " + shop + " times while slow was read " + slow + " times");
        assertEquals(1, slowMostAtOnce.get(), "never two polls of one cluster at once");
        assertEquals(List.of(), slack.calls());
    }

    /**
     * On SIGTERM, H2's own shutdown hook can close the state database while a job runs. The
     * finished job's worker then retries recording its end until the job store shuts down, which
     * Quartz's shutdown(true) does only after its workers are done: the stop never ended. The
     * monitor job only starts its polls, so the job held up here is a lag watch check, which
     * reads the cluster on the Quartz worker, next to a monitor poll held up the same way.
     */
    @Test
    void theBotStopsWhenItsStateDatabaseClosedUnderARunningJob() throws Exception {
        StateDatabase db = db(false);
        CountDownLatch reading = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ClusterReader heldUp = name -> {
            reading.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return cluster.read(name);
        };
        ResyncScheduler s = new ResyncScheduler(StateFixture.quartz(db, "bot-1"), List.of("shop"), heldUp,
                StateFixture.store(db), slack, StateFixture.settings(Duration.ofSeconds(5), PROGRESS), clock);
        s.start();
        s.startWatch("shop", "C-TEST", "", "");
        assertTrue(reading.await(10, TimeUnit.SECONDS), "the monitor poll and the lag watch check did not both run");
        db.close();
        release.countDown();
        Waits.sleep(Duration.ofMillis(300)); // the jobs end; recording their end fails, and is retried

        assertTimeoutPreemptively(Duration.ofSeconds(30), s::close, "the scheduler never stopped");
    }

    /** The fake pair's status under another cluster name. */
    private static ClusterStatus named(String name, ClusterStatus status) {
        return new ClusterStatus(name, status.nodes(), status.sourceOf());
    }

    /** Schedules a monitor job the way an older layout did, in the bot's job store. */
    private static void scheduleLegacyMonitorJob(StateDatabase db, JobKey key) throws Exception {
        Properties p = StateFixture.quartz(db, "legacy");
        // The bot's scheduler name: Quartz keeps each scheduler's jobs apart by it.
        p.setProperty("org.quartz.jobStore.isClustered", "false");
        Scheduler legacy = new StdSchedulerFactory(p).getScheduler();
        try {
            legacy.scheduleJob(JobBuilder.newJob(MonitorJob.class).withIdentity(key)
                            .usingJobData("cluster", key.getName()).build(),
                    TriggerBuilder.newTrigger().withIdentity(key.getName(), key.getGroup())
                            .startAt(Date.from(Instant.now().plusSeconds(3600))).build());
        } finally {
            legacy.shutdown(false);
        }
    }
}
