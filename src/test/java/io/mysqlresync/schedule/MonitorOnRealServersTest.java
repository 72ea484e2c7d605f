package io.mysqlresync.schedule;

import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.schedule.RecordingNotifier.Kind;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.StateFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The monitor against a real MariaDB pair, polling every 300 ms: a crash or a broken replica is
 * one alert within a few polls, and what happens next edits that alert instead of adding more.
 */
@ExtendWith(RealServers.class)
class MonitorOnRealServersTest {

    static final Duration POLL = Duration.ofMillis(300);
    private static final MonitorSettings SETTINGS = StateFixture.settings(POLL, Duration.ofSeconds(1));
    /** "Within a few poll intervals", counted from before the fault is made (a kill takes time too). */
    private static final Duration ALERT_WITHIN = POLL.multipliedBy(8);

    private final RecordingNotifier slack = new RecordingNotifier();

    @BeforeEach
    void healthyPair(LocalPair pair) throws Exception {
        pair.reset();
    }

    private interface Fault {
        void inject(LocalPair pair) throws Exception;
    }

    private record Run(String fault, Fault inject, boolean crash) {
    }

    @Test
    void aNodeKilledOrItsReplicationBrokenIsAlertedOnceWithinAFewPolls(LocalPair pair) throws Exception {
        List<Run> runs = List.of(
                new Run("kill -9 node1", p -> p.killHard(Node.NODE1), true),
                new Run("duplicate key stops node2's SQL thread", p -> p.causeDuplicateKey(Node.NODE2), false),
                new Run("kill -9 node2", p -> p.killHard(Node.NODE2), true),
                new Run("row not found stops node1's SQL thread", p -> p.causeRowNotFound(Node.NODE1), false),
                new Run("kill -9 node1", p -> p.killHard(Node.NODE1), true),
                new Run("replication password changed: node2's IO thread fails",
                        p -> p.breakReplicationAuth(Node.NODE2), false));
        List<Long> millis = new ArrayList<>();
        for (Run run : runs) {
            pair.reset();
            Bot.upLongerThanTheRestartTolerance(pair);
            slack.clear();
            try (Bot bot = new Bot(pair, StateFixture.newDatabaseName(), false, "bot-1", slack, SETTINGS).start()) {
                Waits.holdsFor(POLL.multipliedBy(4), run.fault() + ": a healthy pair is not news",
                        () -> slack.calls().isEmpty(), slack::calls);
                // Polls fire at fixed times from the start: break at a random point between two of them,
                // as a real crash would, rather than always right after one (the worst case).
                Waits.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(POLL.toMillis())));

                long broke = System.nanoTime();
                run.inject().inject(pair);
                Waits.until(ALERT_WITHIN.plus(Duration.ofSeconds(10)), run.fault() + ": an alert",
                        () -> slack.count(Kind.OPENED) > 0, slack::calls);
                long took = (slack.calls(Kind.OPENED).get(0).atNanos() - broke) / 1_000_000;
                millis.add(took);
                System.out.printf("break-to-alert %-55s %5d ms (poll %d ms): %s%n", run.fault(), took,
                        POLL.toMillis(), slack.calls(Kind.OPENED).get(0).incident().headline());
                assertTrue(took <= ALERT_WITHIN.toMillis(), run.fault() + ": alerted after " + took + " ms");

                // The other node notices, errors appear: the one alert is edited, never repeated.
                Waits.holdsFor(POLL.multipliedBy(10), run.fault() + ": one alert",
                        () -> slack.count(Kind.OPENED) == 1, slack::calls);
                if (run.crash()) {
                    pair.startNode(run.fault().endsWith("node1") ? Node.NODE1 : Node.NODE2);
                    Waits.until(Duration.ofSeconds(60), run.fault() + ": the all-clear once the node is back",
                            () -> slack.count(Kind.CLEARED) == 1, slack::calls);
                    Waits.holdsFor(POLL.multipliedBy(5), run.fault() + ": one alert, one all-clear",
                            () -> slack.count(Kind.OPENED) == 1 && slack.count(Kind.CLEARED) == 1, slack::calls);
                    assertTrue(slack.calls(Kind.CHANGED).stream()
                                    .anyMatch(c -> c.incident().problemKey().contains(":RESTARTED")),
                            run.fault() + ": the restart is on the alert: " + slack.calls());
                }
            }
        }
        List<Long> sorted = millis.stream().sorted().toList();
        long median = (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2;
        System.out.printf("break-to-alert over %d runs, poll %d ms: median %d ms, max %d ms, all %s%n",
                millis.size(), POLL.toMillis(), median, sorted.get(sorted.size() - 1),
                millis.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }

    @Test
    void anOperatorsStopSlaveThenStartSlaveIsOneAlertAndOneAllClear(LocalPair pair) throws Exception {
        try (Bot bot = new Bot(pair, StateFixture.newDatabaseName(), false, "bot-1", slack, SETTINGS).start()) {
            Waits.holdsFor(POLL.multipliedBy(3), "a healthy pair is not news", () -> slack.calls().isEmpty(),
                    slack::calls);
            pair.stopReplicationByOperator(Node.NODE1);
            Waits.until(Duration.ofSeconds(10), "the alert", () -> slack.count(Kind.OPENED) == 1, slack::calls);
            Incident opened = slack.calls(Kind.OPENED).get(0).incident();
            assertEquals("node1:THREADS_STOPPED_BY_OPERATOR", opened.problemKey());

            pair.startReplication(Node.NODE1);
            Waits.until(Duration.ofSeconds(10), "the all-clear", () -> slack.count(Kind.CLEARED) == 1, slack::calls);
            Waits.holdsFor(POLL.multipliedBy(6), "nothing after the all-clear", () -> slack.calls().size() == 2,
                    slack::calls);

            assertEquals(List.of(Kind.OPENED, Kind.CLEARED), slack.calls().stream().map(c -> c.kind()).toList(),
                    slack.calls()::toString);
            Incident cleared = slack.calls(Kind.CLEARED).get(0).incident();
            assertEquals(opened.id(), cleared.id());
            assertEquals(IncidentState.CLEARED, cleared.state());
            assertTrue(!cleared.messageTs().isEmpty(), "the all-clear edits the alert's message");
            assertTrue(bot.store.openIncident(Bot.CLUSTER).isEmpty());
        }
    }
}
