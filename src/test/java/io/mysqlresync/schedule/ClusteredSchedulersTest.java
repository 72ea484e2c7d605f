package io.mysqlresync.schedule;

import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.schedule.RecordingNotifier.Call;
import io.mysqlresync.schedule.RecordingNotifier.Kind;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.StateFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two bot replicas on one state database, with Quartz's clustered JDBC job store: they share the
 * monitor job, so a problem is alerted once, and a replica that goes away leaves its work to the
 * other.
 */
@ExtendWith(RealServers.class)
class ClusteredSchedulersTest {

    private static final Duration POLL = Duration.ofMillis(300);
    private static final MonitorSettings SETTINGS = StateFixture.settings(POLL, Duration.ofMillis(400));

    private final RecordingNotifier slack = new RecordingNotifier();

    @BeforeEach
    void healthyPair(LocalPair pair) throws Exception {
        pair.reset();
    }

    @Test
    void twoReplicasAlertOnceAndTheSurvivorCarriesOn(LocalPair pair) throws Exception {
        Bot.upLongerThanTheRestartTolerance(pair);
        String state = StateFixture.newDatabaseName();
        try (Bot a = new Bot(pair, state, true, "replica-a", slack.forReplica("replica-a"), SETTINGS).start();
             Bot b = new Bot(pair, state, true, "replica-b", slack.forReplica("replica-b"), SETTINGS).start()) {
            Waits.holdsFor(POLL.multipliedBy(4), "a healthy pair is not news", () -> slack.calls().isEmpty(),
                    slack::calls);

            pair.killHard(Node.NODE2);
            Waits.until(Duration.ofSeconds(10), "the alert", () -> slack.count(Kind.OPENED) >= 1, slack::calls);
            Waits.holdsFor(POLL.multipliedBy(10), "one alert for two replicas", () -> slack.count(Kind.OPENED) == 1,
                    slack::calls);

            // The replica that alerted goes away; the other keeps polling and gives the all-clear.
            Call alert = slack.calls(Kind.OPENED).get(0);
            Bot gone = alert.replica().equals("replica-a") ? a : b;
            String survivor = gone == a ? "replica-b" : "replica-a";
            gone.scheduler.close();
            pair.startNode(Node.NODE2);
            Waits.until(Duration.ofSeconds(60), "the all-clear", () -> slack.count(Kind.CLEARED) == 1, slack::calls);
            Waits.holdsFor(POLL.multipliedBy(5), "one alert, one all-clear",
                    () -> slack.count(Kind.OPENED) == 1 && slack.count(Kind.CLEARED) == 1, slack::calls);

            assertEquals(1, slack.count(Kind.OPENED), slack.calls()::toString);
            assertEquals(1, slack.count(Kind.CLEARED), slack.calls()::toString);
            assertEquals(survivor, slack.calls(Kind.CLEARED).get(0).replica(), slack.calls()::toString);
            assertEquals(alert.incident().id(), slack.calls(Kind.CLEARED).get(0).incident().id());
            assertTrue(slack.calls(Kind.CHANGED).stream().anyMatch(c -> c.incident().problemKey().contains("node2:RESTARTED")),
                    "node2's start time seen by one replica is known to the other: " + slack.calls());
        }
    }

    @Test
    void aWatchStartedByOneReplicaIsFinishedByTheOtherWhenItGoesAway(LocalPair pair) throws Exception {
        String state = StateFixture.newDatabaseName();
        try (Bot a = new Bot(pair, state, true, "replica-a", slack.forReplica("replica-a"), SETTINGS).start();
             Bot b = new Bot(pair, state, true, "replica-b", slack.forReplica("replica-b"), SETTINGS).start()) {
            pair.stopSqlThread(Node.NODE1);
            Waits.until(Duration.ofSeconds(10), "the alert", () -> slack.count(Kind.OPENED) == 1, slack::calls);
            String incident = a.store.openIncident(Bot.CLUSTER).orElseThrow().id();

            a.scheduler.startWatch(Bot.CLUSTER, "C-TEST", "1700000000.000100", incident);
            assertTrue(b.scheduler.watching(Bot.CLUSTER), "the watch job is in the shared job store");
            Waits.until(Duration.ofSeconds(10), "the progress message",
                    () -> slack.count(Kind.PROGRESS_STARTED) == 1, slack::calls);
            a.scheduler.close();
            long updatesBefore = slack.calls(Kind.PROGRESS_UPDATED).stream()
                    .filter(c -> c.replica().equals("replica-b")).count();

            pair.startSqlThread(Node.NODE1);
            Waits.until(Duration.ofSeconds(30), "back in sync", () -> !b.scheduler.watching(Bot.CLUSTER), slack::calls);

            assertEquals(1, slack.count(Kind.PROGRESS_STARTED), slack.calls()::toString);
            assertTrue(slack.calls(Kind.PROGRESS_UPDATED).stream().filter(c -> c.replica().equals("replica-b")).count()
                    > updatesBefore, "replica-b edited the progress message: " + slack.calls());
            List<Call> milestones = slack.calls(Kind.MILESTONE);
            assertEquals("replica-b", milestones.get(milestones.size() - 1).replica());
            assertTrue(milestones.get(milestones.size() - 1).text().startsWith("Back in sync"), milestones::toString);
            assertTrue(b.store.watch(Bot.CLUSTER).isEmpty());
            assertTrue(b.store.openIncident(Bot.CLUSTER).isEmpty());
        }
    }
}
