package io.mysqlresync.slack;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When the next {@code apps.connections.open} may be made. That method is in Slack's strictest
 * rate tier (Tier 1), so failures back off exponentially with jitter (many bots restarted by the
 * same Slack incident must not call back in step), a 429's Retry-After is a floor, never a hint,
 * and even successful opens are spaced by {@link #minInterval}.
 *
 * @param minInterval  the shortest time between two opens, successful or not
 * @param firstBackoff the wait after the first failure; doubled after each further one
 * @param maxBackoff   the longest wait between two failed attempts (before Retry-After)
 * @param linkDisabled how long to wait after Slack said Socket Mode is turned off for the app
 */
public record ReconnectPolicy(Duration minInterval, Duration firstBackoff, Duration maxBackoff, Duration linkDisabled) {

    public static final ReconnectPolicy DEFAULTS = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofMinutes(2), Duration.ofMinutes(1));

    /**
     * The wait before attempt number {@code failures + 1} after {@code failures} failures in a
     * row: "equal jitter", between half and all of {@code firstBackoff * 2^(failures-1)} (capped),
     * so the wait always grows yet two bots never retry at the same instant.
     */
    public Duration backoff(int failures, DoubleSupplier random) {
        if (failures <= 0) return Duration.ZERO;
        long ceiling = firstBackoff.toMillis() << Math.min(failures - 1, 20);
        ceiling = Math.min(Math.max(ceiling, 1), maxBackoff.toMillis());
        long half = ceiling / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * (ceiling - half)));
    }

    /** After a 429: never before Retry-After, plus up to a tenth more so a fleet spreads out. */
    public Duration afterRateLimit(Duration retryAfter, int failures, DoubleSupplier random) {
        Duration jittered = retryAfter.plusMillis((long) (random.getAsDouble() * retryAfter.toMillis() / 10));
        Duration backoff = backoff(failures, random);
        return jittered.compareTo(backoff) >= 0 ? jittered : backoff;
    }
}
