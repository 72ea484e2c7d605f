package io.mysqlresync.schedule;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.IncidentLifecycle.AfterRecovery;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.IncidentTracker;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.incident.VerificationOrder;
import io.mysqlresync.schedule.RecordingNotifier.Kind;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.TestClock;
import io.mysqlresync.verify.InconclusiveReason;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.RowKey;
import io.mysqlresync.verify.TableRef;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verification moves of the lifecycle, on the real H2 store, with verifications recorded instead of run. */
class VerificationLifecycleTest {

    private final TestClock clock = new TestClock(Instant.parse("2016-05-17T09:00:00Z"));
    private final FakeCluster cluster = new FakeCluster(clock);
    private final StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
    private final ResyncStore store = StateFixture.store(db);
    private final RecordingNotifier slack = new RecordingNotifier();
    private final IncidentLifecycle lifecycle = new IncidentLifecycle(store, slack, clock, w -> { });
    private final Diagnoser diagnoser = new Diagnoser(new Thresholds(30, 900));
    private final List<VerificationOrder> ordered = new ArrayList<>();
    private boolean running;

    VerificationLifecycleTest() {
        lifecycle.verifyWith(new IncidentLifecycle.Verifications() {
            @Override
            public boolean start(VerificationOrder order) {
                ordered.add(order);
                running = true;
                return true;
            }

            @Override
            public boolean running(String c) {
                return running;
            }
        }, AfterRecovery.FULL);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Diagnosis healthy() {
        return diagnoser.diagnose(cluster.read("shop"));
    }

    /** An incident under recovery whose lag watch just saw replication caught up. */
    private LagWatch caughtUp() {
        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        Diagnosis broken = diagnoser.diagnose(cluster.read("shop"));
        assertTrue(lifecycle.open(new Incident("i-1", "shop", IncidentState.OPEN, "node1:THREADS_STOPPED_BY_OPERATOR",
                broken.headline(), clock.instant(), clock.instant(), "", ""), broken));
        LagWatch watch = lifecycle.watchRequested("shop", "C-TEST", "1700000000.000100", "U0ALICE");
        cluster.set("node1", FakeCluster.Node.healthy(cluster.node("node1").startedAt()));
        lifecycle.replicationCaughtUp(watch, healthy());
        return watch;
    }

    private static RowDifference lostRow(String table, long id) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put("node1", null);
        values.put("node2", List.of(Long.toString(id), "paid"));
        String[] t = table.split("\\.");
        return new RowDifference(new TableRef(t[0], t[1]), List.of("id"), new RowKey(List.of(Long.toString(id))),
                List.of("id", "status"), values);
    }

    private VerificationResult result(TableResult... tables) {
        return new VerificationResult("shop", List.of("node1", "node2"), clock.instant(), Duration.ofSeconds(3),
                List.of(tables), List.of());
    }

    private static TableResult identical(String table, long rows) {
        String[] t = table.split("\\.");
        return new TableResult(new TableRef(t[0], t[1]), TableVerdict.IDENTICAL, null, null, rows, 1, List.of(),
                List.of(), Duration.ofSeconds(1));
    }

    private static TableResult differs(String table, RowDifference... rows) {
        String[] t = table.split("\\.");
        return new TableResult(new TableRef(t[0], t[1]), TableVerdict.DIFFERS, null, null, 100, 1, List.of(rows),
                List.of(), Duration.ofSeconds(1));
    }

    private List<String> milestones() {
        return slack.calls(Kind.MILESTONE).stream().map(RecordingNotifier.Call::text).toList();
    }

    @Test
    void caughtUpReplicationIsVerifiedBeforeAnythingIsCalledInSync() {
        caughtUp();
        assertEquals(IncidentState.VERIFYING, store.openIncident("shop").orElseThrow().state());
        assertEquals(1, ordered.size());
        VerificationOrder o = ordered.get(0);
        assertEquals(VerificationOrder.Reason.RECOVERY, o.reason());
        assertEquals("i-1", o.incidentId());
        assertEquals("1700000000.000100", o.threadTs(), "the verdict goes in the watch's thread");
        assertTrue(store.watch("shop").isEmpty(), "the lag watch is over");
        assertTrue(milestones().stream().noneMatch(m -> m.contains("in sync")), milestones()::toString);
        assertEquals(IncidentTracker.Action.NONE, new IncidentTracker().decide(store.openIncident("shop"), healthy(),
                List.of(), clock.instant(), () -> "i-x").action(), "the monitor leaves a verifying incident alone");
    }

    @Test
    void identicalClosesTheIncidentWithTheCountsInTheThread() {
        caughtUp();
        lifecycle.verified(ordered.get(0), result(identical("shop.orders", 2_000_000), identical("shop.items", 100_000)),
                healthy());
        assertTrue(store.openIncident("shop").isEmpty());
        assertEquals("Back in sync: replication running, 0 s lag, 2 tables (2,100,000 rows) identical.",
                milestones().get(milestones().size() - 1));
        assertEquals(IncidentState.IDENTICAL, slack.calls(Kind.CHANGED).get(slack.count(Kind.CHANGED) - 1).incident().state());
        assertEquals("verified-identical", store.history("shop", 1).get(0).action());
    }

    @Test
    void driftKeepsTheIncidentOpenAndNamesTheRowNeverSayingInSync() {
        caughtUp();
        lifecycle.verified(ordered.get(0), result(differs("shop.orders", lostRow("shop.orders", 547)),
                identical("shop.items", 10)), healthy());
        Incident open = store.openIncident("shop").orElseThrow();
        assertEquals(IncidentState.DRIFT_FOUND, open.state());
        assertEquals("drift:shop.orders", open.problemKey());
        String last = milestones().get(milestones().size() - 1);
        assertTrue(last.startsWith("Replication is back, but 1 row differs in shop.orders (id=547)."), last);
        assertTrue(last.contains("shop.orders id=547: node2 has it, node1 does not"), last);
        assertFalse(last.contains("Back in sync"), last);
        // Healthy replication poll after poll does not clear drift.
        assertEquals(IncidentTracker.Action.NONE, new IncidentTracker().decide(Optional.of(open), healthy(), List.of(),
                clock.instant(), () -> "i-x").action());
    }

    @Test
    void driftAfterARecoveryOffersItsRepairPlanOnceInTheRecoveryThreadAfterTheVerdict() {
        caughtUp();
        VerificationResult drift = result(differs("shop.orders", lostRow("shop.orders", 547)));
        lifecycle.verified(ordered.get(0), drift, healthy(), "v-drift1");
        List<RecordingNotifier.Call> offers = slack.calls(Kind.REPAIR_NEEDED);
        assertEquals(1, offers.size(), slack.calls()::toString);
        assertEquals("v-drift1 bot", offers.get(0).text());
        assertEquals("1700000000.000100", offers.get(0).watch().threadTs(), "in the recovery's thread");
        List<Kind> order = slack.calls().stream().map(RecordingNotifier.Call::kind)
                .filter(k -> k == Kind.MILESTONE || k == Kind.REPAIR_NEEDED).toList();
        assertEquals(Kind.REPAIR_NEEDED, order.get(order.size() - 1), "the plan follows the verdict line: " + order);
        // The same verdict again (another replica, a retry) moves nothing and offers nothing again.
        lifecycle.verified(ordered.get(0), drift, healthy(), "v-drift1");
        assertEquals(1, slack.count(Kind.REPAIR_NEEDED));
    }

    @Test
    void anUnstoredOrIdenticalVerificationOffersNoRepair() {
        caughtUp();
        lifecycle.verified(ordered.get(0), result(differs("shop.orders", lostRow("shop.orders", 547))), healthy());
        assertEquals(0, slack.count(Kind.REPAIR_NEEDED), "no stored verification, nothing to repair from");
    }

    @Test
    void aRepairVerifiedIdenticalClosesTheDriftIncidentOnlyWhenItCoveredEveryDriftedTable() {
        caughtUp();
        lifecycle.verified(ordered.get(0), result(differs("shop.orders", lostRow("shop.orders", 547)),
                differs("shop.items", lostRow("shop.items", 9))), healthy(), "v-drift2");
        assertEquals("drift:shop.items,drift:shop.orders", store.openIncident("shop").orElseThrow().problemKey());

        // Still differing, or identical in one drifted table only: stays open.
        assertTrue(lifecycle.closeDriftIfIdentical("shop", result(differs("shop.orders", lostRow("shop.orders", 547))),
                true, "U0ALICE").isEmpty());
        assertTrue(lifecycle.closeDriftIfIdentical("shop", result(identical("shop.orders", 1)), true, "U0ALICE").isEmpty());
        assertEquals(IncidentState.DRIFT_FOUND, store.openIncident("shop").orElseThrow().state());

        Incident closed = lifecycle.closeDriftIfIdentical("shop", result(identical("shop.orders", 1),
                identical("shop.items", 1)), true, "U0ALICE").orElseThrow();
        assertEquals(IncidentState.IDENTICAL, closed.state());
        assertTrue(store.openIncident("shop").isEmpty());
        assertEquals("repaired-identical", store.history("shop", 1).get(0).action());
        assertEquals("U0ALICE", store.history("shop", 1).get(0).actor());
        assertTrue(lifecycle.closeDriftIfIdentical("shop", result(identical("shop.orders", 1),
                identical("shop.items", 1)), true, "U0ALICE").isEmpty(), "closed once");
    }

    @Test
    void aPersonsIdenticalVerifyClosesADriftIncidentAsVerifiedIdentical() {
        caughtUp();
        lifecycle.verified(ordered.get(0), result(differs("shop.orders", lostRow("shop.orders", 547))), healthy(), "v-3");
        assertTrue(lifecycle.closeDriftIfIdentical("shop", result(identical("shop.orders", 100)), false, "U0BOB")
                .isPresent());
        assertEquals("verified-identical", store.history("shop", 1).get(0).action());
    }

    @Test
    void anUnfinishedCheckClosesUnverifiedAndSaysSo() {
        caughtUp();
        lifecycle.verified(ordered.get(0), result(identical("shop.items", 10), TableResult.inconclusive(
                new TableRef("shop", "orders"), InconclusiveReason.TIMEOUT, "out of time", 10, 1, List.of(), List.of(),
                Duration.ZERO)), healthy());
        assertTrue(store.openIncident("shop").isEmpty());
        String last = milestones().get(milestones().size() - 1);
        assertTrue(last.startsWith("Replication is back, but the data was NOT verified"), last);
        assertEquals(IncidentState.UNVERIFIED, slack.calls(Kind.CHANGED).get(slack.count(Kind.CHANGED) - 1).incident().state());
    }

    @Test
    void withVerificationOffTheFinalLineSaysTheDataWasNotVerified() {
        lifecycle.verifyWith(null, AfterRecovery.OFF);
        caughtUp();
        assertTrue(ordered.isEmpty());
        assertTrue(milestones().get(milestones().size() - 1).contains("The data was NOT verified"), milestones()::toString);
        assertTrue(store.openIncident("shop").isEmpty());
    }

    @Test
    void aVerificationLostWithItsJobIsStartedAgainAfterTheGrace() {
        caughtUp();
        running = false;
        assertEquals(IncidentState.VERIFYING, lifecycle.restartVerificationIfLost(store.openIncident("shop"))
                .orElseThrow().state());
        assertEquals(1, ordered.size(), "within the grace: the job may be about to start");
        clock.advance(IncidentLifecycle.VERIFICATION_GRACE.plusSeconds(1));
        lifecycle.restartVerificationIfLost(store.openIncident("shop"));
        assertEquals(2, ordered.size());
        assertEquals("i-1", ordered.get(1).incidentId());
        assertEquals("verify-restart", store.history("shop", 1).get(0).action());
    }

    @Test
    void scheduledDriftIsAlertedOncePerTable() {
        VerificationOrder scheduled = new VerificationOrder("shop", VerificationOrder.Reason.SCHEDULE,
                VerificationOrder.Scope.FULL, "", "", "", "", List.of(), "bot", clock.instant());
        VerificationResult orders = result(differs("shop.orders", lostRow("shop.orders", 547)));
        lifecycle.verified(scheduled, orders, healthy());
        lifecycle.verified(scheduled, orders, healthy());
        assertEquals(1, slack.count(Kind.OPENED));
        assertEquals(0, slack.count(Kind.CHANGED));
        VerificationResult both = result(differs("shop.orders", lostRow("shop.orders", 547)),
                differs("shop.items", lostRow("shop.items", 9)));
        lifecycle.verified(scheduled, both, healthy());
        lifecycle.verified(scheduled, both, healthy());
        assertEquals(1, slack.count(Kind.OPENED));
        assertEquals(1, slack.count(Kind.CHANGED), "one update for the new table");
        assertEquals("drift:shop.items,drift:shop.orders", store.openIncident("shop").orElseThrow().problemKey());
        // A full check that finds both nodes identical closes the drift alert.
        lifecycle.verified(scheduled, result(identical("shop.orders", 10), identical("shop.items", 10)), healthy());
        assertTrue(store.openIncident("shop").isEmpty());
    }
}
