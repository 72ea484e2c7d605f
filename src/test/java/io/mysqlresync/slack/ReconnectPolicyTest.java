package io.mysqlresync.slack;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ReconnectPolicyTest {

    private final ReconnectPolicy policy = ReconnectPolicy.DEFAULTS;

    @Test
    void backoffDoublesWithEqualJitterUpToTheCap() {
        assertEquals(Duration.ZERO, policy.backoff(0, () -> 0.5));
        assertEquals(Duration.ofMillis(500), policy.backoff(1, () -> 0.0));
        assertEquals(Duration.ofMillis(1000), policy.backoff(1, () -> 1.0));
        assertEquals(Duration.ofMillis(4000), policy.backoff(4, () -> 0.0));
        assertEquals(Duration.ofMillis(8000), policy.backoff(4, () -> 1.0));
        assertEquals(Duration.ofMinutes(1), policy.backoff(30, () -> 0.0));
        assertEquals(Duration.ofMinutes(2), policy.backoff(30, () -> 1.0));
        assertNotEquals(policy.backoff(3, () -> 0.1), policy.backoff(3, () -> 0.9), "jitter spreads a fleet");
    }

    @Test
    void retryAfterIsAFloorNeverAHint() {
        assertEquals(Duration.ofSeconds(30), policy.afterRateLimit(Duration.ofSeconds(30), 1, () -> 0.0));
        assertEquals(Duration.ofSeconds(33), policy.afterRateLimit(Duration.ofSeconds(30), 1, () -> 1.0));
        // a long failure streak's backoff wins over a short Retry-After
        assertEquals(Duration.ofMinutes(1), policy.afterRateLimit(Duration.ofSeconds(1), 30, () -> 0.0));
    }

    @Test
    void aMissingOrBadRetryAfterMeansOneSecond() {
        assertEquals(Duration.ofSeconds(1), SocketModeLink.retryAfter(null));
        assertEquals(Duration.ofSeconds(1), SocketModeLink.retryAfter("soon"));
        assertEquals(Duration.ofSeconds(20), SocketModeLink.retryAfter(" 20 "));
    }
}
