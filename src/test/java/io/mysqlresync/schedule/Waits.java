package io.mysqlresync.schedule;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling: every wait ends, and a timeout says what was awaited and what was seen. */
final class Waits {

    private Waits() {
    }

    /** Polls every 20 ms until {@code condition} holds; fails after {@code timeout} with {@code seen}. */
    static void until(Duration timeout, String what, BooleanSupplier condition, Supplier<?> seen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what + "; seen: " + seen.get());
            }
            sleep(Duration.ofMillis(20));
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
