package io.mysqlresync.mysql;

import io.mysqlresync.ledger.AtRiskTransaction;
import io.mysqlresync.ledger.GtidGap;
import io.mysqlresync.ledger.TableRows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groups binlog events into the at-risk transactions of one {@link GtidGap}: a GTID event opens
 * a transaction, Table_map and row events fill it, Xid or COMMIT closes it. Fed by SHOW ... EVENTS
 * rows (tables and counts) or by row images over the replication protocol (rows and keys).
 */
final class LedgerTransactions {

    private static final Pattern MARIADB_GTID = Pattern.compile("GTID (\\d+)-(\\d+)-(\\d+)");
    private static final Pattern MYSQL_GTID = Pattern.compile("GTID_NEXT\\s*=\\s*'([0-9a-fA-F-]{36}):(\\d+)'");
    private static final Pattern TABLE_MAP = Pattern.compile("table_id: \\d+ \\(([^)]+)\\)");

    private final GtidGap gap;
    private final Map<Long, AtRiskTransaction> done = new LinkedHashMap<>();
    private String openId;
    private long openSeq;
    private Instant openAt;
    private Map<String, TableRows> openTables;
    private String lastTable;
    private boolean statements;
    private boolean sawStatementTransaction;
    private final Instant before;
    private boolean passedBefore;
    /** The origin's last sequence number read, with {@code before} set: its numbers only grow until they are reused. */
    private long lastOriginSeq = -1;

    LedgerTransactions(GtidGap gap) {
        this(gap, null);
    }

    /**
     * @param before when set, only the origin's transactions committed before it count, and the
     *               first one committed after it ends the read: after a restart the origin
     *               reuses sequence numbers, and the holder's later ones are the new, shared ones
     */
    LedgerTransactions(GtidGap gap, Instant before) {
        this.gap = gap;
        this.before = before;
    }

    /** A GTID event: starts collecting when it is one of the gap's, else ignores until the next. */
    void gtid(String originKey, long seq, Instant at) {
        closeOpen();
        boolean origins = originKey.equalsIgnoreCase(gap.origin());
        // Binlog times are whole seconds: one in the restart's own second counts as old by its
        // time. The order tells then: one origin's sequence numbers grow in the holder's binlog
        // (replicas commit in order), so a number not above the last one read is the first reused.
        if (origins && before != null) {
            if ((at != null && at.getEpochSecond() > before.getEpochSecond()) || (lastOriginSeq >= 0 && seq <= lastOriginSeq)) {
                passedBefore = true;
                return;
            }
            lastOriginSeq = seq;
        }
        if (origins && gap.contains(seq) && !done.containsKey(seq) && !passedBefore) {
            openId = gap.gtid(seq);
            openSeq = seq;
            openAt = at;
            openTables = new LinkedHashMap<>();
            statements = false;
        }
    }

    boolean collecting() {
        return openId != null;
    }

    void table(String table, List<String> keyColumns) {
        if (!collecting()) return;
        lastTable = table;
        openTables.merge(table, new TableRows(table, 0, keyColumns, List.of()), (a, b) -> a);
    }

    /** Rows of one row event on the last mapped table; {@code keys} empty and rows unknown from SHOW ... EVENTS. */
    void rows(String table, long rows, List<List<String>> keys) {
        if (!collecting()) return;
        String t = table != null ? table : lastTable;
        if (t == null) return;
        TableRows before = openTables.getOrDefault(t, new TableRows(t, 0, List.of(), List.of()));
        List<List<String>> allKeys = new ArrayList<>(before.keys());
        allKeys.addAll(keys);
        long total = before.rowsKnown() && rows != TableRows.UNKNOWN ? before.rows() + rows : TableRows.UNKNOWN;
        openTables.put(t, new TableRows(t, total, before.keyColumns(), allKeys));
    }

    /** A statement inside the transaction: statement-based logging, no row images. */
    void statement() {
        if (collecting()) statements = true;
    }

    void commit() {
        closeOpen();
    }

    private void closeOpen() {
        if (openId == null) return;
        List<TableRows> tables = new ArrayList<>(openTables.values());
        if (statements) {
            sawStatementTransaction = true;
            if (tables.isEmpty()) tables.add(TableRows.countOnly("(statements)"));
        }
        done.put(openSeq, new AtRiskTransaction(openId, openAt, tables));
        openId = null;
        openTables = null;
        lastTable = null;
    }

    /** The log ended inside a transaction (a torn file): it is not counted as read. */
    void abandon() {
        openId = null;
        openTables = null;
        lastTable = null;
    }

    boolean complete() {
        return passedBefore || done.size() >= gap.count();
    }

    /** The read reached the origin's transactions from after its restart. */
    boolean passedBefore() {
        return passedBefore;
    }

    boolean sawStatements() {
        return sawStatementTransaction;
    }

    boolean has(long seq) {
        return done.containsKey(seq);
    }

    List<AtRiskTransaction> transactions() {
        closeOpen();
        return done.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    }

    /**
     * One row of SHOW BINLOG EVENTS / SHOW RELAYLOG EVENTS (Event_type, Server_id, Info).
     * Row counts are not in that output: row events are counted as tables touched, rows unknown.
     */
    void showEventsRow(String type, String info) {
        String i = info == null ? "" : info;
        switch (type) {
            case "Gtid" -> {
                Matcher m = MARIADB_GTID.matcher(i);
                Matcher my = MYSQL_GTID.matcher(i);
                if (m.find()) {
                    gtid(m.group(1) + "-" + m.group(2), Long.parseLong(m.group(3)), null);
                } else if (my.find()) {
                    gtid(my.group(1), Long.parseLong(my.group(2)), null);
                } else {
                    commit();
                }
            }
            case "Table_map" -> {
                Matcher m = TABLE_MAP.matcher(i);
                if (m.find()) table(m.group(1), List.of());
            }
            case "Xid" -> commit();
            case "Query" -> {
                String sql = i.trim().toUpperCase(java.util.Locale.ROOT);
                if (sql.equals("COMMIT") || sql.startsWith("COMMIT ") || sql.startsWith("XA COMMIT")) {
                    commit();
                } else if (!sql.equals("BEGIN") && !sql.startsWith("XA START") && !sql.startsWith("XA END")
                        && !sql.startsWith("XA PREPARE")) {
                    statement();
                }
            }
            default -> {
                if (type.contains("_rows") && !type.startsWith("Annotate")) {
                    rows(null, TableRows.UNKNOWN, List.of());
                }
            }
        }
    }
}
