package io.mysqlresync.repair;

import io.mysqlresync.replication.ServerVersion;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.TableRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns a verification's differing rows into statements on the drifted node. Table and column
 * names come from the verification, which read them from the catalog; nothing typed in a chat
 * reaches the SQL except a node name, which must be one of the pair's.
 */
public final class RepairPlanner {

    /** Above this, a row-by-row repair is the wrong tool: rebuild the node. */
    public static final long DEFAULT_MAX_ROWS = 10_000;

    private final long maxRows;

    public long maxRows() {
        return maxRows;
    }

    public RepairPlanner(long maxRows) {
        if (maxRows < 1) throw new IllegalArgumentException("repair.maxRows must be at least 1, not " + maxRows);
        this.maxRows = maxRows;
    }

    /**
     * @param sources     the approver's choice per table (a table without one waits for it)
     * @param suggestions the bot's suggestion per table, shown beside the choice
     * @param types       DATA_TYPE per column per table, for the literals shown; missing: quoted text
     * @param version     the drifted node's server, for the rebuild procedure
     */
    public RepairPlan plan(String id, String cluster, String verificationId, Instant now, List<String> nodes,
                           List<RowDifference> differences, Map<TableRef, String> sources,
                           Map<TableRef, SourceSuggestion> suggestions, Map<TableRef, Map<String, String>> types,
                           ServerVersion version) {
        if (nodes.size() != 2) {
            throw new IllegalArgumentException("a repair is between the two nodes of a pair, not " + nodes);
        }
        sources.forEach((t, n) -> {
            if (n != null && !nodes.contains(n)) {
                throw new IllegalArgumentException("'" + n + "' is not a node of " + cluster + " (nodes: "
                        + String.join(", ", nodes) + ")");
            }
        });
        Map<TableRef, List<RowDifference>> byTable = differences.stream()
                .collect(Collectors.groupingBy(RowDifference::table, LinkedHashMap::new, Collectors.toList()));
        if (differences.size() > maxRows) {
            String target = sources.values().stream().filter(Objects::nonNull).findFirst()
                    .map(s -> other(nodes, s)).orElse("the drifted node");
            String source = target.equals("the drifted node") ? "the node that is right" : other(nodes, target);
            List<TableRepair> tables = new ArrayList<>();
            byTable.forEach((t, rows) -> tables.add(new TableRepair(t, null, null, suggestions.get(t), rows.size(), List.of())));
            return new RepairPlan(id, cluster, verificationId, now, nodes, tables, maxRows,
                    String.format("%,d rows differ, more than the %,d a repair may change (repair.maxRows):"
                            + " rebuild this node instead", differences.size(), maxRows),
                    RebuildProcedure.forServer(version, source, target));
        }
        List<TableRepair> tables = new ArrayList<>();
        byTable.forEach((t, rows) -> {
            String source = sources.get(t);
            if (source == null) {
                tables.add(new TableRepair(t, null, null, suggestions.get(t), rows.size(), List.of()));
                return;
            }
            String target = other(nodes, source);
            Map<String, String> columnTypes = types.getOrDefault(t, Map.of());
            List<RowFix> fixes = new ArrayList<>();
            for (RowDifference d : rows) {
                fixes.add(fix(d, source, target, columnTypes));
            }
            tables.add(new TableRepair(t, source, target, suggestions.get(t), rows.size(), fixes));
        });
        return new RepairPlan(id, cluster, verificationId, now, nodes, tables, maxRows, null, List.of());
    }

    static String other(List<String> nodes, String node) {
        return nodes.get(0).equals(node) ? nodes.get(1) : nodes.get(0);
    }

    static RowFix fix(RowDifference d, String source, String target, Map<String, String> types) {
        List<String> want = d.valuesByNode().get(source);
        List<String> have = d.valuesByNode().get(target);
        String table = SqlText.identifier(d.table().schema()) + "." + SqlText.identifier(d.table().table());
        String where = SqlText.where(d.keyColumns(), d.key().values(), types);
        if (want == null && have == null) {
            throw new IllegalArgumentException(d.table() + " " + d.key().display(d.keyColumns()) + " is absent on both nodes");
        }
        if (want == null) {
            return new RowFix(d.table(), RowFix.Kind.DELETE, source, target, d.keyColumns(), d.key(), d.columns(),
                    List.of(), null, have, "DELETE FROM " + table + " WHERE " + where);
        }
        if (have == null) {
            List<String> literals = new ArrayList<>();
            for (int i = 0; i < d.columns().size(); i++) {
                literals.add(SqlText.literal(want.get(i), types.get(d.columns().get(i))));
            }
            return new RowFix(d.table(), RowFix.Kind.INSERT, source, target, d.keyColumns(), d.key(), d.columns(),
                    d.columns(), want, null, "INSERT INTO " + table + " (" + d.columns().stream().map(SqlText::identifier)
                    .collect(Collectors.joining(", ")) + ") VALUES (" + String.join(", ", literals) + ")");
        }
        List<String> changed = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < d.columns().size(); i++) {
            if (!Objects.equals(want.get(i), have.get(i))) {
                String c = d.columns().get(i);
                changed.add(c);
                sets.add(SqlText.identifier(c) + " = " + SqlText.literal(want.get(i), types.get(c)));
            }
        }
        return new RowFix(d.table(), RowFix.Kind.UPDATE, source, target, d.keyColumns(), d.key(), d.columns(),
                changed, want, have, "UPDATE " + table + " SET " + String.join(", ", sets) + " WHERE " + where);
    }
}
