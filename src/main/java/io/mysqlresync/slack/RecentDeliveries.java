package io.mysqlresync.slack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slack re-sends an envelope it thinks was not acked (same payload, same trigger_id), and Bolt
 * runs the handler again for each delivery. This remembers trigger ids for a while so that a
 * re-delivery is acked and dropped instead of posting a second plan or a second refusal.
 *
 * <p>It is a courtesy, not the safety: running a plan once is decided by the store's
 * compare-and-set (PROPOSED to EXECUTING), which also covers re-deliveries that reach another
 * bot replica, and clicks by two people.
 */
final class RecentDeliveries {

    private static final int MAX_ENTRIES = 10_000;
    private final long ttlNanos;
    private final Map<String, Long> seen = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    RecentDeliveries(java.time.Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    /** True the first time a key is seen within the ttl; false for a re-delivery. Blank keys are always new. */
    synchronized boolean firstTime(String key) {
        if (key == null || key.isBlank()) return true;
        long now = System.nanoTime();
        seen.values().removeIf(at -> now - at > ttlNanos);
        return seen.putIfAbsent(key, now) == null;
    }
}
