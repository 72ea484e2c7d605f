package io.mysqlresync.repair;

import java.time.Instant;
import java.util.List;

/**
 * The repair of the rows one verification found different: per table a source of truth and the
 * statements on the other node. Refused (with the rebuild procedure instead) above the row limit,
 * never cut short.
 *
 * @param refusal why the bot will not repair row by row ("rebuild this node instead"); null when it will
 * @param rebuild the rebuild procedure for the flavor, with a refusal
 */
public record RepairPlan(String id, String cluster, String verificationId, Instant createdAt, List<String> nodes,
                         List<TableRepair> tables, long maxRows, String refusal, List<String> rebuild) {

    public RepairPlan {
        nodes = List.copyOf(nodes);
        tables = List.copyOf(tables);
        rebuild = List.copyOf(rebuild);
    }

    public boolean refused() {
        return refusal != null;
    }

    /** Every table has its source of truth and the plan is within the limit. */
    public boolean ready() {
        return !refused() && !tables.isEmpty() && tables.stream().allMatch(TableRepair::chosen);
    }

    public List<RowFix> fixes() {
        return tables.stream().flatMap(t -> t.fixes().stream()).toList();
    }

    public int rows() {
        return tables.stream().mapToInt(TableRepair::rowsDiffering).sum();
    }

    /** "3 rows in shop.orders, shop.items". */
    public String headline() {
        return rows() + " row" + (rows() == 1 ? "" : "s") + " in " + String.join(", ",
                tables.stream().map(t -> t.table().toString()).toList());
    }
}
