package io.mysqlresync.repair;

import io.mysqlresync.verify.TableRef;

import java.util.List;

/**
 * One table of a repair plan: the source of truth the approver chose (null until chosen), the
 * bot's suggestion (null when it has none) and the statements on the other node.
 */
public record TableRepair(TableRef table, String source, String target, SourceSuggestion suggestion,
                          int rowsDiffering, List<RowFix> fixes) {

    public TableRepair {
        fixes = List.copyOf(fixes);
    }

    public boolean chosen() {
        return source != null;
    }

    public long count(RowFix.Kind kind) {
        return fixes.stream().filter(f -> f.kind() == kind).count();
    }

    /** "node2 ends with node1's rows (2 inserted, 1 deleted, 3 updated on node2); node1 is not changed". */
    public String endsWith() {
        if (!chosen()) {
            return rowsDiffering + " row" + (rowsDiffering == 1 ? "" : "s") + " differ; choose the source of truth";
        }
        return target + " ends with " + source + "'s rows (" + count(RowFix.Kind.INSERT) + " inserted, "
                + count(RowFix.Kind.DELETE) + " deleted, " + count(RowFix.Kind.UPDATE) + " updated on " + target
                + "); " + source + " is not changed";
    }
}
