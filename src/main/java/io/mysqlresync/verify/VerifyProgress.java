package io.mysqlresync.verify;

import java.time.Duration;
import java.util.Optional;

/** Where a running verification is: for one Slack message updated in place or a terminal line. */
public record VerifyProgress(int tablesDone, int tablesTotal, long rowsDone, long rowsEstimated,
                             TableRef current, Duration elapsed) {

    /** From the rows still to read at the pace so far; empty until some rows are done. */
    public Optional<Duration> eta() {
        if (rowsDone <= 0 || rowsEstimated <= rowsDone) {
            return rowsDone > 0 && tablesDone < tablesTotal ? Optional.empty() : Optional.of(Duration.ZERO);
        }
        double perRow = (double) elapsed.toNanos() / rowsDone;
        return Optional.of(Duration.ofNanos((long) (perRow * (rowsEstimated - rowsDone))));
    }

    /** "3/14 tables, 1,204,000/2,100,000 rows, ETA 0:42". */
    public String line() {
        String eta = eta().map(d -> String.format(", ETA %d:%02d", d.toMinutes(), d.toSecondsPart())).orElse("");
        return String.format("%d/%d tables, %,d/%,d rows%s%s", tablesDone, tablesTotal, rowsDone,
                Math.max(rowsDone, rowsEstimated), eta, current == null ? "" : " (" + current + ")");
    }
}
