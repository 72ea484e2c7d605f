package io.mysqlresync.repair;

import io.mysqlresync.verify.RowKey;
import io.mysqlresync.verify.TableRef;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One statement of a repair, on the drifted node, for one row the verification named: the
 * missing row inserted, the extra row deleted by its key, or the differing columns updated.
 *
 * @param columns       every column of the table, as the catalog spells them
 * @param changed       for UPDATE: the columns that differ (only these are set); for INSERT: every column
 * @param sourceValues  the row on the source of truth as the verification saw it (null when absent there)
 * @param targetValues  the row on the drifted node as the verification saw it (null when absent there)
 * @param display       the statement with its values as SQL literals, for people to read; execution
 *                      binds the values read again at execution time, never this text
 */
public record RowFix(TableRef table, Kind kind, String source, String target, List<String> keyColumns, RowKey key,
                     List<String> columns, List<String> changed, List<String> sourceValues,
                     List<String> targetValues, String display) {

    public enum Kind { INSERT, DELETE, UPDATE }

    public RowFix {
        keyColumns = List.copyOf(keyColumns);
        columns = List.copyOf(columns);
        changed = List.copyOf(changed);
        sourceValues = sourceValues == null ? null : Collections.unmodifiableList(new ArrayList<>(sourceValues));
        targetValues = targetValues == null ? null : Collections.unmodifiableList(new ArrayList<>(targetValues));
    }

    /** "shop.orders id=547". */
    public String where() {
        return table + " " + key.display(keyColumns);
    }
}
