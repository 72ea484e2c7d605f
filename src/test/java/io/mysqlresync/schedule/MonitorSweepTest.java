package io.mysqlresync.schedule;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.store.StateDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
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

    private final Clock clock = Clock.systemUTC();
    private final FakeCluster cluster = new FakeCluster(clock);
    private final StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
    private final ResyncStore store = StateFixture.store(db);
    private final RecordingNotifier slack = new RecordingNotifier();

    @AfterEach
    void close() {
        db.close();
    }

    private MonitorSweep sweep(ClusterReader reader, List<String> clusters, Duration budget) {
        return new MonitorSweep(new ClusterMonitor(reader, new Diagnoser(Thresholds.DEFAULT), store, slack, clock),
                clusters, budget, 4);
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
        try (MonitorSweep sweep = sweep(renamed(), List.of("shop", "billing"), Duration.ofSeconds(5))) {
            sweep.sweep(memory);
        }
        long node1Started = cluster.node("node1").startedAt().toEpochMilli();
        for (String key : List.of("shop/", "billing/")) {
            // Read time minus whole seconds of Uptime: within a second of the true start.
            long remembered = Long.parseLong((String) memory.get(key + RestartDetector.KEY_PREFIX + "node1"));
            assertTrue(Math.abs(remembered - node1Started) < 1000, key + " " + memory);
        }
        assertEquals(4, memory.size(), memory::toString);
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
            assertEquals(List.of("shop"), MonitorSweep.split(memory).keySet().stream().toList(),
                    "only shop's poll finished within the budget: " + memory);
            assertEquals(java.util.Set.of("billing"), sweep.polling());

            int readsBefore = cluster.reads();
            sweep.sweep(memory);
            assertEquals(readsBefore + 1, cluster.reads(), "billing, still being polled, was skipped");

            release.countDown();
            Waits.until(Duration.ofSeconds(5), "billing's poll to end", () -> sweep.polling().isEmpty(),
                    sweep::polling);
            sweep.sweep(memory);
            assertTrue(memory.containsKey("billing/" + RestartDetector.KEY_PREFIX + "node2"),
                    "the late poll's start times were saved: " + memory);
        }
    }

    @Test
    void aStartTimeNeverMovesBackWhenALatePollIsSaved() {
        Map<String, Object> memory = new HashMap<>();
        memory.put("shop/" + RestartDetector.KEY_PREFIX + "node1", "2000");
        memory.put("shop/" + ClusterMonitor.UNANNOUNCED, "i-abc");
        memory.put("billing/" + RestartDetector.KEY_PREFIX + "node1", "5");
        Map<String, Object> late = new HashMap<>();
        late.put(RestartDetector.KEY_PREFIX + "node1", "1000"); // seen before another replica saw 2000
        late.put(RestartDetector.KEY_PREFIX + "node2", "1500");

        MonitorSweep.save("shop", late, memory);

        assertEquals(Map.of("shop/" + RestartDetector.KEY_PREFIX + "node1", "2000",
                "shop/" + RestartDetector.KEY_PREFIX + "node2", "1500",
                "billing/" + RestartDetector.KEY_PREFIX + "node1", "5"), memory,
                "the later start time kept, the alert that was posted no longer pending, billing untouched");
    }
}
