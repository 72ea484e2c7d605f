package io.mysqlresync.incident;

import java.time.Duration;
import java.time.Instant;

/**
 * The last poll of one monitor shard, as the state store keeps it: which replica ran it (its
 * Quartz instance id), when it started and ended, how many polls the shard has had, and whether
 * the shard is announced late. Shards are numbered from 0.
 *
 * @param instance  the replica that ran the last poll; empty before the first
 * @param lastStart when the last poll started (when the shard was configured, before the first)
 * @param lastEnd   when the last poll had started every cluster's read; null while it runs, or before the first
 * @param polls     polls so far: the acceptance test counts them per interval
 * @param late      announced as not polled within two intervals, not yet polled again
 */
public record ShardPoll(int shard, String instance, Instant lastStart, Instant lastEnd, long polls, boolean late) {

    /** Not polled within {@code limit} of {@code now}. */
    public boolean overdue(Instant now, Duration limit) {
        return lastStart.plus(limit).isBefore(now);
    }

    /** As people count them: shard 1 of 12. */
    public String label(int shards) {
        return label(shard, shards);
    }

    public static String label(int shard, int shards) {
        return "shard " + (shard + 1) + " of " + shards;
    }
}
