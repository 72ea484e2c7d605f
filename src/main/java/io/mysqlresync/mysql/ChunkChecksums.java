package io.mysqlresync.mysql;

import io.mysqlresync.verify.Chunk;
import io.mysqlresync.verify.RowKey;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of a verification, built from catalog names only (never from user text), with every
 * value bound as a parameter. Range predicates are spelled out column by column, as
 * pt-table-checksum does, because row constructors like {@code (a,b) > (?,?)} do not use the
 * index on every server version.
 */
final class ChunkChecksums {

    /** A statement and its parameters, in order: key values as canonical text, bound by column type. */
    record Query(String sql, List<KeyParam> params) {
    }

    /** One bound key value and the catalog type of its column (DATA_TYPE), which decides how it is bound. */
    record KeyParam(String value, String dataType) {
    }

    private ChunkChecksums() {
    }

    /** `name` with inner backticks doubled: how MySQL and MariaDB quote an identifier. */
    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    static String table(CatalogTable t) {
        return quote(t.shape().table().schema()) + "." + quote(t.shape().table().table());
    }

    private static String keyList(CatalogTable t) {
        return t.shape().keyColumns().stream().map(ChunkChecksums::quote).collect(Collectors.joining(", "));
    }

    private static String from(CatalogTable t) {
        // FORCE INDEX: the optimizer sometimes prefers a full scan for a wide range; a chunk must read only its range.
        return " FROM " + table(t) + (t.indexName() == null ? "" : " FORCE INDEX (" + quote(t.indexName()) + ")");
    }

    /**
     * Count, BIT_XOR and SUM of one CRC32 per row. BIT_XOR alone would let two equal rows cancel
     * out (possible only without a key); the SUM does not. CONCAT_WS skips NULLs, so a second
     * field of ISNULL flags tells NULL from '' (see {@link #rowBytes}).
     */
    static Query checksum(CatalogTable t, Chunk chunk) {
        List<KeyParam> params = new ArrayList<>();
        String where = range(t, chunk, params);
        String sql = "SELECT COUNT(*), COALESCE(BIT_XOR(crc), 0), COALESCE(SUM(crc), 0) FROM (SELECT " + rowCrc(t)
                + " AS crc" + from(t) + where + ") AS chunk";
        return new Query("/* mysql-resync verify */ " + sql, params);
    }

    private static String rowCrc(CatalogTable t) {
        return "CRC32(" + rowBytes(t) + ")";
    }

    /**
     * One byte string per row. Each value that may contain the separator is preceded by its
     * length in bytes: with the separator alone, ('a#', 'b') and ('a', '#b') would both read
     * "a###b" and drift would look identical. Numbers and dates never contain it, so they go
     * without, and the string still reads one way only: a length-prefixed value is taken by its
     * length, any other up to the next '#', and the ISNULL flags at the end say which values
     * CONCAT_WS skipped (only columns that may be NULL have one; the others are never skipped).
     * Text columns are cast to bytes only when their collations differ, as joining them would
     * then fail with "Illegal mix of collations"; each cast and flag is work on every row.
     */
    private static String rowBytes(CatalogTable t) {
        String values = t.shape().columns().stream()
                .map(c -> (CatalogTable.neverHoldsSeparator(t.type(c)) ? "" : "LENGTH(" + quote(c) + "), ") + bytes(t, c))
                .collect(Collectors.joining(", "));
        List<String> nullable = t.shape().columns().stream().filter(t::mayBeNull).toList();
        String nulls = nullable.isEmpty() ? ""
                : ", CONCAT(" + nullable.stream().map(c -> "ISNULL(" + quote(c) + ")").collect(Collectors.joining(", ")) + ")";
        return "CONCAT_WS('#', " + values + nulls + ")";
    }

    private static String bytes(CatalogTable t, String column) {
        boolean text = !CatalogTable.neverHoldsSeparator(t.type(column)) && !CatalogTable.isBinary(t.type(column));
        return text && !t.oneCollation() ? "CAST(" + quote(column) + " AS BINARY)" : quote(column);
    }

    /**
     * Each row's key and a digest of all its columns, in key order: the CRC32 of the checksum and
     * an MD5 besides, so two different rows almost surely differ here even when their CRC32s collide.
     */
    static Query digests(CatalogTable t, Chunk chunk) {
        List<KeyParam> params = new ArrayList<>();
        String where = range(t, chunk, params);
        return new Query("/* mysql-resync verify */ SELECT " + keyList(t) + ", " + digest(t) + from(t) + where
                + " ORDER BY " + keyList(t), params);
    }

    static Query digestsByKey(CatalogTable t, List<RowKey> keys) {
        return byKey(t, keyList(t) + ", " + digest(t), keys);
    }

    private static String digest(CatalogTable t) {
        return "MD5(" + rowBytes(t) + ")";
    }

    /** Keep every {@code nth} row of the result of {@link #boundaries}: the CLIENT numbering's step, else 1. */
    static long keepEvery(Numbering numbering, long step) {
        return numbering == Numbering.CLIENT ? step : 1;
    }

    /** How a server numbers the keys of a chunk for {@link #boundaries}. */
    enum Numbering {
        /**
         * MariaDB: a session variable counted in the WHERE of one index scan in key order, after
         * the range test; the scan stops at the last end. As cheap as one OFFSET scan (a window
         * function materializes and sorts the keys first: five times the time, measured).
         */
        COUNTER,
        /** MySQL 8.0: ROW_NUMBER() over the chunk's keys (user variables in expressions are deprecated there). */
        WINDOW,
        /** Older servers: every key is sent, {@link VerifySession} keeps every step-th. */
        CLIENT
    }

    /**
     * Every {@code step}-th key of the next {@code step * count} rows after {@code after}: the ends
     * of a chunk's parts, read in one statement. Were the numbering ever off, the ends would
     * still be keys of the range in key order: the parts uneven, the comparison as exact.
     */
    static Query boundaries(CatalogTable t, RowKey after, RowKey upTo, long step, int count, Numbering numbering) {
        List<KeyParam> params = new ArrayList<>();
        String where = range(t, new Chunk(0, after, upTo), params);
        switch (numbering) {
            case COUNTER -> {
                // The range test first: AND evaluates left to right, so only rows in range are counted.
                String counted = (where.isEmpty() ? " WHERE " : where + " AND ")
                        + "(@mysql_resync_n := @mysql_resync_n + 1) % " + step + " = 0";
                return new Query("/* mysql-resync verify */ SELECT " + keyList(t) + " FROM (SELECT @mysql_resync_n := 0)"
                        + " AS mysql_resync_init, " + table(t) + (t.indexName() == null ? "" : " FORCE INDEX ("
                        + quote(t.indexName()) + ")") + counted + " ORDER BY " + keyList(t) + " LIMIT " + count, params);
            }
            case WINDOW -> {
                String keys = "SELECT " + keyList(t) + from(t) + where + " ORDER BY " + keyList(t) + " LIMIT " + (step * count);
                return new Query("/* mysql-resync verify */ SELECT " + keyList(t) + " FROM (SELECT " + keyList(t)
                        + ", ROW_NUMBER() OVER (ORDER BY " + keyList(t) + ") AS mysql_resync_rn FROM (" + keys
                        + ") AS mysql_resync_keys) AS mysql_resync_numbered WHERE mysql_resync_rn % " + step
                        + " = 0 ORDER BY mysql_resync_rn", params);
            }
            default -> {
                return new Query("/* mysql-resync verify */ SELECT " + keyList(t) + from(t) + where + " ORDER BY "
                        + keyList(t) + " LIMIT " + (step * count), params);
            }
        }
    }

    /**
     * Count and checksum of each part of a chunk, in one statement: the part a row belongs to is
     * found by comparing its key with the cuts, a balanced tree of CASEs (six comparisons a row
     * for 64 parts). Parts without rows are absent from the result. ORDER BY NULL: MariaDB
     * sorts a GROUP BY's result unless told not to, and the filesort it plans for that made a
     * chunk's statement take 32-95 ms instead of 33 ms (40,000 rows of shop.orders, measured).
     *
     * <p>The checksum is the BIT_XOR of each row's CRC32 times an odd 32-bit constant: one
     * evaluation of the row's CRC32 (a second aggregate over the same expression, as in
     * {@link #checksum}, evaluates it twice: twice the work of a row). A plain BIT_XOR of CRC32s
     * would miss two rows that swap values of the same length: CRC32 is affine, so the two
     * changes cancel out; the product is not, so they do not. Rows here have distinct keys, so
     * no two equal rows cancel either.
     */
    static Query partChecksums(CatalogTable t, Chunk chunk, List<RowKey> cuts) {
        List<KeyParam> params = new ArrayList<>();
        String part = part(t, cuts, 0, cuts.size(), params);
        String where = range(t, chunk, params);
        String sql = "SELECT " + part + " AS mysql_resync_part, COUNT(*), BIT_XOR(" + rowCrc(t) + " * " + SPREAD + ")"
                + from(t) + where + " GROUP BY mysql_resync_part ORDER BY NULL";
        return new Query("/* mysql-resync verify */ " + sql, params);
    }

    /**
     * {@link #partChecksums} for a chunk cut by value ({@link io.mysqlresync.verify.EvenParts}):
     * each row's bucket is its first key column DIV the step, one division instead of the CASE
     * tree. No subtraction: on an UNSIGNED column a negative difference is an error, not a number.
     * The caller folds the buckets into parts.
     */
    static Query evenPartChecksums(CatalogTable t, Chunk chunk, long step) {
        List<KeyParam> params = new ArrayList<>();
        params.add(new KeyParam(Long.toString(step), "bigint"));
        String where = range(t, chunk, params);
        String sql = "SELECT " + quote(t.shape().keyColumns().get(0)) + " DIV ? AS mysql_resync_part, COUNT(*), BIT_XOR("
                + rowCrc(t) + " * " + SPREAD + ")" + from(t) + where + " GROUP BY mysql_resync_part ORDER BY NULL";
        return new Query("/* mysql-resync verify */ " + sql, params);
    }

    /**
     * The smallest and largest value of the key's first column above {@code after} (all of them
     * when it is negative: the column may be UNSIGNED, so no negative is ever bound): two probes
     * of the index, not a scan.
     */
    static Query keySpan(CatalogTable t, long after) {
        String first = quote(t.shape().keyColumns().get(0));
        List<KeyParam> params = after < 0 ? List.of() : List.of(new KeyParam(Long.toString(after), "bigint"));
        return new Query("/* mysql-resync verify */ SELECT MIN(" + first + "), MAX(" + first + ")" + from(t)
                + (after < 0 ? "" : " WHERE " + first + " > ?"), params);
    }

    /** Knuth's multiplicative hashing constant: odd, so the product keeps every bit of the CRC32. */
    static final long SPREAD = 2654435761L;

    /** Parts {@code lo..hi}, cut {@code i} ending part {@code i}. */
    private static String part(CatalogTable t, List<RowKey> cuts, int lo, int hi, List<KeyParam> params) {
        if (lo == hi) {
            return Integer.toString(lo);
        }
        int mid = (lo + hi) / 2;
        String atMost = atMost(t, cuts.get(mid), params);
        String left = part(t, cuts, lo, mid, params);
        String right = part(t, cuts, mid + 1, hi, params);
        return "CASE WHEN " + atMost + " THEN " + left + " ELSE " + right + " END";
    }

    /** The rows with these keys, every column. */
    static Query rowsByKey(CatalogTable t, List<RowKey> keys) {
        return byKey(t, columnList(t), keys);
    }

    private static Query byKey(CatalogTable t, String select, List<RowKey> keys) {
        List<KeyParam> params = new ArrayList<>();
        List<String> keyColumns = t.shape().keyColumns();
        String where;
        if (keyColumns.size() == 1) {
            where = quote(keyColumns.get(0)) + " IN (" + String.join(", ", java.util.Collections.nCopies(keys.size(), "?")) + ")";
            for (RowKey k : keys) {
                params.add(new KeyParam(k.values().get(0), t.type(keyColumns.get(0))));
            }
        } else {
            List<String> terms = new ArrayList<>();
            for (RowKey k : keys) {
                List<String> eq = new ArrayList<>();
                for (int i = 0; i < keyColumns.size(); i++) {
                    eq.add(quote(keyColumns.get(i)) + " = ?");
                    params.add(new KeyParam(k.values().get(i), t.type(keyColumns.get(i))));
                }
                terms.add("(" + String.join(" AND ", eq) + ")");
            }
            where = String.join(" OR ", terms);
        }
        return new Query("/* mysql-resync verify */ SELECT " + select + " FROM " + table(t) + " WHERE " + where
                + " ORDER BY " + keyList(t), params);
    }

    private static String columnList(CatalogTable t) {
        return t.shape().columns().stream().map(ChunkChecksums::quote).collect(Collectors.joining(", "));
    }

    private static String range(CatalogTable t, Chunk chunk, List<KeyParam> params) {
        List<String> parts = new ArrayList<>();
        if (chunk.after() != null) {
            parts.add(greaterThan(t, chunk.after(), params));
        }
        if (chunk.upTo() != null) {
            parts.add(atMost(t, chunk.upTo(), params));
        }
        return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
    }

    /** (k1 > ?) OR (k1 = ? AND k2 > ?) OR ... */
    static String greaterThan(CatalogTable t, RowKey key, List<KeyParam> params) {
        return lexicographic(t, key, params, ">", ">");
    }

    /** (k1 < ?) OR (k1 = ? AND k2 < ?) OR ... OR (k1 = ? AND ... AND kn <= ?) */
    static String atMost(CatalogTable t, RowKey key, List<KeyParam> params) {
        return lexicographic(t, key, params, "<", "<=");
    }

    /** A key of fewer values than the key has columns is a prefix: the comparison stops at its last value. */
    private static String lexicographic(CatalogTable t, RowKey key, List<KeyParam> params, String op, String lastOp) {
        List<String> cols = t.shape().keyColumns().subList(0, key.values().size());
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            List<String> term = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                term.add(quote(cols.get(j)) + " = ?");
                params.add(new KeyParam(key.values().get(j), t.type(cols.get(j))));
            }
            term.add(quote(cols.get(i)) + " " + (i == cols.size() - 1 ? lastOp : op) + " ?");
            params.add(new KeyParam(key.values().get(i), t.type(cols.get(i))));
            terms.add(String.join(" AND ", term));
        }
        return terms.size() == 1 ? terms.get(0) : "((" + String.join(") OR (", terms) + "))";
    }
}
