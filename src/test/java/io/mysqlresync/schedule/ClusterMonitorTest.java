package io.mysqlresync.schedule;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.schedule.RecordingNotifier.Kind;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The monitor's decisions poll by poll, on the real H2 store, without Quartz or servers. */
class ClusterMonitorTest {

    private final TestClock clock = new TestClock(Instant.parse("2016-05-17T09:00:00Z"));
    private final FakeCluster cluster = new FakeCluster(clock);
    private final StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
    private final ResyncStore store = StateFixture.store(db);
    private final RecordingNotifier slack = new RecordingNotifier();
    private final ClusterMonitor monitor = monitor(store);

    @AfterEach
    void close() {
        db.close();
    }

    private ClusterMonitor monitor(ResyncStore s) {
        return new ClusterMonitor(cluster, new Diagnoser(new Thresholds(30, 900)), s,
                new IncidentLifecycle(s, slack, clock, watch -> { }), clock);
    }

    private void poll(int times) {
        for (int i = 0; i < times; i++) {
            clock.advance(Duration.ofSeconds(2));
            monitor.poll("shop");
        }
    }

    @Test
    void aHealthyPairIsNotNews() {
        poll(5);
        assertEquals(0, slack.calls().size(), slack.calls()::toString);
        assertTrue(store.openIncident("shop").isEmpty());
    }

    @Test
    void givenNode1DiesTheFirstPollAlertsOnceAndLaterPollsStayQuiet() {
        poll(1);
        cluster.set("node1", cluster.node("node1").down());
        cluster.set("node2", cluster.node("node2").sourceGone());
        poll(10);

        assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
        assertEquals(1, slack.calls().size(), slack.calls()::toString);
        Incident open = store.openIncident("shop").orElseThrow();
        assertEquals("node1:NODE_UNREACHABLE,node2:SOURCE_UNREACHABLE", open.problemKey());
        assertEquals("C-TEST", open.channel(), "the alert's message is saved to update it later");
        assertFalse(open.messageTs().isEmpty());
    }

    @Test
    void whenTheProblemChangesTheAlertIsUpdatedNotRepeated() {
        cluster.set("node2", cluster.node("node2").stoppedByOperator());
        poll(2);
        cluster.set("node1", cluster.node("node1").down());
        poll(3);

        assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
        assertEquals(1, slack.count(Kind.CHANGED), slack.calls()::toString);
        Incident changed = slack.calls(Kind.CHANGED).get(0).incident();
        assertEquals(slack.calls(Kind.OPENED).get(0).incident().id(), changed.id());
        assertFalse(changed.messageTs().isEmpty(), "the update knows which message to edit");
    }

    @Test
    void aProblemThatGoesAwayByItselfIsClearedOnce() {
        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        poll(2);
        cluster.set("node1", FakeCluster.Node.healthy(cluster.node("node1").startedAt()));
        poll(4);

        assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
        assertEquals(1, slack.count(Kind.CLEARED), slack.calls()::toString);
        assertTrue(store.openIncident("shop").isEmpty());
    }

    @Test
    void lagAboveTheThresholdIsAProblemAndBelowItIsNot() {
        cluster.set("node1", cluster.node("node1").lagging(30));
        poll(2);
        assertEquals(0, slack.calls().size(), "30 s is the threshold itself: " + slack.calls());
        cluster.set("node1", cluster.node("node1").lagging(31));
        poll(2);
        assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
        assertEquals("node1:LAGGING", store.openIncident("shop").orElseThrow().problemKey());
    }

    @Test
    void aRestartBetweenTwoPollsIsAlertedEvenThoughTheNodeNeverLookedDown() {
        poll(1);
        cluster.set("node1", cluster.node("node1").restartedAt(clock.instant()));
        poll(1);
        assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
        assertEquals("node1:RESTARTED", slack.calls(Kind.OPENED).get(0).incident().problemKey());
        poll(3);
        assertEquals(1, slack.count(Kind.CLEARED), "healthy after the restart: " + slack.calls());
    }

    @Test
    void whenAnotherReplicaOpenedTheIncidentFirstThisOneSaysNothing() {
        // This replica read "no open incident" just before the other replica inserted one.
        ResyncStore staleRead = (ResyncStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ResyncStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("openIncident")) {
                        return Optional.empty();
                    }
                    return method.invoke(store, args);
                });
        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        clock.advance(Duration.ofSeconds(2));
        monitor.poll("shop");
        assertEquals(1, slack.count(Kind.OPENED));

        monitor(staleRead).poll("shop");

        assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
    }

    @Test
    void givenSlackIsDownWhenTheIncidentOpensTheAlertIsPostedAtTheNextPollOnce() {
        slack.failWhile(k -> true);
        cluster.set("node2", cluster.node("node2").stoppedByOperator());
        poll(2);
        assertEquals(0, slack.calls().size());
        assertTrue(store.openIncident("shop").isPresent(), "the incident is stored even though the alert failed");

        slack.failWhile(k -> false);
        poll(5);

        assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
        assertEquals(1, slack.calls().size(), slack.calls()::toString);
        assertFalse(store.openIncident("shop").orElseThrow().messageTs().isEmpty());
    }

    @Test
    void whileARecoveryCatchesUpTheLagWatchTalksUnlessItIsGoneThenTheMonitorTakesItBack() {
        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        poll(1);
        Incident open = store.openIncident("shop").orElseThrow();
        assertTrue(store.updateIncident(open.with(IncidentState.CATCHING_UP, open.problemKey(), open.headline(),
                clock.instant()), IncidentState.OPEN));
        cluster.set("node1", cluster.node("node1").lagging(500));
        poll(5);
        assertEquals(1, slack.calls().size(), "within the grace period the recovery owns it: " + slack.calls());

        clock.advance(IncidentLifecycle.WATCH_GRACE);
        poll(1);
        assertEquals(IncidentState.OPEN, store.openIncident("shop").orElseThrow().state());
        assertEquals(1, slack.count(Kind.CHANGED), "the lag nobody watches is reported: " + slack.calls());
    }

    @Test
    void aRestartSeenByAPollThatFailedIsStillAlertedByTheNextPoll() {
        poll(1);
        boolean[] stateDatabaseAway = {true};
        ResyncStore flaky = (ResyncStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ResyncStore.class}, (proxy, method, args) -> {
                    if (stateDatabaseAway[0] && method.getName().equals("openIncident")) {
                        throw new IllegalStateException("state database unreachable (test)");
                    }
                    return method.invoke(store, args);
                });
        ClusterMonitor withFlakyStore = monitor(flaky);
        cluster.set("node1", cluster.node("node1").restartedAt(clock.instant()));
        clock.advance(Duration.ofSeconds(2));
        withFlakyStore.poll("shop");
        assertEquals(0, slack.calls().size());

        stateDatabaseAway[0] = false;
        clock.advance(Duration.ofSeconds(2));
        withFlakyStore.poll("shop");

        assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
        assertEquals("node1:RESTARTED", slack.calls(Kind.OPENED).get(0).incident().problemKey());
    }

    @Test
    void aReplicaTakingOverThePollsComparesAgainstTheStartTimesTheOtherReplicaSaw() {
        poll(1);
        ClusterMonitor otherReplica = monitor(store);
        cluster.set("node1", cluster.node("node1").restartedAt(clock.instant()));
        clock.advance(Duration.ofSeconds(2));

        otherReplica.poll("shop");

        assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
        assertEquals("node1:RESTARTED", slack.calls(Kind.OPENED).get(0).incident().problemKey());
    }

    @Test
    void givenSlackIsDownTheAlertIsPostedByWhicheverReplicaPollsNext() {
        slack.failWhile(k -> true);
        cluster.set("node2", cluster.node("node2").stoppedByOperator());
        poll(1);
        slack.failWhile(k -> false);
        ClusterMonitor otherReplica = monitor(store);
        clock.advance(Duration.ofSeconds(2));

        otherReplica.poll("shop");
        poll(2);

        assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
        assertEquals(1, slack.calls().size(), slack.calls()::toString);
        assertTrue(store.pendingAlert("shop").isEmpty());
    }

    @Test
    void aFailingReadIsLoggedAndTheNextPollCarriesOn() {
        monitor.poll("no-such-cluster");
        cluster.set("node1", cluster.node("node1").stoppedByOperator());
        poll(1);
        assertEquals(1, slack.count(Kind.OPENED));
    }
}
