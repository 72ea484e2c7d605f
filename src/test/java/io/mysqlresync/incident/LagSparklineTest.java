package io.mysqlresync.incident;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LagSparklineTest {

    private static final Instant T0 = Instant.parse("2026-11-30T03:00:00Z");

    /** One check per value, node1's lag; -1 is a check where the lag was unknown. */
    static List<LagSample> node1(long... lags) {
        List<LagSample> out = new ArrayList<>();
        for (int i = 0; i < lags.length; i++) {
            out.add(new LagSample(T0.plusSeconds(10L * i), List.of(
                    new NodeLag("node1", lags[i], lags[i] >= 0), new NodeLag("node2", 0, true))));
        }
        return out;
    }

    @Test
    void aDrainingBacklogFallsFromTheHighestBarToTheLowest() {
        assertEquals("█▆▅▃▁", LagSparkline.of(node1(3600, 2700, 1800, 900, 0), "node1", 12));
    }

    @Test
    void aStallShowsAsAFlatLineAndAnUnknownLagAsAGap() {
        assertEquals("███·██", LagSparkline.of(node1(600, 600, 600, -1, 600, 600), "node1", 12));
    }

    @Test
    void aNodeInSyncAllAlongIsTheLowestBarAndOnlyTheLastChecksAreShown() {
        assertEquals("▁▁▁", LagSparkline.of(node1(5, 4, 3), "node2", 12));
        // The last two checks, scaled among themselves: 100 is the top, 0 the bottom.
        assertEquals("█▁", LagSparkline.of(node1(9000, 50, 100, 0), "node1", 2));
        assertEquals("", LagSparkline.of(List.of(), "node1", 12));
    }
}
