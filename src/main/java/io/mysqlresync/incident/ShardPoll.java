package io.mysqlresync.incident;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

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

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * The shards as {@code status} shows them, a header row first: shard, replica (Quartz
     * instance id), when its last poll started (UTC) and how long ago, how long the sweep took to
     * start every read, polls so far, and LATE for a shard announced late.
     */
    public static List<String[]> table(List<ShardPoll> polls, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"shard", "replica", "last poll (UTC)", "sweep", "polls", ""});
        for (ShardPoll p : polls) {
            boolean never = p.polls() == 0;
            long agoMs = Math.max(0, Duration.between(p.lastStart(), now).toMillis());
            rows.add(new String[]{(p.shard() + 1) + " of " + polls.size(),
                    never ? "-" : p.instance(),
                    never ? "never" : CLOCK.format(p.lastStart()) + " (" + String.format(java.util.Locale.ROOT, "%.1f", agoMs / 1000.0) + " s ago)",
                    p.lastEnd() == null ? (never ? "-" : "running")
                            : Duration.between(p.lastStart(), p.lastEnd()).toMillis() + " ms",
                    Long.toString(p.polls()),
                    p.late() ? "LATE" : ""});
        }
        return rows;
    }
}
