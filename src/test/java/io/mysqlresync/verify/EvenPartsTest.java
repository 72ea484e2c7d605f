package io.mysqlresync.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The part a row's bucket ({@code value DIV step}) is folded into is the part whose range the cuts give it. */
class EvenPartsTest {

    @Test
    void aValueFallsInThePartWhoseCutsHoldIt_andBucketsOutsideTheChunkInItsFirstOrLastPart() {
        // Chunk from 105 (not on a bucket start): buckets 10..13 of step 10, parts end at 109, 119, 129, 139.
        EvenParts parts = new EvenParts(10, 105 / 10, 4);
        assertEquals(List.of(RowKey.of("109"), RowKey.of("119"), RowKey.of("129")), parts.cuts());
        assertEquals(139, parts.end());
        for (long value = 105; value <= 139; value++) {
            int expected = value <= 109 ? 0 : value <= 119 ? 1 : value <= 129 ? 2 : 3;
            assertEquals(expected, parts.partOf(BigInteger.valueOf(value / 10)), "value " + value);
        }
        // Below the chunk's first bucket (a row on node2 only, in the open first chunk) and MariaDB's
        // DIV of a negative value (truncated toward zero): the first part, open below.
        assertEquals(0, parts.partOf(BigInteger.valueOf(3)));
        assertEquals(0, parts.partOf(BigInteger.valueOf(-2)));
        // Past the last part (rows written past the span, UNSIGNED keys past 2^63): the last part, open above.
        assertEquals(3, parts.partOf(BigInteger.valueOf(14)));
        assertEquals(3, parts.partOf(new BigInteger("18446744073709551615")));
    }
}
