package io.mysqlresync.schedule;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentLifecycle.IncidentMove;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.schedule.RecordingNotifier.Kind;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every incident and plan move through the one lifecycle, on the real H2 store. */
class IncidentLifecycleTest {

    private final TestClock clock = new TestClock(Instant.parse("2016-05-17T09:00:00Z"));
    private final FakeCluster cluster = new FakeCluster(clock);
    private final StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
    private final ResyncStore store = StateFixture.store(db);
    private final RecordingNotifier slack = new RecordingNotifier();
    private final List<LagWatch> followed = new ArrayList<>();
    private final IncidentLifecycle lifecycle = new IncidentLifecycle(store, slack, clock, followed::add);
    private final Diagnoser diagnoser = new Diagnoser(new Thresholds(30, 900));

    @AfterEach
    void close() {
        db.close();
    }

    private Diagnosis node1Stopped() {
        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        return diagnoser.diagnose(cluster.read("shop"));
    }

    private Incident opened(Diagnosis d) {
        Incident i = new Incident("i-1", "shop", IncidentState.OPEN, "node1:THREADS_STOPPED_BY_OPERATOR",
                d.headline(), clock.instant(), clock.instant(), "", "");
        assertTrue(lifecycle.open(i, d));
        return store.openIncident("shop").orElseThrow();
    }

    private List<String> actions() {
        return store.history("shop", 20).stream().map(AuditEntry::action).toList();
    }

    @Test
    void theTableSaysFromWhichStatesEachIncidentMoveMayStart() {
        assertTrue(IncidentMove.RECOVER.allowedFrom(IncidentState.OPEN));
        assertFalse(IncidentMove.RECOVER.allowedFrom(IncidentState.CATCHING_UP));
        assertTrue(IncidentMove.IN_SYNC.allowedFrom(IncidentState.CATCHING_UP));
        assertTrue(IncidentMove.IN_SYNC.allowedFrom(IncidentState.OPEN), "a watch the monitor took back still ends");
        for (IncidentMove m : IncidentMove.values()) {
            for (IncidentState closed : List.of(IncidentState.CLEARED, IncidentState.IN_SYNC)) {
                assertFalse(m.allowedFrom(closed), m + " from closed " + closed);
            }
        }
    }

    @Test
    void anIncidentIsOpenedOnceAlertedAndAudited() {
        Diagnosis d = node1Stopped();
        Incident open = opened(d);
        Incident again = new Incident("i-2", "shop", IncidentState.OPEN, open.problemKey(), d.headline(),
                clock.instant(), clock.instant(), "", "");

        assertFalse(lifecycle.open(again, d), "another replica's incident is already open");

        assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
        assertEquals("C-TEST", open.channel(), "the alert's message is kept on the incident");
        assertEquals(List.of("alert"), actions());
    }

    @Test
    void aMoveTheTableDoesNotAllowIsRefusedAndChangesNothing() {
        Diagnosis d = node1Stopped();
        Incident open = opened(d);
        assertTrue(lifecycle.recoveryStarted("shop"));
        Incident recovering = store.openIncident("shop").orElseThrow();

        assertThrows(IllegalStateException.class, () -> lifecycle.clear(recovering,
                recovering.with(IncidentState.CLEARED, open.problemKey(), d.headline(), clock.instant()), d));

        assertEquals(IncidentState.CATCHING_UP, store.openIncident("shop").orElseThrow().state());
        assertEquals(0, slack.count(Kind.CLEARED));
    }

    @Test
    void aWatchMovesTheIncidentToCatchingUpAndIsHandedToTheScheduler() {
        Incident open = opened(node1Stopped());

        LagWatch watch = lifecycle.watchRequested("shop", "C-TEST", "1700000000.000100", "U0ALICE");

        assertEquals(List.of(watch), followed);
        assertEquals(open.id(), watch.incidentId());
        assertEquals(IncidentState.CATCHING_UP, store.openIncident("shop").orElseThrow().state());
        assertEquals("watch", store.history("shop", 1).get(0).action());
        assertEquals("U0ALICE", store.history("shop", 1).get(0).actor());
    }

    @Test
    void whenReplicationCaughtUpTheWatchEndsAndTheIncidentClosesInSync() {
        opened(node1Stopped());
        LagWatch watch = lifecycle.watchRequested("shop", "C-TEST", "", "U0ALICE");
        cluster.set("node1", FakeCluster.Node.healthy(cluster.node("node1").startedAt()));
        clock.advance(Duration.ofMinutes(3));

        lifecycle.replicationCaughtUp(watch, diagnoser.diagnose(cluster.read("shop")));

        assertTrue(store.openIncident("shop").isEmpty(), "the incident is closed");
        assertTrue(store.watch("shop").isEmpty(), "the watch is over");
        assertEquals(IncidentState.IN_SYNC, slack.calls(Kind.CHANGED).get(0).incident().state());
        AuditEntry last = store.history("shop", 1).get(0);
        assertEquals("in-sync", last.action());
        assertEquals("lag watch over after 3 min; incident i-1", last.detail());
    }

    @Test
    void aPlanRunsOnceAndEachOfItsMovesIsAudited() {
        Diagnosis d = node1Stopped();
        RecoveryPlan plan = new Planner().plan(d, "p-once", clock.instant());
        ProposedPlan p = new ProposedPlan(plan, "U0ALICE", clock.instant().plus(Duration.ofMinutes(15)),
                PlanState.PROPOSED, "", null, "C-TEST", "");
        lifecycle.proposed(p, d.headline(), clock.instant());
        lifecycle.planPosted("p-once", "C-TEST", "1700000000.000200");

        assertTrue(lifecycle.approve(p, "restart", "U0BOB", clock.instant()));
        assertFalse(lifecycle.approve(p, "restart", "U0CAROL", clock.instant()), "a second click runs nothing");
        assertFalse(lifecycle.reject(p, "U0CAROL", clock.instant()), "a decided plan cannot be rejected");
        lifecycle.succeeded(p, "U0BOB", 2, clock.instant());

        ProposedPlan done = store.plan("p-once").orElseThrow();
        assertEquals(PlanState.SUCCEEDED, done.state());
        assertEquals("U0BOB", done.decidedBy());
        assertEquals("1700000000.000200", done.messageTs());
        assertEquals(List.of("executed", "approve", "propose"), actions());
    }
}
