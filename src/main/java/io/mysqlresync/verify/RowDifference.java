package io.mysqlresync.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row that differs between the nodes and stayed so after each node applied the other's
 * position: its key, and per node its column values, or null when the row is absent there.
 * Values longer than {@link #MAX_VALUE_CHARS} are cut for display, so a BLOB cannot swamp a message.
 */
public record RowDifference(TableRef table, List<String> keyColumns, RowKey key, List<String> columns,
                            Map<String, List<String>> valuesByNode) {

    public static final int MAX_VALUE_CHARS = 120;
    private static final java.util.regex.Pattern CUT =
            java.util.regex.Pattern.compile("(?s).{" + MAX_VALUE_CHARS + "}…\\(\\d+ chars\\)");

    public RowDifference {
        keyColumns = List.copyOf(keyColumns);
        columns = List.copyOf(columns);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        valuesByNode.forEach((node, values) -> copy.put(node, values == null ? null
                : Collections.unmodifiableList(new ArrayList<>(values.stream().map(RowDifference::truncate).toList()))));
        valuesByNode = Collections.unmodifiableMap(copy);
    }

    /** The nodes where this row does not exist. */
    public List<String> absentOn() {
        return valuesByNode.entrySet().stream().filter(e -> e.getValue() == null).map(Map.Entry::getKey).toList();
    }

    /** "shop.orders id=547: node1 has it, node2 does not" or "... status: node1 'paid', node2 'new'". */
    public String describe() {
        StringBuilder out = new StringBuilder(table + " " + key.display(keyColumns) + ": ");
        List<String> absent = absentOn();
        if (!absent.isEmpty()) {
            List<String> present = valuesByNode.keySet().stream().filter(n -> !absent.contains(n)).toList();
            return out.append(present.isEmpty() ? "absent everywhere" : String.join(", ", present) + " has it, "
                    + String.join(", ", absent) + " does not").toString();
        }
        List<List<String>> all = new ArrayList<>(valuesByNode.values());
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            int col = i;
            if (all.stream().map(v -> v.get(col)).distinct().count() > 1) {
                StringBuilder p = new StringBuilder(columns.get(i));
                valuesByNode.forEach((node, v) -> p.append(' ').append(node).append(' ').append(quote(v.get(col))));
                parts.add(p.toString());
            }
        }
        return out.append(String.join("; ", parts)).toString();
    }

    static String truncate(String value) {
        // Idempotent: a value read back from the state database was cut already.
        if (value == null || value.length() <= MAX_VALUE_CHARS || CUT.matcher(value).matches()) {
            return value;
        }
        return value.substring(0, MAX_VALUE_CHARS) + "…(" + value.length() + " chars)";
    }

    private static String quote(String v) {
        return v == null ? "NULL" : "'" + v + "'";
    }
}
