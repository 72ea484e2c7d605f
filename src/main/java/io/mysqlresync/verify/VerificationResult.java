package io.mysqlresync.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One verification of a cluster: per-table verdicts and the verdict for the whole pair. */
public record VerificationResult(String cluster, List<String> nodes, Instant started, Duration took,
                                 List<TableResult> tables, List<String> notes) {

    public VerificationResult {
        nodes = List.copyOf(nodes);
        tables = List.copyOf(tables);
        notes = List.copyOf(notes);
    }

    /**
     * DIFFERS when any table has rows that differ (that is definite, whatever else is unknown);
     * else INCONCLUSIVE when any table could not be settled or nothing was compared; else IDENTICAL.
     */
    public TableVerdict verdict() {
        if (tables.stream().anyMatch(t -> t.verdict() == TableVerdict.DIFFERS
                || !t.differences().isEmpty())) {
            return TableVerdict.DIFFERS;
        }
        if (tables.isEmpty() || tables.stream().anyMatch(t -> t.verdict() == TableVerdict.INCONCLUSIVE)) {
            return TableVerdict.INCONCLUSIVE;
        }
        return TableVerdict.IDENTICAL;
    }

    public List<RowDifference> differences() {
        return tables.stream().flatMap(t -> t.differences().stream()).toList();
    }

    public long rowsCompared() {
        return tables.stream().mapToLong(TableResult::rowsCompared).sum();
    }

    /** "14 tables (2,100,000 rows) identical", "1 row differs in shop.orders (id=547)", ... */
    public String headline() {
        List<RowDifference> diffs = differences();
        return switch (verdict()) {
            case IDENTICAL -> String.format("%d table%s (%,d rows) identical", tables.size(),
                    tables.size() == 1 ? "" : "s", rowsCompared());
            case DIFFERS -> {
                List<String> where = tables.stream().filter(t -> !t.differences().isEmpty())
                        .map(t -> t.table().toString()).toList();
                String first = diffs.isEmpty() ? "" : " (" + diffs.get(0).key().display(diffs.get(0).keyColumns())
                        + (diffs.size() > 1 ? ", ..." : "") + ")";
                yield diffs.isEmpty() ? "rows differ in " + String.join(", ", tables.stream()
                        .filter(t -> t.verdict() == TableVerdict.DIFFERS).map(t -> t.table().toString()).toList())
                        : diffs.size() + " row" + (diffs.size() == 1 ? " differs" : "s differ") + " in "
                        + String.join(", ", where) + first;
            }
            case INCONCLUSIVE -> tables.isEmpty() ? "nothing compared: no table matched"
                    : "not verified: " + tables.stream().filter(t -> t.verdict() == TableVerdict.INCONCLUSIVE).count()
                    + " of " + tables.size() + " tables inconclusive";
        };
    }
}
