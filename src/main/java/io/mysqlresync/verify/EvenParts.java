package io.mysqlresync.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * A chunk cut by value into {@code count} parts of {@code step} values of the key's first
 * column: a row belongs to part {@code value DIV step - firstBucket}, clamped to the first and
 * last part. Part 0 runs from the chunk's start (it may be shorter than a step: the chunk need
 * not start on a multiple of it, and the first chunk is open below); the last part runs to the
 * chunk's end (open above in the last chunk). Nothing reads the keys to find these ends.
 */
public record EvenParts(long step, long firstBucket, int count) {

    public EvenParts {
        if (step < 1 || firstBucket < 0 || count < 1) {
            throw new IllegalArgumentException("parts of " + step + " from bucket " + firstBucket + " x" + count);
        }
    }

    /** The last value of the chunk's last part. */
    public long end() {
        return (firstBucket + count) * step - 1;
    }

    /** Part {@code i}'s last value, for i below {@code count - 1}. */
    long endOf(int i) {
        return (firstBucket + i + 1) * step - 1;
    }

    /** The ends of all parts but the last, as keys of the first column alone: what the key-scan path calls cuts. */
    public List<RowKey> cuts() {
        List<RowKey> out = new ArrayList<>(count - 1);
        for (int i = 0; i < count - 1; i++) {
            out.add(RowKey.of(Long.toString(endOf(i))));
        }
        return out;
    }

    /** The part a bucket ({@code value DIV step}) falls in. */
    public int partOf(java.math.BigInteger bucket) {
        java.math.BigInteger offset = bucket.subtract(java.math.BigInteger.valueOf(firstBucket));
        if (offset.signum() < 0) {
            return 0;
        }
        return offset.compareTo(java.math.BigInteger.valueOf(count - 1)) >= 0 ? count - 1 : offset.intValue();
    }
}
