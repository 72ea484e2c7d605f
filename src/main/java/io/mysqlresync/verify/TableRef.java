package io.mysqlresync.verify;

/** A table as the catalog spells it: {@code schema.table}. */
public record TableRef(String schema, String table) implements Comparable<TableRef> {

    @Override
    public int compareTo(TableRef o) {
        int c = schema.compareTo(o.schema);
        return c != 0 ? c : table.compareTo(o.table);
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
