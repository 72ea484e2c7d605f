package io.mysqlresync.incident;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LagProgressTest {

    private static final Instant T0 = Instant.parse("2026-11-25T03:00:00Z");
    private final LagProgress progress = new LagProgress(3, Duration.ofMinutes(2));

    private static LagSample sample(long secondsAfter, long node1Lag, long node2Lag) {
        return new LagSample(T0.plusSeconds(secondsAfter), List.of(
                new NodeLag("node1", node1Lag, node1Lag >= 0), new NodeLag("node2", node2Lag, node2Lag >= 0)));
    }

    private LagWatch watchWith(LagSample... samples) {
        LagWatch w = LagWatch.start("shop", "C1", "", T0, "i-1");
        for (LagSample s : samples) w = progress.observe(w, s);
        return w;
    }

    @Test
    void givenLagFallingTenSecondsPerSecondTheEtaIsTheRemainingLagOverThatRate() {
        LagWatch w = watchWith(sample(0, 600, 0), sample(10, 500, 0), sample(20, 400, 0));
        assertEquals(LagProgress.Trend.FALLING, progress.trend(w, "node1"));
        assertEquals(Duration.ofSeconds(40), progress.eta(w, "node1").orElseThrow());
        assertEquals(Duration.ZERO, progress.eta(w, "node2").orElseThrow());
    }

    @Test
    void risingLagHasNoEta() {
        LagWatch w = watchWith(sample(0, 100, 0), sample(10, 150, 0));
        assertEquals(LagProgress.Trend.RISING, progress.trend(w, "node1"));
        assertTrue(progress.eta(w, "node1").isEmpty());
    }

    @Test
    void inSyncNeedsConsecutiveChecks() {
        LagWatch w = watchWith(sample(0, 0, 0), sample(2, 0, 0), sample(4, 3, 0), sample(6, 0, 0), sample(8, 0, 0));
        assertEquals(2, w.inSyncStreak(), "the lag blip at 4 s reset the streak");
        w = progress.observe(w, sample(10, 0, 0));
        assertEquals(3, w.inSyncStreak());
    }

    @Test
    void aStoppedThreadIsNeverInSync() {
        LagWatch w = watchWith(sample(0, -1, 0), sample(2, -1, 0), sample(4, -1, 0));
        assertEquals(0, w.inSyncStreak());
    }

    @Test
    void lagThatStopsFallingForTheStallPeriodIsStalled() {
        LagWatch w = watchWith(sample(0, 500, 0), sample(60, 400, 0), sample(120, 400, 0), sample(180, 410, 0));
        assertTrue(progress.stalled(w));
        LagWatch falling = watchWith(sample(0, 500, 0), sample(60, 400, 0), sample(120, 300, 0), sample(180, 200, 0));
        assertFalse(progress.stalled(falling));
    }

    @Test
    void samplesAreBounded() {
        LagWatch w = LagWatch.start("shop", "C1", "", T0, "");
        for (int i = 0; i < 100; i++) w = progress.observe(w, sample(i, 100 - i, 0));
        assertEquals(LagProgress.MAX_SAMPLES, w.samples().size());
    }
}
