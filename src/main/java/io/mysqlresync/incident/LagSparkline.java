package io.mysqlresync.incident;

import java.util.List;

/**
 * A node's recent lag as a sparkline (▇▆▄▂▁), oldest check first, for the progress message: a
 * trend word says "falling", the line shows whether it falls steadily, stalls or jumps. Scaled to
 * the highest lag shown, so a drain from an hour to zero and one from a minute to zero look
 * alike; the lag column beside it gives the size.
 */
public final class LagSparkline {

    private static final char[] BARS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};
    /** A check where the lag was unknown (thread stopped, NULL): a gap, not a zero. */
    static final char UNKNOWN = '·';
    /** Enough to see a trend in a table cell on a phone. */
    public static final int DEFAULT_WIDTH = 12;

    private LagSparkline() {
    }

    /** The last {@code width} checks of {@code node}; empty when it has none. */
    public static String of(List<LagSample> samples, String node, int width) {
        List<Long> lags = samples.stream()
                .map(s -> s.node(node).map(NodeLag::lagSeconds).orElse(-1L))
                .toList();
        if (lags.size() > width) lags = lags.subList(lags.size() - width, lags.size());
        long max = lags.stream().mapToLong(Long::longValue).max().orElse(-1);
        StringBuilder sb = new StringBuilder();
        for (long lag : lags) {
            if (lag < 0) {
                sb.append(UNKNOWN);
            } else {
                // 0 is the lowest bar; the highest lag shown is the highest bar.
                int level = max <= 0 ? 0 : (int) Math.round((double) lag * (BARS.length - 1) / max);
                sb.append(BARS[level]);
            }
        }
        return sb.toString();
    }

    public static String of(LagWatch watch, String node) {
        return of(watch.samples(), node, DEFAULT_WIDTH);
    }
}
