package io.mysqlresync.schedule;

import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.console.TextRenderer;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.MonitorShards;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.incident.ShardPoll;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.schedule.RecordingNotifier.Kind;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitor split into shard jobs: which shard polls which cluster, every shard polled and
 * recorded, a late shard announced once and cleared once, and two replicas sharing a job store,
 * their shards moving between them, alerting each incident once.
 */
class MonitorShardsTest {

    private static final Duration POLL = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Clock clock = Clock.systemUTC();
    private final FakeCluster cluster = new FakeCluster(clock);
    private final RecordingNotifier slack = new RecordingNotifier();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void aClusterBelongsToTheShardOfTheCrc32OfItsName() {
        // CRC-32 of the UTF-8 name (the values zlib gives too): the same in every version and replica.
        assertEquals(2892647586L % 12, MonitorShards.of("shop", 12));
        assertEquals(6, MonitorShards.of("shop", 12));
        assertEquals(2, MonitorShards.of("orders", 12));
        assertEquals(0, MonitorShards.of("demo", 12));
        assertEquals(0, MonitorShards.of("anything", 1));
        assertEquals(List.of("shop", "billing"), MonitorShards.clustersOf(6, 12, List.of("shop", "demo", "billing", "orders")));
    }

    @Test
    void clustersSpreadEvenlyOverTheShards() {
        int shards = 12;
        int[] count = new int[shards];
        for (int i = 0; i < 1200; i++) {
            count[MonitorShards.of("db-" + i, shards)]++;
        }
        for (int c : count) {
            assertTrue(c > 70 && c < 130, "1,200 clusters over 12 shards: " + java.util.Arrays.toString(count));
        }
    }

    @Test
    void aLateShardIsAnnouncedOnceByOneReplicaAndClearedOnceWhenPolledAgain() {
        StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
        open.add(db);
        ResyncStore store = StateFixture.store(db);
        TestClock time = new TestClock(Instant.parse("2026-11-30T10:00:00Z"));
        IncidentLifecycle a = new IncidentLifecycle(store, slack.forReplica("a"), time, w -> { });
        IncidentLifecycle b = new IncidentLifecycle(store, slack.forReplica("b"), time, w -> { });
        Duration late = Duration.ofSeconds(4);
        store.retainShards(3, time.instant());
        store.shardPollStarted(0, "a", time.instant());
        store.shardPollStarted(1, "b", time.instant());
        store.shardPollStarted(2, "b", time.instant());

        time.advance(Duration.ofSeconds(3));
        store.shardPollStarted(0, "a", time.instant());
        store.shardPollStarted(1, "a", time.instant());
        assertEquals(List.of(), a.checkShards(store.shardPolls(), 3, late), "nothing late yet");

        time.advance(Duration.ofSeconds(2)); // shard 2: 5 s without a poll
        assertEquals(List.of(2), a.checkShards(store.shardPolls(), 3, late).stream().map(ShardPoll::shard).toList());
        assertEquals(List.of(), b.checkShards(store.shardPolls(), 3, late), "the other replica stays quiet");
        assertEquals(List.of(), a.checkShards(store.shardPolls(), 3, late), "said once, not at every poll");
        assertEquals(1, slack.count(Kind.SHARDS_LATE));
        assertEquals("2", slack.calls(Kind.SHARDS_LATE).get(0).text());
        assertTrue(store.shardPolls().get(2).late());

        store.shardPollStarted(2, "a", time.instant());
        b.checkShards(store.shardPolls(), 3, late);
        a.checkShards(store.shardPolls(), 3, late);
        assertEquals(1, slack.count(Kind.SHARDS_BACK), "polled again: said once");
        assertEquals("2", slack.calls(Kind.SHARDS_BACK).get(0).text());
        assertFalse(store.shardPolls().get(2).late());
        assertTrue(store.history(null, 10).stream().anyMatch(e -> e.action().equals("shard-late")));
        assertTrue(store.history(null, 10).stream().anyMatch(e -> e.action().equals("shard-polled")));

        store.retainShards(2, time.instant());
        assertEquals(List.of(0, 1), store.shardPolls().stream().map(ShardPoll::shard).toList(),
                "fewer shards configured: the others are forgotten");
    }

    /**
     * The shard of a cluster moves to another replica at the next interval, often while the
     * first is still posting the alert (Slack is slow): the second leaves it alone. A poster that
     * died mid-post has its alert posted again once its claim runs out.
     */
    @Test
    void anAlertBeingPostedOnOneReplicaIsNotPostedAgainByAnother() throws Exception {
        StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
        open.add(db);
        ResyncStore store = StateFixture.store(db);
        TestClock time = new TestClock(Instant.parse("2026-11-30T10:00:00Z"));
        java.util.concurrent.CountDownLatch posting = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        RecordingNotifier slowSlack = new RecordingNotifier() {
            @Override
            public io.mysqlresync.incident.MessageRef incidentOpened(io.mysqlresync.incident.Incident i,
                                                                     io.mysqlresync.diagnosis.Diagnosis d) {
                posting.countDown();
                try {
                    release.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.incidentOpened(i, d);
            }
        };
        IncidentLifecycle a = new IncidentLifecycle(store, slowSlack, time, w -> { });
        IncidentLifecycle b = new IncidentLifecycle(store, slack, time, w -> { });
        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        io.mysqlresync.diagnosis.Diagnosis d = new io.mysqlresync.diagnosis.Diagnoser(
                io.mysqlresync.diagnosis.Thresholds.DEFAULT).diagnose(cluster.read(FakeCluster.NAME));
        io.mysqlresync.incident.Incident incident = new io.mysqlresync.incident.Incident("i-slow", FakeCluster.NAME,
                io.mysqlresync.incident.IncidentState.OPEN, "node1:THREADS_STOPPED_BY_OPERATOR", d.headline(),
                time.instant(), time.instant(), "", "");

        Thread first = new Thread(() -> a.open(incident, d));
        first.start();
        assertTrue(posting.await(10, java.util.concurrent.TimeUnit.SECONDS));
        time.advance(POLL);
        assertFalse(b.announcePending(store.openIncident(FakeCluster.NAME), d), "replica b leaves the post to a");
        release.countDown();
        first.join(10_000);
        assertEquals(1, slowSlack.count(Kind.OPENED));
        assertEquals(0, slack.count(Kind.OPENED), "posted once: " + slack.calls());
        assertTrue(store.pendingAlert(FakeCluster.NAME).isEmpty());

        // A poster that dies mid-post: its claim runs out, then another replica posts the alert.
        store.setPendingAlert(FakeCluster.NAME, "i-slow", time.instant().plus(IncidentLifecycle.ALERT_CLAIM));
        assertFalse(b.announcePending(store.openIncident(FakeCluster.NAME), d));
        time.advance(IncidentLifecycle.ALERT_CLAIM.plusSeconds(1));
        assertTrue(b.announcePending(store.openIncident(FakeCluster.NAME), d));
        assertEquals(1, slack.count(Kind.OPENED));
    }

    @Test
    void everyShardPollsItsOwnClustersAndRecordsWhoPolledIt() {
        StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
        open.add(db);
        ResyncStore store = StateFixture.store(db);
        List<String> clusters = List.of("shop", "billing", "demo", "orders", "search", "users");
        Map<String, Set<String>> readOn = new ConcurrentHashMap<>();
        ClusterReader reader = name -> {
            readOn.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
            return named(name, cluster.read(FakeCluster.NAME));
        };
        MonitorSettings settings = StateFixture.settings(POLL, POLL).withShards(4);
        ResyncScheduler s = new ResyncScheduler(StateFixture.quartz(db, "replica-a"), clusters, reader, store, slack,
                settings, clock);
        open.add(s);
        s.start();
        Waits.until(WAIT, "every shard polled twice",
                () -> store.shardPolls().size() == 4 && store.shardPolls().stream().allMatch(p -> p.polls() >= 2),
                store::shardPolls);
        assertEquals(new HashSet<>(clusters), readOn.keySet(), "every cluster read");
        for (ShardPoll p : store.shardPolls()) {
            assertEquals("replica-a", p.instance(), p.toString());
        }
        for (int shard = 0; shard < 4; shard++) {
            assertTrue(s.hasJob(MonitorJob.key(shard, 4)), "one job per shard");
        }
        for (String c : clusters) {
            assertTrue(s.monitoring(c));
        }
        assertEquals(List.of(), slack.calls(Kind.SHARDS_LATE), "a replica polling every shard has none late");
        String status = TextRenderer.shards(store.shardPolls(), Instant.now());
        assertTrue(status.startsWith("Monitor shards:\n  shard   replica    last poll (UTC)"), status);
        assertTrue(status.contains("4 of 4  replica-a"), status);
    }

    /**
     * Two replicas on one clustered job store. One replica's scheduler is stopped and started
     * again, over and over, so the shards move between them while every cluster is broken and
     * then heals: each cluster is alerted once and cleared once.
     */
    @Test
    void twoReplicasWhoseShardsMoveAlertEachIncidentOnce() {
        String name = StateFixture.newDatabaseName();
        StateDatabase dbA = StateFixture.open(name, true);
        open.add(dbA);
        StateDatabase dbB = StateFixture.open(name, true);
        open.add(dbB);
        List<String> clusters = List.of("shop", "billing", "demo", "orders", "search", "users");
        ClusterReader reader = c -> named(c, cluster.read(FakeCluster.NAME));
        MonitorSettings settings = StateFixture.settings(POLL, POLL).withShards(4);
        ResyncStore storeA = StateFixture.store(dbA);
        ResyncScheduler b = new ResyncScheduler(StateFixture.quartz(dbB, "replica-b"), clusters, reader,
                StateFixture.store(dbB), slack.forReplica("replica-b"), settings, clock);
        open.add(b);
        b.start();
        Set<String> pollers = new HashSet<>();
        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        for (int round = 0; round < 4; round++) {
            ResyncScheduler a = new ResyncScheduler(StateFixture.quartz(dbA, "replica-a"), clusters, reader, storeA,
                    slack.forReplica("replica-a"), settings, clock);
            a.start();
            Waits.sleep(POLL.multipliedBy(6));
            storeA.shardPolls().forEach(p -> pollers.add(p.instance()));
            if (round == 2) {
                cluster.set("node1", FakeCluster.Node.healthy(cluster.node("node2").startedAt()));
            }
            a.close();
            Waits.sleep(POLL.multipliedBy(3));
            storeA.shardPolls().forEach(p -> pollers.add(p.instance()));
        }
        Waits.until(WAIT, "every cluster cleared", () -> slack.count(Kind.CLEARED) >= clusters.size(), slack::calls);
        Waits.sleep(POLL.multipliedBy(4));

        assertEquals(Set.of("replica-a", "replica-b"), pollers, "the shards moved between the replicas");
        Map<String, Long> opened = slack.calls(Kind.OPENED).stream()
                .collect(Collectors.groupingBy(c -> c.incident().cluster(), Collectors.counting()));
        Map<String, Long> cleared = slack.calls(Kind.CLEARED).stream()
                .collect(Collectors.groupingBy(c -> c.incident().cluster(), Collectors.counting()));
        Map<String, Long> once = new HashMap<>();
        clusters.forEach(c -> once.put(c, 1L));
        assertEquals(once, opened, "one alert per cluster: " + slack.calls());
        assertEquals(once, cleared, "one all-clear per cluster: " + slack.calls());
    }

    private static ClusterStatus named(String name, ClusterStatus status) {
        return new ClusterStatus(name, status.nodes(), status.sourceOf());
    }
}
