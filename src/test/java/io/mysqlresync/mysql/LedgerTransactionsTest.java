package io.mysqlresync.mysql;

import io.mysqlresync.ledger.AtRiskTransaction;
import io.mysqlresync.ledger.GtidGap;
import io.mysqlresync.ledger.TableRows;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SHOW BINLOG EVENTS rows (Event_type, Info) as MariaDB 10.11 prints them; the Info texts come
 * from the events' pack_info in sql/log_event_server.cc: Gtid_log_event "BEGIN GTID %u-%u-%llu",
 * Table_map_log_event "table_id: %llu (%s.%s)", Rows_log_event "table_id: %llu flags: STMT_END_F",
 * Xid_log_event "COMMIT /* xid=%llu *&#47;".
 */
class LedgerTransactionsTest {

    @Test
    void onlyTheGapsTransactionsAreCollectedWithTheirTables() {
        LedgerTransactions t = new LedgerTransactions(GtidGap.mariadb(1, 1, "1-1-500", "1-1-501"));
        String[][] rows = {
                {"Gtid", "BEGIN GTID 1-1-500"}, {"Table_map", "table_id: 33 (demo.items)"},
                {"Write_rows_v1", "table_id: 33 flags: STMT_END_F"}, {"Xid", "COMMIT /* xid=40 */"},
                {"Gtid", "BEGIN GTID 2-2-77"}, {"Table_map", "table_id: 33 (demo.items)"},
                {"Write_rows_v1", "table_id: 33 flags: STMT_END_F"}, {"Xid", "COMMIT /* xid=41 */"},
                {"Gtid", "BEGIN GTID 1-1-501"}, {"Annotate_rows", "INSERT INTO shop.orders ..."},
                {"Table_map", "table_id: 35 (shop.orders)"}, {"Update_rows_v1", "table_id: 35"},
                {"Table_map", "table_id: 36 (shop.lines)"}, {"Delete_rows_v1", "table_id: 36 flags: STMT_END_F"},
                {"Xid", "COMMIT /* xid=42 */"},
        };
        for (String[] r : rows) t.showEventsRow(r[0], r[1]);
        assertTrue(t.complete());
        List<AtRiskTransaction> read = t.transactions();
        assertEquals(1, read.size());
        assertEquals("1-1-501", read.get(0).id());
        assertEquals(List.of("shop.orders", "shop.lines"), read.get(0).tables().stream().map(TableRows::table).toList());
        assertEquals(TableRows.UNKNOWN, read.get(0).rows(), "SHOW ... EVENTS does not count rows");
        assertFalse(t.sawStatements());
    }

    /**
     * After its restart the origin reuses the lost numbers within the same second: binlog times
     * cannot tell the new transactions from the lost ones, their order can (the holder had gone
     * on to 1-1-504, a new one, so the gap reaches it).
     */
    @Test
    void givenTheOriginsReusedNumbersInTheRestartsOwnSecond_theFirstNumberThatDoesNotGrowEndsTheRead() {
        java.time.Instant restart = java.time.Instant.parse("2026-11-30T18:42:07.600Z");
        LedgerTransactions t = new LedgerTransactions(GtidGap.mariadb(1, 1, "1-1-500", "1-1-504"), restart);
        long[][] events = {{501, -2}, {502, -1}, {503, 0}, {501, 0}, {504, 0}}; // seq, seconds from the restart's
        for (long[] e : events) {
            t.gtid("1-1", e[0], java.time.Instant.parse("2026-11-30T18:42:07Z").plusSeconds(e[1]));
            t.table("demo.items", List.of("id"));
            t.rows("demo.items", 1, List.of(List.of(Long.toString(900_000_000 + e[0] * 10 + e[1] + 2))));
            t.commit();
        }
        assertEquals(List.of("1-1-501", "1-1-502", "1-1-503"), t.transactions().stream().map(AtRiskTransaction::id).toList());
        assertTrue(t.passedBefore());
    }

    @Test
    void statementBasedTransactionsAreFlaggedBecauseTheyCarryNoKeys() {
        LedgerTransactions t = new LedgerTransactions(GtidGap.mariadb(1, 1, "1-1-500", "1-1-501"));
        t.showEventsRow("Gtid", "BEGIN GTID 1-1-501");
        t.showEventsRow("Query", "UPDATE shop.orders SET state = 'paid' WHERE id < 10");
        t.showEventsRow("Query", "COMMIT");
        assertTrue(t.complete());
        assertTrue(t.sawStatements());
    }

    @Test
    void aTornTransactionIsNotCountedAsRead() {
        LedgerTransactions t = new LedgerTransactions(GtidGap.mariadb(1, 1, "1-1-500", "1-1-501"));
        t.showEventsRow("Gtid", "BEGIN GTID 1-1-501");
        t.showEventsRow("Table_map", "table_id: 33 (demo.items)");
        t.abandon();
        assertTrue(t.transactions().isEmpty());
    }
}
