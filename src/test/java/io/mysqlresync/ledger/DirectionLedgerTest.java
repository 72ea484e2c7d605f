package io.mysqlresync.ledger;

import io.mysqlresync.ledger.CouldNotRead.Reason;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectionLedgerTest {

    private static final String CAUSE = "cut from node1's binlog mysql-bin.000253 by the crash";

    private static AtRiskTransaction tx(long seq, long... ids) {
        List<List<String>> keys = java.util.Arrays.stream(ids).mapToObj(id -> List.of(Long.toString(id))).toList();
        return new AtRiskTransaction("1-1-" + seq, Instant.parse("2016-05-17T22:10:00Z"),
                List.of(new TableRows("shop.orders", ids.length, List.of("id"), keys)));
    }

    @Test
    void aCompleteLedgerIsOneLineInTheDbasWords() {
        DirectionLedger d = new DirectionLedger("node1", "node2", CAUSE, "GTIDs 1-1-501 to 1-1-503", 3,
                List.of(tx(501, 547, 548, 549, 550), tx(502, 551, 552, 553, 554), tx(503, 555, 556, 557, 558)),
                List.of(), List.of());
        assertEquals("3 transactions on shop.orders, 12 rows, ids 547–558, may exist on node2 only (" + CAUSE + ")",
                d.summary());
        assertFalse(d.needsFullCheck());
        assertEquals(12, d.keysByTable().get("shop.orders").size());
    }

    @Test
    void withoutKeysTheLineNamesTheMissingGrantAndAFullCheck() {
        AtRiskTransaction counted = new AtRiskTransaction("1-1-501", null, List.of(TableRows.countOnly("shop.orders")));
        CouldNotRead grant = new CouldNotRead(Reason.MISSING_PRIVILEGE, "the rows and primary keys", "node2",
                "reading the row images needs the REPLICATION SLAVE privilege",
                "GRANT REPLICATION SLAVE ON *.* TO 'resync'@'%'");
        DirectionLedger d = new DirectionLedger("node1", "node2", CAUSE, "GTID 1-1-501", 1, List.of(counted),
                List.of(grant), List.of());
        assertEquals(DirectionLedger.Completeness.PARTIAL, d.completeness());
        assertEquals("1 transaction on shop.orders, may exist on node2 only (" + CAUSE + "). Not known: The rows and "
                + "primary keys on node2: reading the row images needs the REPLICATION SLAVE privilege "
                + "(GRANT REPLICATION SLAVE ON *.* TO 'resync'@'%'). A full check follows.", d.summary());
        assertTrue(d.needsFullCheck());
    }

    @Test
    void unreadableSaysWhichAndWhyAndThatAFullCheckFollows() {
        CouldNotRead purged = new CouldNotRead(Reason.LOGS_PURGED, "the transactions", "node2",
                "node2's relay logs no longer hold them (purged after they were applied)", "");
        DirectionLedger d = new DirectionLedger("node1", "node2", CAUSE, "GTIDs 1-1-501 to 1-1-520", 20, List.of(),
                List.of(purged), List.of());
        assertEquals(DirectionLedger.Completeness.UNREADABLE, d.completeness());
        assertEquals("Could not read what may exist on node2 only (" + CAUSE + "): 20 transactions, GTIDs 1-1-501 to "
                + "1-1-520. The transactions on node2: node2's relay logs no longer hold them (purged after they were "
                + "applied). A full check of every replicated table follows.", d.summary());
    }

    @Test
    void theVerifierGetsEachTablesKeysOnceAcrossDirections() {
        DirectionLedger lostOn1 = new DirectionLedger("node1", "node2", CAUSE, "r", 2, List.of(tx(501, 7), tx(502, 7, 9)),
                List.of(), List.of());
        DirectionLedger lostOn2 = new DirectionLedger("node2", "node1", "cut from node2's binlog", "r", 1,
                List.of(new AtRiskTransaction("2-2-80", null, List.of(new TableRows("shop.orders", 1, List.of("id"),
                        List.of(List.of("8")))))), List.of(), List.of());
        LossLedger ledger = LossLedger.of(List.of(lostOn1, lostOn2));
        assertEquals(Map.of("shop.orders", List.of(List.of("7"), List.of("9"), List.of("8"))), ledger.keysAtRisk());
        assertEquals(Map.of("shop.orders", List.of("id")), ledger.keyColumns());
        assertEquals(2, ledger.lines().size());
        assertFalse(ledger.needsFullCheck());
    }

    @Test
    void notReadIsNotNothingLost() {
        assertTrue(LossLedger.NOT_READ.lines().isEmpty());
        assertFalse(LossLedger.NOT_READ.nothingAtRisk());
        assertEquals(List.of("Loss ledger: no transaction is held by one node only."), LossLedger.of(List.of()).lines());
    }
}
