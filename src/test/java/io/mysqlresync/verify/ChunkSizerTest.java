package io.mysqlresync.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChunkSizerTest {

    private static final Duration HALF_SECOND = Duration.ofMillis(500);

    @Test
    void aFastServerGetsBiggerChunksButAtMostFourTimesPerStep() {
        ChunkSizer s = new ChunkSizer(HALF_SECOND, 1000, 100, 1_000_000);
        s.observe(1000, Duration.ofMillis(10)); // 100,000 rows/s: the target is 50,000 rows
        assertEquals(4000, s.size());
        s.observe(4000, Duration.ofMillis(40));
        assertEquals(16_000, s.size());
    }

    @Test
    void theSizeSettlesWhereAChunkTakesTheTargetTime() {
        ChunkSizer s = new ChunkSizer(HALF_SECOND, 1000, 100, 1_000_000);
        double rowsPerSecond = 20_000; // a steady server: 0.5 s is 10,000 rows
        for (int i = 0; i < 20; i++) {
            long n = s.size();
            s.observe(n, Duration.ofNanos((long) (n / rowsPerSecond * 1e9)));
        }
        assertEquals(10_000, s.size(), 1);
    }

    @Test
    void aSlowServerGetsSmallerChunksDownToTheMinimum() {
        ChunkSizer s = new ChunkSizer(HALF_SECOND, 1000, 100, 1_000_000);
        s.observe(1000, Duration.ofSeconds(2)); // 500 rows/s
        assertEquals(250, s.size());
        s.observe(250, Duration.ofSeconds(25));
        assertEquals(100, s.size());
    }

    @Test
    void anEmptyChunkChangesNothing_andTheWeightFavoursRecentChunks() {
        ChunkSizer s = new ChunkSizer(HALF_SECOND, 1000, 100, 1_000_000);
        s.observe(0, Duration.ofSeconds(5));
        assertEquals(1000, s.size());
        s.observe(1000, Duration.ofMillis(500)); // 2,000 rows/s
        s.observe(1000, Duration.ofMillis(100)); // suddenly 10,000 rows/s
        // (1000*0.75 + 1000) / (0.5*0.75 + 0.1) = 3684 rows/s -> 1842 rows
        assertEquals(1842, s.size());
        assertTrue(s.size() > 1000);
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkSizer(Duration.ZERO, 1000, 100, 1000));
        assertThrows(IllegalArgumentException.class, () -> new ChunkSizer(HALF_SECOND, 1000, 100, 10));
    }
}
