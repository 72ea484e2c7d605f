package io.mysqlresync.verify;

/**
 * A key range: rows with key greater than {@code after} and at most {@code upTo}. A null
 * {@code after} starts at the first row, a null {@code upTo} runs to the last, so the first and
 * last chunks also catch rows that exist only on the node the boundaries were not read from.
 * A keyless table has one chunk with both null: the whole table.
 */
public record Chunk(int index, RowKey after, RowKey upTo) {

    public static Chunk whole() {
        return new Chunk(0, null, null);
    }

    public boolean isLast() {
        return upTo == null;
    }

    @Override
    public String toString() {
        return "chunk " + index + " (" + (after == null ? "start" : "after " + after) + " .. "
                + (upTo == null ? "end" : "up to " + upTo) + ")";
    }
}
