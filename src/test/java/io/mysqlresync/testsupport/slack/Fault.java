package io.mysqlresync.testsupport.slack;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How the fake Slack misbehaves for one Web API method (or for the {@code response_url} endpoint,
 * keyed as {@link FakeSlack#RESPONSE_URL}).
 *
 * <p>{@link #delay} is applied first; then, if {@link #replacesResponse()}, the normal answer is
 * replaced by {@code {"ok":false,"error":...}} with {@link #httpStatus}, else the normal answer follows.
 */
public record Fault(Duration delay, int httpStatus, String error, OptionalInt retryAfterSeconds) {

    public Fault {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(retryAfterSeconds, "retryAfterSeconds");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
    }

    /** HTTP 200 with {@code {"ok":false,"error":error}}: how Slack reports most API errors. */
    public static Fault error(String error) {
        return new Fault(Duration.ZERO, 200, Objects.requireNonNull(error, "error"), OptionalInt.empty());
    }

    /** HTTP 429 with a {@code Retry-After} header, as Slack answers when a method's rate limit is hit. */
    public static Fault rateLimited(int retryAfterSeconds) {
        return new Fault(Duration.ZERO, 429, "ratelimited", OptionalInt.of(retryAfterSeconds));
    }

    /** A bare HTTP failure (e.g. 500, 503) with {@code {"ok":false}}. */
    public static Fault httpStatus(int status) {
        return new Fault(Duration.ZERO, status, null, OptionalInt.empty());
    }

    /** The normal answer, but only after {@code delay}: a slow Slack. */
    public static Fault slow(Duration delay) {
        return new Fault(delay, 200, null, OptionalInt.empty());
    }

    /** This fault, answered only after {@code delay}. */
    public Fault after(Duration delay) {
        return new Fault(delay, httpStatus, error, retryAfterSeconds);
    }

    public boolean replacesResponse() {
        return error != null || httpStatus != 200;
    }
}
