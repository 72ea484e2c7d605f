package io.mysqlresync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlresync.config.StateSettings;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.verify.InconclusiveReason;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.RowKey;
import io.mysqlresync.verify.TableRef;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationLog;
import io.mysqlresync.verify.VerificationResult;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Verifications kept in each kind of state database (V4__verifications.sql on H2 and MariaDB). */
abstract class VerificationLogContract {

    private static final Instant T0 = Instant.parse("2026-11-30T03:00:00.000000001Z");
    private static final TableRef ORDERS = new TableRef("shop", "orders");

    StateDatabase db;
    JdbcVerificationLog log;

    abstract StateSettings settings();

    @BeforeEach
    void open() throws Exception {
        db = StateDatabase.open(settings());
        log = new JdbcVerificationLog(db.dataSource());
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("resync_audit", "resync_verification_row", "resync_verification")) {
                s.executeUpdate("DELETE FROM " + table);
            }
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static VerificationResult differing(Instant at) {
        char[] blob = new char[5000];
        Arrays.fill(blob, 'b');
        Map<String, List<String>> lost = new LinkedHashMap<>();
        lost.put("node1", List.of("547", "paid", new String(blob)));
        lost.put("node2", null);
        RowDifference d = new RowDifference(ORDERS, List.of("id"), RowKey.of("547"), List.of("id", "status", "note"), lost);
        TableResult orders = new TableResult(ORDERS, TableVerdict.DIFFERS, null, null, 20_000, 5, List.of(d), List.of(),
                Duration.ofSeconds(1));
        TableResult lines = TableResult.inconclusive(new TableRef("shop", "lines"), InconclusiveReason.MISSING_PRIVILEGE,
                "GRANT SELECT ON `shop`.* TO 'resync'@'%';", 0, 0, List.of(), List.of(), Duration.ZERO);
        return new VerificationResult("shop", List.of("node1", "node2"), at, Duration.ofMillis(1500),
                List.of(orders, lines), List.of());
    }

    @Test
    void aVerificationAndItsRowsReadBack_andTheAuditTrailSaysWhoAsked() {
        log.record("v-1", "U123", differing(T0));

        List<VerificationLog.Stored> recent = log.recent("shop", 10);
        assertEquals(1, recent.size());
        VerificationLog.Stored v = recent.get(0);
        assertEquals(T0, v.started());
        assertEquals(TableVerdict.DIFFERS, v.verdict());
        assertEquals("1 row differs in shop.orders (id=547)", v.headline());
        assertEquals(20_000, v.rowsCompared());
        assertEquals(Duration.ofMillis(1500), v.took());
        assertTrue(v.tables().get(1).contains("GRANT SELECT ON `shop`.*"), v.tables().toString());

        List<RowDifference> rows = log.differences("v-1");
        assertEquals(1, rows.size());
        RowDifference d = rows.get(0);
        assertEquals(RowKey.of("547"), d.key());
        assertNull(d.valuesByNode().get("node2"), "absent on node2 stays absent");
        assertTrue(d.valuesByNode().get("node1").get(2).endsWith("…(5000 chars)"), d.valuesByNode().toString());
        assertEquals(differing(T0).differences().get(0), d, "reading back cuts nothing twice");

        List<AuditEntry> audit = new JdbcResyncStore(db.dataSource()).history("shop", 10);
        assertEquals(1, audit.size());
        assertEquals("verify", audit.get(0).action());
        assertEquals("U123", audit.get(0).actor());
        assertEquals("v-1", audit.get(0).planId());
        assertTrue(audit.get(0).detail().startsWith("differs: 1 row differs"), audit.get(0).detail());
    }

    @Test
    void recentIsNewestFirstAndPerCluster() {
        log.record("v-old", "bot", differing(T0));
        log.record("v-new", "bot", differing(T0.plusSeconds(60)));
        VerificationResult other = new VerificationResult("billing", List.of("a", "b"), T0.plusSeconds(120),
                Duration.ZERO, List.of(), List.of());
        log.record("v-other", "bot", other);
        assertEquals(List.of("v-new", "v-old"), log.recent("shop", 10).stream().map(VerificationLog.Stored::id).toList());
        assertEquals(List.of("v-new"), log.recent("shop", 1).stream().map(VerificationLog.Stored::id).toList());
        assertEquals(TableVerdict.INCONCLUSIVE, log.recent("billing", 1).get(0).verdict());
    }
}
