package io.mysqlresync.schedule;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.store.StateDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One sweep over several clusters, without Quartz: the memory each cluster keeps, and a late poll. */
class MonitorSweepTest {

    /** Still: the start times read (read time minus whole seconds of Uptime) do not wander. */
    private final TestClock clock = new TestClock(java.time.Instant.parse("2016-05-17T09:00:00Z"));
    private final FakeCluster cluster = new FakeCluster(clock);
    private final StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
    private final ResyncStore store = StateFixture.store(db);
    private final RecordingNotifier slack = new RecordingNotifier();

    @AfterEach
    void close() {
        db.close();
    }

    private MonitorSweep sweep(ClusterReader reader, List<String> clusters, Duration budget) {
        return sweep(reader, clusters, Duration.ZERO, budget);
    }

    private MonitorSweep sweep(ClusterReader reader, List<String> clusters, Duration spread, Duration budget) {
        return new MonitorSweep(new ClusterMonitor(reader, new Diagnoser(Thresholds.DEFAULT), store, slack, clock),
                clusters, spread, budget, 4);
    }

    @Test
    void thePollsStartSpreadOverTheIntervalNotAllAtOnce() {
        Map<String, Long> startedAt = new java.util.concurrent.ConcurrentHashMap<>();
        ClusterReader timed = name -> {
            startedAt.put(name, System.nanoTime());
            return named(name, cluster.read(FakeCluster.NAME));
        };
        List<String> five = List.of("c1", "c2", "c3", "c4", "c5");
        try (MonitorSweep sweep = sweep(timed, five, Duration.ofMillis(500), Duration.ofSeconds(2))) {
            sweep.sweep(new HashMap<>());
        }
        assertEquals(java.util.Set.copyOf(five), startedAt.keySet());
        for (int i = 1; i < five.size(); i++) {
            long gapMillis = (startedAt.get(five.get(i)) - startedAt.get(five.get(i - 1))) / 1_000_000;
            // One fifth of the spread apart (100 ms); loosely, since threads are scheduled late at times.
            assertTrue(gapMillis >= 60, five.get(i - 1) + " to " + five.get(i) + ": " + gapMillis + " ms");
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
        Map<String, Object> memory = new HashMap<>();
        memory.put(MonitorSweep.MEMORY, "removed-cluster\tstartedAt.node1=5\n");
        try (MonitorSweep sweep = sweep(renamed(), List.of("shop", "billing"), Duration.ofSeconds(5))) {
            sweep.sweep(memory);
        }
        Map<String, Map<String, Object>> remembered = MonitorSweep.remembered(memory);
        assertEquals(java.util.Set.of("shop", "billing"), remembered.keySet(), "a removed cluster is forgotten");
        long node1Started = cluster.node("node1").startedAt().toEpochMilli();
        for (String name : List.of("shop", "billing")) {
            Map<String, Object> own = remembered.get(name);
            assertEquals(java.util.Set.of(RestartDetector.KEY_PREFIX + "node1", RestartDetector.KEY_PREFIX + "node2"),
                    own.keySet(), memory::toString);
            // Read time minus whole seconds of Uptime: within a second of the true start.
            long startedAt = Long.parseLong((String) own.get(RestartDetector.KEY_PREFIX + "node1"));
            assertTrue(Math.abs(startedAt - node1Started) < 1000, name + " " + memory);
        }
    }

    @Test
    void anUnchangedMemoryIsNotWrittenAgain() {
        org.quartz.JobDataMap memory = new org.quartz.JobDataMap();
        try (MonitorSweep sweep = sweep(renamed(), List.of("shop", "billing"), Duration.ofSeconds(5))) {
            sweep.sweep(memory);
            assertTrue(memory.isDirty(), "the first sweep remembers the start times");
            memory.clearDirtyFlag();
            sweep.sweep(memory);
            sweep.sweep(memory);
        }
        // Quartz writes the job's data back to the job store only when it is dirty.
        assertTrue(!memory.isDirty(), "nothing changed, nothing to write: " + memory);
    }

    @Test
    void aPollThatOutlivesItsSweepIsSavedByTheNextOneAndNotStartedTwice() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ClusterReader slowBilling = name -> {
            if (name.equals("billing")) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return named(name, cluster.read(FakeCluster.NAME));
        };
        Map<String, Object> memory = new HashMap<>();
        try (MonitorSweep sweep = sweep(slowBilling, List.of("shop", "billing"), Duration.ofMillis(100))) {
            sweep.sweep(memory);
            assertEquals(java.util.Set.of("shop"), MonitorSweep.remembered(memory).keySet(),
                    "only shop's poll finished within the budget: " + memory);
            assertEquals(java.util.Set.of("billing"), sweep.polling());

            int readsBefore = cluster.reads();
            sweep.sweep(memory);
            assertEquals(readsBefore + 1, cluster.reads(), "billing, still being polled, was skipped");

            release.countDown();
            Waits.until(Duration.ofSeconds(5), "billing's poll to end", () -> sweep.polling().isEmpty(),
                    sweep::polling);
            sweep.sweep(memory);
            assertTrue(MonitorSweep.remembered(memory).get("billing").containsKey(RestartDetector.KEY_PREFIX + "node2"),
                    "the late poll's start times were saved: " + memory);
        }
    }

    @Test
    void closingLetsAPollThatOutlivedItsSweepFinishBeforeTheStoreCloses() {
        ClusterReader slow = name -> {
            Waits.sleep(Duration.ofMillis(700)); // a hung node, answered at its read timeout
            return named(name, cluster.read(FakeCluster.NAME));
        };
        MonitorSweep sweep = sweep(slow, List.of("shop"), Duration.ofMillis(50));
        sweep.sweep(new HashMap<>());
        assertEquals(java.util.Set.of("shop"), sweep.polling(), "the poll outlived its sweep");

        sweep.close();

        assertEquals(java.util.Set.of(), sweep.polling(), "close returned only after the poll ended");
    }

    @Test
    void aStartTimeNeverMovesBackWhenALatePollIsMerged() {
        Map<String, Object> saved = Map.of(RestartDetector.KEY_PREFIX + "node1", "2000",
                ClusterMonitor.UNANNOUNCED, "i-abc");
        Map<String, Object> late = Map.of(RestartDetector.KEY_PREFIX + "node1", "1000", // seen before 2000 was
                RestartDetector.KEY_PREFIX + "node2", "1500");

        assertEquals(Map.of(RestartDetector.KEY_PREFIX + "node1", "2000", RestartDetector.KEY_PREFIX + "node2", "1500"),
                MonitorSweep.merge(saved, late),
                "the later start time kept; the alert that the late poll posted is no longer pending");
    }

    @Test
    void theMemoryRoundTripsThroughOneString() {
        Map<String, Object> own = Map.of(RestartDetector.KEY_PREFIX + "node-2.dc1", "1700000000123",
                RestartDetector.KEY_PREFIX + "node_1", "1700000000456", ClusterMonitor.UNANNOUNCED, "i-k3j9x2mn");
        String encoded = MonitorSweep.encode(own);
        assertEquals("startedAt.node-2.dc1=1700000000123;startedAt.node_1=1700000000456;unannounced=i-k3j9x2mn",
                encoded);
        assertEquals(own, MonitorSweep.decode(encoded));
        assertEquals(Map.of(), MonitorSweep.decode(null));
        String all = MonitorSweep.encodeAll(Map.of("shop", encoded, "billing", "startedAt.node1=5"));
        assertEquals("billing\tstartedAt.node1=5\nshop\t" + encoded + "\n", all);
        assertEquals(Map.of("shop", own, "billing", Map.of("startedAt.node1", "5")),
                MonitorSweep.remembered(Map.of(MonitorSweep.MEMORY, all)));
    }
}
