package io.mysqlresync.ledger;

import java.util.List;

/**
 * What one at-risk transaction did to one table.
 *
 * @param table      schema.table
 * @param rows       rows changed, or {@link #UNKNOWN} when only SHOW ... EVENTS could be read
 *                   (it lists row events, not rows)
 * @param keyColumns the primary key's columns, empty when unknown
 * @param keys       one primary key value per changed row (each a tuple in keyColumns order), empty when unknown
 */
public record TableRows(String table, long rows, List<String> keyColumns, List<List<String>> keys) {

    public static final long UNKNOWN = -1;

    public TableRows {
        keyColumns = List.copyOf(keyColumns);
        keys = keys.stream().map(List::copyOf).toList();
    }

    public static TableRows countOnly(String table) {
        return new TableRows(table, UNKNOWN, List.of(), List.of());
    }

    public boolean rowsKnown() {
        return rows != UNKNOWN;
    }

    public boolean keysKnown() {
        return !keyColumns.isEmpty() && rowsKnown() && keys.size() == rows;
    }

    /** The same table with {@code more} changes added, as when one transaction touches it twice. */
    TableRows plus(TableRows more) {
        List<List<String>> allKeys = new java.util.ArrayList<>(keys);
        allKeys.addAll(more.keys);
        long total = rowsKnown() && more.rowsKnown() ? rows + more.rows : UNKNOWN;
        return new TableRows(table, total, keyColumns.isEmpty() ? more.keyColumns : keyColumns, allKeys);
    }
}
