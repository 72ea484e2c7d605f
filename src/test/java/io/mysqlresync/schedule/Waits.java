package io.mysqlresync.schedule;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded waits on Awaitility: every wait ends, and a timeout says what was awaited and what was seen. */
final class Waits {

    private static final Duration POLL = Duration.ofMillis(20);

    private Waits() {
    }

    /** Until {@code condition} holds; fails after {@code timeout} with {@code seen}. */
    static void until(Duration timeout, String what, BooleanSupplier condition, Supplier<?> seen) {
        try {
            Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL)
                    .until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what + "; seen: " + seen.get(), e);
        }
    }

    /**
     * That {@code condition} holds all through {@code period}, checked every few milliseconds, not
     * only at its end: "nothing more happened" for that long.
     */
    static void holdsFor(Duration period, String what, BooleanSupplier condition, Supplier<?> seen) {
        try {
            Awaitility.await(what).during(period).atMost(period.plusSeconds(2)).pollDelay(Duration.ZERO)
                    .pollInterval(POLL).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not for " + period.toMillis() + " ms: " + what + "; seen: " + seen.get(), e);
        }
    }

    /** Only to let time pass for the thing under test (a slow fake node), never to wait for a result. */
    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
