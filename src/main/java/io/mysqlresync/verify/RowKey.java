package io.mysqlresync.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * A row's key values in key column order, as canonical text (see the adapter: binary values as
 * 0x-hex), so that equal keys compare equal in Java the way they do in the server. As a
 * chunk's end it may hold fewer values than the key has columns: a prefix, which stands for
 * every key that starts with it (chunks cut by value cut along the first column only).
 */
public record RowKey(List<String> values) {

    public RowKey {
        values = List.copyOf(values);
    }

    public static RowKey of(String... values) {
        return new RowKey(List.of(values));
    }

    /** "id=547" or "(order_id, line)=(12, 3)": how the DBA would write it in a WHERE clause. */
    public String display(List<String> keyColumns) {
        if (values.size() == 1 && keyColumns.size() == 1) {
            return keyColumns.get(0) + "=" + values.get(0);
        }
        return "(" + String.join(", ", keyColumns) + ")=(" + String.join(", ", values) + ")";
    }

    @Override
    public String toString() {
        return values.size() == 1 ? values.get(0) : new ArrayList<>(values).toString();
    }
}
