package io.mysqlresync.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One row as read from one node: its key and every column's value as canonical text (null stays null). */
public record Row(RowKey key, List<String> values) {

    public Row {
        // List.copyOf refuses nulls, and SQL NULL is a value here.
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }
}
