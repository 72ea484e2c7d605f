package io.mysqlresync.schedule;

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
    private final Map<String, Object> memory = new HashMap<>();

    @Test
    void theFirstPollOnlyLearnsWhenEachNodeStarted() {
        assertEquals(List.of(), RestartDetector.restarted(cluster.read("shop"), memory));
        assertEquals(2, memory.size());
    }

    @Test
    void givenNode1WasKilledAndStartedBetweenTwoPollsTheNextPollSeesItRestarted() {
        RestartDetector.restarted(cluster.read("shop"), memory);
        clock.advance(Duration.ofSeconds(2));
        cluster.set("node1", cluster.node("node1").restartedAt(clock.instant().minusSeconds(1)));

        assertEquals(List.of("node1"), RestartDetector.restarted(cluster.read("shop"), memory));
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of(), RestartDetector.restarted(cluster.read("shop"), memory), "said once");
    }

    @Test
    void uptimeInWholeSecondsDoesNotLookLikeARestart() {
        RestartDetector.restarted(cluster.read("shop"), memory);
        for (int i = 0; i < 20; i++) {
            // 2.7 s between polls: read time minus whole-second uptime wobbles by up to a second.
            clock.advance(Duration.ofMillis(2700));
            assertEquals(List.of(), RestartDetector.restarted(cluster.read("shop"), memory));
        }
    }

    @Test
    void givenNode1WasUnreachableForAWhileItsReturnAfterARestartIsSeen() {
        RestartDetector.restarted(cluster.read("shop"), memory);
        cluster.set("node1", cluster.node("node1").down());
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(2));
            assertEquals(List.of(), RestartDetector.restarted(cluster.read("shop"), memory));
        }
        cluster.set("node1", cluster.node("node1").restartedAt(clock.instant()));
        clock.advance(Duration.ofSeconds(2));

        assertEquals(List.of("node1"), RestartDetector.restarted(cluster.read("shop"), memory));
    }

    @Test
    void aStartTimeRememberedByAnEarlierBotRunIsComparedAgainst() {
        RestartDetector.restarted(cluster.read("shop"), memory);
        Map<String, Object> afterBotRestart = new HashMap<>(memory);
        cluster.set("node2", cluster.node("node2").restartedAt(clock.instant()));
        clock.advance(Duration.ofSeconds(30));

        assertEquals(List.of("node2"), RestartDetector.restarted(cluster.read("shop"), afterBotRestart));
    }
}
