package io.mysqlresync.schedule;

import io.mysqlresync.testsupport.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RestartDetectorTest {

    private final TestClock clock = new TestClock(Instant.parse("2016-05-17T09:00:00Z"));
    private final FakeCluster cluster = new FakeCluster(clock);
    /** What the store keeps between polls: the start times each poll leaves. */
    private final Map<String, Instant> seen = new HashMap<>();

    private List<String> poll() {
        return poll(seen);
    }

    private List<String> poll(Map<String, Instant> remembered) {
        RestartDetector.Seen s = RestartDetector.restarted(cluster.read("shop"), remembered);
        remembered.putAll(s.toRemember());
        return s.restarted();
    }

    @Test
    void theFirstPollOnlyLearnsWhenEachNodeStarted() {
        assertEquals(List.of(), poll());
        assertEquals(2, seen.size());
    }

    @Test
    void givenNode1WasKilledAndStartedBetweenTwoPollsTheNextPollSeesItRestarted() {
        poll();
        clock.advance(Duration.ofSeconds(2));
        cluster.set("node1", cluster.node("node1").restartedAt(clock.instant().minusSeconds(1)));

        assertEquals(List.of("node1"), poll());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of(), poll(), "said once");
    }

    @Test
    void uptimeInWholeSecondsDoesNotLookLikeARestart() {
        poll();
        for (int i = 0; i < 20; i++) {
            // 2.7 s between polls: read time minus whole-second uptime wobbles by up to a second.
            clock.advance(Duration.ofMillis(2700));
            assertEquals(List.of(), poll());
        }
    }

    @Test
    void givenNode1WasUnreachableForAWhileItsReturnAfterARestartIsSeen() {
        poll();
        cluster.set("node1", cluster.node("node1").down());
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(2));
            assertEquals(List.of(), poll());
        }
        cluster.set("node1", cluster.node("node1").restartedAt(clock.instant()));
        clock.advance(Duration.ofSeconds(2));

        assertEquals(List.of("node1"), poll());
    }

    @Test
    void aStartTimeRememberedByAnEarlierBotRunIsComparedAgainst() {
        poll();
        Map<String, Instant> afterBotRestart = new HashMap<>(seen);
        cluster.set("node2", cluster.node("node2").restartedAt(clock.instant()));
        clock.advance(Duration.ofSeconds(30));

        assertEquals(List.of("node2"), poll(afterBotRestart));
    }
}
