package io.mysqlresync.verify;

/**
 * The smallest and largest value of a table's first key column, when that column is an integer
 * (see {@link PairSource#integerKeySpan}): chunks and their parts can then be cut by value, by
 * arithmetic on the key, instead of by a scan of the keys.
 */
public record KeySpan(long min, long max) {

    /** Beyond this, the arithmetic on chunk ends could overflow a long. */
    public static final long LIMIT = 1L << 62;

    public KeySpan {
        if (min < 0 || max < min || max >= LIMIT) {
            throw new IllegalArgumentException("key span " + min + ".." + max);
        }
    }

    public long values() {
        return max - min + 1;
    }
}
