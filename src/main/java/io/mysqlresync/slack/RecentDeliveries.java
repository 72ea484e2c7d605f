package io.mysqlresync.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.time.Duration;

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
    private final Cache<String, Boolean> seen;

    RecentDeliveries(Duration ttl) {
        this(ttl, Ticker.systemTicker());
    }

    RecentDeliveries(Duration ttl, Ticker ticker) {
        this.seen = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_ENTRIES).ticker(ticker).build();
    }

    /** True the first time a key is seen within the ttl; false for a re-delivery. Blank keys are always new. */
    boolean firstTime(String key) {
        if (key == null || key.isBlank()) return true;
        return seen.asMap().putIfAbsent(key, Boolean.TRUE) == null;
    }
}
