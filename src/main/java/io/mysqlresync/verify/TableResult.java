package io.mysqlresync.verify;

import java.time.Duration;
import java.util.List;

/**
 * The verdict on one table.
 *
 * @param reason      set only when INCONCLUSIVE
 * @param detail      for INCONCLUSIVE: what exactly, and what to do (the missing grant, the unsettled keys)
 * @param rowsCompared rows read on the first node
 * @param notes       what the DBA should know about how it was compared (no key, compared whole)
 */
public record TableResult(TableRef table, TableVerdict verdict, InconclusiveReason reason, String detail,
                          long rowsCompared, int chunks, List<RowDifference> differences, List<String> notes,
                          Duration took) {

    public TableResult {
        differences = List.copyOf(differences);
        notes = List.copyOf(notes);
        if ((verdict == TableVerdict.INCONCLUSIVE) != (reason != null)) {
            throw new IllegalArgumentException(table + ": a reason goes with INCONCLUSIVE and only with it");
        }
        if (verdict == TableVerdict.IDENTICAL && !differences.isEmpty()) {
            throw new IllegalArgumentException(table + ": identical with differences");
        }
    }

    public static TableResult inconclusive(TableRef table, InconclusiveReason reason, String detail,
                                           long rows, int chunks, List<RowDifference> found, List<String> notes,
                                           Duration took) {
        return new TableResult(table, TableVerdict.INCONCLUSIVE, reason, detail, rows, chunks, found, notes, took);
    }

    /** One line: "shop.orders: identical (20,000 rows, 12 chunks)". */
    public String summary() {
        String counts = String.format("%,d rows, %d chunk%s", rowsCompared, chunks, chunks == 1 ? "" : "s");
        return switch (verdict) {
            case IDENTICAL -> table + ": identical (" + counts + ")";
            case DIFFERS -> table + ": " + differences.size() + " row" + (differences.size() == 1 ? "" : "s")
                    + " differ" + (differences.size() == 1 ? "s" : "") + " (" + counts + ")";
            case INCONCLUSIVE -> table + ": inconclusive, " + reason.name().toLowerCase().replace('_', ' ')
                    + ": " + detail + (differences.isEmpty() ? "" : " (" + differences.size() + " differing row(s) found so far)");
        };
    }
}
