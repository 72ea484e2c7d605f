package io.mysqlresync.verify;

import java.time.Duration;

/**
 * Sizes chunks so each checksum takes about the target time, as pt-table-checksum does: a
 * weighted average of rows per second over the chunks so far (older chunks weigh 0.75 of the
 * previous average), times the target. Clamped, so one odd chunk (a cold cache, a stall) cannot
 * make the next one huge or tiny.
 */
public final class ChunkSizer {

    static final double WEIGHT = 0.75;

    private final double targetSeconds;
    private final long min;
    private final long max;
    private long size;
    private double avgRows;
    private double avgSeconds;

    public ChunkSizer(Duration target, long initial, long min, long max) {
        if (target.isNegative() || target.isZero() || min < 1 || max < min) {
            throw new IllegalArgumentException("chunk target " + target + ", sizes " + min + ".." + max);
        }
        this.targetSeconds = target.toNanos() / 1e9;
        this.min = min;
        this.max = max;
        this.size = clamp(initial);
    }

    /** Rows for the next chunk. */
    public long size() {
        return size;
    }

    /** One chunk of {@code rows} took {@code took} (the slower node). */
    public void observe(long rows, Duration took) {
        if (rows <= 0) {
            return; // an empty chunk says nothing about speed
        }
        // A sub-millisecond chunk would claim an absurd rate; count it as a millisecond.
        double seconds = Math.max(took.toNanos() / 1e9, 0.001);
        avgRows = avgRows * WEIGHT + rows;
        avgSeconds = avgSeconds * WEIGHT + seconds;
        double rate = avgRows / avgSeconds;
        long next = (long) (rate * targetSeconds);
        // At most 4x growth per chunk: the first timings of a table are the least reliable.
        size = clamp(Math.min(next, size * 4));
    }

    private long clamp(long n) {
        return Math.max(min, Math.min(max, n));
    }
}
