package io.mysqlresync.verify;

import java.util.List;

/**
 * A table's columns and the key its chunks are cut along, as the catalog of the first node
 * describes it.
 *
 * @param keyColumns   empty when {@code keyKind} is NONE
 * @param estimatedRows the catalog's estimate (InnoDB's is rough), for progress and ETA only
 */
public record TableShape(TableRef table, List<String> columns, KeyKind keyKind, List<String> keyColumns,
                         long estimatedRows) {

    public TableShape {
        columns = List.copyOf(columns);
        keyColumns = List.copyOf(keyColumns);
        if (keyKind == KeyKind.NONE != keyColumns.isEmpty()) {
            throw new IllegalArgumentException(table + ": key columns " + keyColumns + " do not fit key kind " + keyKind);
        }
    }

    public boolean keyed() {
        return keyKind != KeyKind.NONE;
    }
}
