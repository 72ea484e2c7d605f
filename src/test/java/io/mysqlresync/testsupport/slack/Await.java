package io.mysqlresync.testsupport.slack;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Bounded polling: every wait in the fake ends, with a message saying what was seen instead. */
final class Await {

    private static final long POLL_NANOS = Duration.ofMillis(2).toNanos();

    private Await() {
    }

    static <T> T until(Duration timeout, String waitingFor, Supplier<Optional<T>> probe, Supplier<?> seenSoFar) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> result = probe.get();
            if (result.isPresent()) {
                return result.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("FakeSlack: no " + waitingFor + " within " + timeout.toMillis()
                        + " ms; seen so far: " + seenSoFar.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("FakeSlack: interrupted while waiting for " + waitingFor);
            }
        }
    }
}
