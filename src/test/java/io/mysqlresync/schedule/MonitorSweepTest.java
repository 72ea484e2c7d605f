package io.mysqlresync.schedule;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.BotMetrics;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One sweep over several clusters, without Quartz: the start times each cluster keeps, and a late poll. */
class MonitorSweepTest {

    /** Still: the start times read (read time minus whole seconds of Uptime) do not wander. */
    private final TestClock clock = new TestClock(Instant.parse("2016-05-17T09:00:00Z"));
    private final FakeCluster cluster = new FakeCluster(clock);
    private final StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
    private final ResyncStore store = StateFixture.store(db);
    private final RecordingNotifier slack = new RecordingNotifier();

    @AfterEach
    void close() {
        db.close();
    }

    private MonitorSweep sweep(ClusterReader reader) {
        return sweep(reader, Duration.ZERO);
    }

    private MonitorSweep sweep(ClusterReader reader, Duration spread) {
        return new MonitorSweep(new ClusterMonitor(reader, new Diagnoser(Thresholds.DEFAULT), store,
                new IncidentLifecycle(store, slack, clock, watch -> { }), clock), spread, 4);
    }

    @Test
    void thePollsStartSpreadOverTheIntervalNotAllAtOnce() {
        Map<String, Long> startedAt = new ConcurrentHashMap<>();
        ClusterReader timed = name -> {
            startedAt.put(name, System.nanoTime());
            return named(name, cluster.read(FakeCluster.NAME));
        };
        List<String> five = List.of("c1", "c2", "c3", "c4", "c5");
        long sweepStart = System.nanoTime();
        try (MonitorSweep sweep = sweep(timed, Duration.ofMillis(500))) {
            sweep.sweep(five);
        }
        assertEquals(Set.copyOf(five), startedAt.keySet());
        for (int i = 1; i < five.size(); i++) {
            // The i-th poll waits for its place, one fifth of the spread (100 ms) each: it may start
            // late on a busy machine, never early. (A gap between two starts would flake when one
            // of them is late.)
            long afterSweepStart = (startedAt.get(five.get(i)) - sweepStart) / 1_000_000;
            assertTrue(afterSweepStart >= i * 100L - 5, five.get(i) + " started " + afterSweepStart
                    + " ms after the sweep, before its place at " + i * 100 + " ms");
        }
    }

    private ClusterReader renamed() {
        return name -> named(name, cluster.read(FakeCluster.NAME));
    }

    private static ClusterStatus named(String name, ClusterStatus status) {
        return new ClusterStatus(name, status.nodes(), status.sourceOf());
    }

    @Test
    void eachClusterKeepsItsNodesStartTimesUnderItsOwnName() {
        try (MonitorSweep sweep = sweep(renamed())) {
            sweep.sweep(List.of("shop", "billing"));
        }
        long node1Started = cluster.node("node1").startedAt().toEpochMilli();
        for (String name : List.of("shop", "billing")) {
            Map<String, Instant> own = store.nodeStarts(name);
            assertEquals(Set.of("node1", "node2"), own.keySet(), name + ": " + own);
            // Read time minus whole seconds of Uptime: within a second of the true start.
            long startedAt = own.get("node1").toEpochMilli();
            assertTrue(Math.abs(startedAt - node1Started) < 1000, name + " " + own);
        }
    }

    @Test
    void aSlowPollDoesNotHoldUpItsSweepIsNotStartedTwiceAndSavesItsStartTimesWhenDone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger billingPolls = new AtomicInteger();
        ClusterReader slowBilling = name -> {
            if (name.equals("billing")) {
                billingPolls.incrementAndGet();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return named(name, cluster.read(FakeCluster.NAME));
        };
        try (MonitorSweep sweep = sweep(slowBilling)) {
            long start = System.nanoTime();
            sweep.sweep(List.of("shop", "billing"));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the sweep did not wait for billing");
            // billing's poll is running (not just queued for a pool thread) and shop's has ended.
            Waits.until(Duration.ofSeconds(5), "shop's poll to end and billing's to start",
                    () -> billingPolls.get() == 1 && sweep.polling().equals(Set.of("billing")), sweep::polling);
            assertEquals(Set.of("node1", "node2"), store.nodeStarts("shop").keySet());
            assertEquals(Map.of(), store.nodeStarts("billing"), "billing's poll has not finished");

            sweep.sweep(List.of("shop", "billing"));
            Waits.until(Duration.ofSeconds(5), "shop's second poll to end", () -> cluster.reads() == 2
                    && sweep.polling().equals(Set.of("billing")), sweep::polling);
            assertEquals(1, billingPolls.get(), "billing, still being polled, was skipped");

            release.countDown();
            Waits.until(Duration.ofSeconds(5), "billing's poll to end", () -> sweep.polling().isEmpty(),
                    sweep::polling);
            assertEquals(Set.of("node1", "node2"), store.nodeStarts("billing").keySet(),
                    "the late poll's start times were saved");
        }
    }

    @Test
    void closingLetsAPollThatOutlivedItsSweepFinishBeforeTheStoreCloses() {
        ClusterReader slow = name -> {
            Waits.sleep(Duration.ofMillis(700)); // a hung node, answered at its read timeout
            return named(name, cluster.read(FakeCluster.NAME));
        };
        MonitorSweep sweep = sweep(slow);
        sweep.sweep(List.of("shop"));
        assertEquals(Set.of("shop"), sweep.polling(), "the poll outlived its sweep");

        sweep.close();

        assertEquals(Set.of(), sweep.polling(), "close returned only after the poll ended");
        assertEquals(Set.of("node1", "node2"), store.nodeStarts("shop").keySet());
    }

    @Test
    void aSweepIsMeasuredToItsLastPollAndCountedAsOverrunWhenItSkipsAClusterStillPolling() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ClusterReader slowC1 = name -> {
            if (name.equals("c1")) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return named(name, cluster.read(FakeCluster.NAME));
        };
        List<String> sweeps = new CopyOnWriteArrayList<>();
        BotMetrics metrics = new BotMetrics() {
            @Override
            public void sweep(Duration took, boolean overran) {
                sweeps.add((overran ? "overran " : "on time ") + took.toMillis());
            }
        };
        try (MonitorSweep sweep = new MonitorSweep(new ClusterMonitor(slowC1, new Diagnoser(Thresholds.DEFAULT), store,
                new IncidentLifecycle(store, slack, clock, watch -> { }), clock), Duration.ZERO, 4,
                metrics)) {
            sweep.sweep(List.of("c1", "c2"));
            long firstReturned = System.nanoTime();
            sweep.sweep(List.of("c1", "c2")); // c1 is still polling: skipped
            Waits.until(Duration.ofSeconds(5), "the second sweep measured", () -> sweeps.size() == 1, sweeps::toString);
            assertTrue(sweeps.get(0).startsWith("overran "), sweeps.toString());
            // c1 still polling well after its sweep returned: the sweep's measure must reach past that.
            Waits.until(Duration.ofSeconds(5), "c1 still polling 300 ms after its sweep returned",
                    () -> System.nanoTime() - firstReturned >= Duration.ofMillis(300).toNanos()
                            && sweep.polling().contains("c1"), sweep::polling);
            release.countDown();
            Waits.until(Duration.ofSeconds(5), "the first sweep measured once c1 ends", () -> sweeps.size() == 2,
                    sweeps::toString);
        }
        String first = sweeps.get(1);
        assertTrue(first.startsWith("on time "), sweeps.toString());
        assertTrue(Long.parseLong(first.substring("on time ".length())) >= 300, "until its last poll: " + sweeps);
    }
}
