package io.mysqlresync.slack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentDeliveriesTest {

    private final AtomicLong nanos = new AtomicLong();
    private final RecentDeliveries deliveries = new RecentDeliveries(Duration.ofMinutes(5), nanos::get);

    @Test
    void aReDeliveryWithinTheWindowIsDropped() {
        assertTrue(deliveries.firstTime("action:123.456"));
        assertFalse(deliveries.firstTime("action:123.456"));
        assertTrue(deliveries.firstTime("action:123.457"));
    }

    @Test
    void theSameTriggerAfterTheWindowIsTakenAgain() {
        assertTrue(deliveries.firstTime("command:1"));
        nanos.addAndGet(Duration.ofMinutes(5).plusSeconds(1).toNanos());
        assertTrue(deliveries.firstTime("command:1"));
    }

    @Test
    void blankKeysAreAlwaysNew() {
        assertTrue(deliveries.firstTime(""));
        assertTrue(deliveries.firstTime(""));
        assertTrue(deliveries.firstTime(null));
    }
}
