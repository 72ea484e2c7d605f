package io.mysqlresync.schedule;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.ApprovalPolicy;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.recovery.PlanExecutor;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An unapproved plan past its expiry is expired by Quartz and its message redrawn, without a click. */
class PlanExpiryJobTest {

    private final TestClock clock = new TestClock(Instant.now());
    private final FakeCluster cluster = new FakeCluster(clock);
    private final StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
    private final ResyncStore store = StateFixture.store(db);
    private final List<ProposedPlan> expired = new CopyOnWriteArrayList<>();
    private ResyncScheduler scheduler;

    @AfterEach
    void close() {
        if (scheduler != null) scheduler.close();
        db.close();
    }

    private final Notifier notifier = new Notifier() {
        @Override public MessageRef incidentOpened(Incident i, Diagnosis d) { return new MessageRef("C1", "1"); }
        @Override public void incidentChanged(Incident i, Diagnosis d) { }
        @Override public void incidentCleared(Incident i, Diagnosis d) { }
        @Override public MessageRef progressStarted(LagWatch w, ProgressView v) { return new MessageRef("C1", "2"); }
        @Override public void progressUpdated(LagWatch w, ProgressView v) { }
        @Override public void progressMilestone(LagWatch w, String text) { }
        @Override public void planExpired(ProposedPlan plan) { expired.add(plan); }
    };

    @Test
    void anExpiredPlanIsMarkedAndRedrawnByTheScheduler() throws Exception {
        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        ResyncService service = new ResyncService(List.of("shop"), cluster, new Diagnoser(new Thresholds(30, 900)),
                new Planner(), new PlanExecutor(cluster, (c, n, sql) -> {
                    throw new AssertionError("an expired plan must not run: " + sql);
                }), store, new ApprovalPolicy(Set.of("UALICE"), false, false), Duration.ofMinutes(15), clock);
        ProposedPlan plan = service.propose("shop", "UBOB", "C1");
        store.setPlanMessage(plan.id(), "C1", "1700000000.000100");
        clock.advance(Duration.ofMinutes(16));

        scheduler = new ResyncScheduler(ResyncScheduler.inMemory("expiry-test", 2), List.of("shop"), cluster, store,
                notifier, StateFixture.settings(Duration.ofSeconds(5), Duration.ofSeconds(5)), clock);
        scheduler.followRecoveries(service);
        scheduler.start();

        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (expired.isEmpty() && System.nanoTime() < until) Thread.sleep(50);
        assertEquals(1, expired.size(), "redrawn once");
        assertEquals(PlanState.EXPIRED, expired.get(0).state());
        assertEquals("1700000000.000100", expired.get(0).messageTs(), "the plan's own message is redrawn");
        assertEquals(PlanState.EXPIRED, store.plan(plan.id()).orElseThrow().state());
        assertTrue(store.history("shop", 50).stream().anyMatch(e -> e.action().equals("expire")));
    }
}
