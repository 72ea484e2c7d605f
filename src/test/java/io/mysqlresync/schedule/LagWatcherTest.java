package io.mysqlresync.schedule;

import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.LagProgress;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.schedule.RecordingNotifier.Call;
import io.mysqlresync.schedule.RecordingNotifier.Kind;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One lag watch check after another, on the real H2 store, without Quartz or servers. */
class LagWatcherTest {

    private final TestClock clock = new TestClock(Instant.parse("2016-05-17T09:00:00Z"));
    private final FakeCluster cluster = new FakeCluster(clock);
    private final StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
    private final ResyncStore store = StateFixture.store(db);
    private final RecordingNotifier slack = new RecordingNotifier();
    private final MonitorSettings settings = new MonitorSettings(Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofMinutes(15), Duration.ofSeconds(10), 3, Duration.ofMinutes(5));
    private final LagWatcher watcher = watcher();
    private Incident incident;

    @BeforeEach
    void node1IsRecoveringFromTheSeedIncident() {
        incident = new Incident("i-seed", "shop", IncidentState.CATCHING_UP, "node1:RELAY_LOG_CORRUPT",
                "shop: node1 relay log corrupt", clock.instant(), clock.instant(), "C-TEST", "1700000000.000001");
        assertTrue(store.openIncidentIfNone(incident));
        store.saveWatch(LagWatch.start("shop", "C-TEST", "1700000000.000009", clock.instant(), "i-seed"));
    }

    /** A watcher as one replica has it; several share the store as replicas do. */
    private LagWatcher watcher() {
        return new LagWatcher(cluster, new Diagnoser(new Thresholds(30, 900)), store, slack,
                new IncidentLifecycle(store, slack, clock, watch -> { }), settings);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private LagWatcher.Outcome check() {
        clock.advance(Duration.ofSeconds(10));
        return watcher.check("shop");
    }

    private List<Long> node1Lags(Kind kind) {
        return slack.calls(kind).stream()
                .map(c -> c.view().nodes().stream().filter(n -> n.node().equals("node1")).findFirst().orElseThrow()
                        .lagSeconds())
                .toList();
    }

    @Test
    void theProgressMessageIsPostedOnceThenEditedOnlyWhenItChanges() {
        cluster.set("node1", cluster.node("node1").lagging(48988));
        check();
        assertEquals(1, slack.count(Kind.PROGRESS_STARTED));
        assertEquals(slack.calls(Kind.PROGRESS_STARTED).get(0).watch().threadTs(), "1700000000.000009");
        assertFalse(store.watch("shop").orElseThrow().messageTs().isEmpty(), "the message ts is kept with the watch");

        for (long lag : new long[] {40000, 31000, 22000}) {
            cluster.set("node1", cluster.node("node1").lagging(lag));
            check();
        }
        assertEquals(List.of(40000L, 31000L, 22000L), node1Lags(Kind.PROGRESS_UPDATED));

        // Nothing on the message changes from one check to the next: no edit.
        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        check();
        int updates = slack.count(Kind.PROGRESS_UPDATED);
        check();
        check();
        assertEquals(updates, slack.count(Kind.PROGRESS_UPDATED), slack.calls()::toString);
    }

    @Test
    void whenEveryNodeIsInSyncForThreeChecksTheWatchSaysSoOnceAndEnds() {
        cluster.set("node1", cluster.node("node1").lagging(120));
        assertEquals(LagWatcher.Outcome.CONTINUE, check());
        cluster.set("node1", cluster.node("node1").lagging(0));
        assertEquals(LagWatcher.Outcome.CONTINUE, check());
        assertEquals(LagWatcher.Outcome.CONTINUE, check());
        assertEquals(LagWatcher.Outcome.DONE, check());

        List<String> milestones = slack.calls(Kind.MILESTONE).stream().map(Call::text).toList();
        assertEquals(2, milestones.size(), milestones::toString);
        assertTrue(milestones.get(0).startsWith("node1 caught up"), milestones::toString);
        assertTrue(milestones.get(1).startsWith("Back in sync"), milestones::toString);
        Call last = slack.calls(Kind.PROGRESS_UPDATED).get(slack.count(Kind.PROGRESS_UPDATED) - 1);
        assertEquals(LagProgress.Verdict.IN_SYNC, last.view().verdict());
        assertTrue(store.watch("shop").isEmpty(), "the watch is over");
        assertTrue(store.openIncident("shop").isEmpty(), "the incident is closed");
        assertEquals(IncidentState.IN_SYNC, slack.calls(Kind.CHANGED).get(0).incident().state(),
                "the alert message says it is over");
        assertEquals("in-sync", store.history("shop", 1).get(0).action());
    }

    @Test
    void replicationBreakingAgainIsAnnouncedOnceAndNotForAThreadStillConnecting() {
        cluster.set("node1", cluster.node("node1").lagging(600));
        check();
        cluster.set("node2", cluster.node("node2").sourceGone());
        check();
        assertEquals(0, slack.count(Kind.MILESTONE), "one check of Connecting is START SLAVE at work");
        check();
        check();
        check();

        List<String> milestones = slack.calls(Kind.MILESTONE).stream().map(Call::text).toList();
        assertEquals(1, milestones.size(), milestones::toString);
        assertTrue(milestones.get(0).startsWith("Replication broke again: shop: ")
                && milestones.get(0).contains("node2 source unreachable"), milestones::toString);
        assertTrue(store.watch("shop").orElseThrow().alerted());
        assertEquals(LagProgress.Verdict.BROKEN,
                slack.calls(Kind.PROGRESS_UPDATED).get(slack.count(Kind.PROGRESS_UPDATED) - 1).view().verdict());
    }

    @Test
    void lagThatStopsFallingIsSaidOnceUntilItFallsAgain() {
        for (long lag : new long[] {900, 800, 700, 700, 700, 700, 700, 700, 700, 600}) {
            cluster.set("node1", cluster.node("node1").lagging(lag));
            check();
        }
        List<String> milestones = slack.calls(Kind.MILESTONE).stream().map(Call::text).toList();
        assertEquals(List.of("Lag on node1 stopped falling: 700 s behind and flat"), milestones);
    }

    @Test
    void aWatchThatNoLongerExistsEndsItsJob() {
        store.deleteWatch("shop", store.watch("shop").orElseThrow().startedAt());
        assertEquals(LagWatcher.Outcome.DONE, check());
        assertEquals(0, slack.calls().size());
    }

    /** A person starts a new watch while a check of the old one reads the servers. */
    private LagWatcher watcherWhoseReadIsRacedBy(LagWatch newer) {
        return new LagWatcher(name -> {
            store.saveWatch(newer);
            return cluster.read(name);
        }, new Diagnoser(new Thresholds(30, 900)), store, slack,
                new IncidentLifecycle(store, slack, clock, watch -> { }), settings);
    }

    @Test
    void aWatchStartedDuringACheckIsNotOverwrittenByThatCheck() {
        cluster.set("node1", cluster.node("node1").lagging(4000));
        clock.advance(Duration.ofSeconds(10));
        LagWatch newer = LagWatch.start("shop", "C-OTHER", "1700000000.000077", clock.instant(), "");
        assertEquals(LagWatcher.Outcome.CONTINUE, watcherWhoseReadIsRacedBy(newer).check("shop"));
        assertEquals(newer, store.watch("shop").orElseThrow());
    }

    @Test
    void aWatchStartedDuringTheCheckThatEndsTheOldOneIsNotDeleted() {
        for (int i = 0; i < settings.inSyncChecks() - 1; i++) {
            check();
        }
        clock.advance(Duration.ofSeconds(10));
        LagWatch newer = LagWatch.start("shop", "C-OTHER", "1700000000.000077", clock.instant(), "");
        watcherWhoseReadIsRacedBy(newer).check("shop");
        assertEquals(newer, store.watch("shop").orElseThrow());
    }

    @Test
    void whatTheWatchSaidIsKeptInTheStoreSoAnotherReplicaDoesNotSayItAgain() {
        cluster.set("node1", cluster.node("node1").lagging(120));
        check();
        cluster.set("node1", cluster.node("node1").lagging(0));
        check();
        assertEquals(1, slack.count(Kind.MILESTONE), slack.calls()::toString);

        // The next check runs on another replica, with nothing in memory but the store.
        LagWatcher otherReplica = watcher();
        clock.advance(Duration.ofSeconds(10));
        assertEquals(LagWatcher.Outcome.CONTINUE, otherReplica.check("shop"));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(LagWatcher.Outcome.DONE, otherReplica.check("shop"));

        List<String> milestones = slack.calls(Kind.MILESTONE).stream().map(Call::text).toList();
        assertEquals(2, milestones.size(), "node1 caught up, said once: " + milestones);
        assertTrue(milestones.get(1).startsWith("Back in sync"), milestones::toString);
    }

    @Test
    void anotherReplicaDoesNotEditTheProgressMessageWhenNothingOnItChanged() {
        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        check();
        check();
        int edits = slack.count(Kind.PROGRESS_UPDATED);
        check();
        assertEquals(edits, slack.count(Kind.PROGRESS_UPDATED), "the view is stable: " + slack.calls());

        clock.advance(Duration.ofSeconds(10));
        watcher().check("shop");

        assertEquals(edits, slack.count(Kind.PROGRESS_UPDATED), slack.calls()::toString);
        assertEquals(1, slack.count(Kind.PROGRESS_STARTED), "the progress message is not posted again");
    }
}
