package io.mysqlresync.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlresync.ledger.AtRiskTransaction;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.ledger.TableRows;
import io.mysqlresync.replication.ServerVersion;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.RowKey;
import io.mysqlresync.verify.TableRef;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RepairPlannerTest {

    private static final TableRef ORDERS = new TableRef("shop", "orders");
    private static final List<String> COLUMNS = List.of("id", "status", "amount", "note", "photo");
    private static final Map<TableRef, Map<String, String>> TYPES = Map.of(ORDERS, Map.of("id", "bigint",
            "status", "varchar", "amount", "decimal", "note", "text", "photo", "varbinary"));

    private static RowDifference diff(String id, List<String> node1, List<String> node2) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put("node1", node1);
        values.put("node2", node2);
        return new RowDifference(ORDERS, List.of("id"), RowKey.of(id), COLUMNS, values);
    }

    private static List<String> row(String... v) {
        return Arrays.asList(v);
    }

    private static RepairPlan plan(long maxRows, Map<TableRef, String> sources, RowDifference... diffs) {
        return new RepairPlanner(maxRows).plan("r-test", "shop", "v-1", Instant.EPOCH, List.of("node1", "node2"),
                List.of(diffs), sources, Map.of(), TYPES, ServerVersion.parse("10.11.6-MariaDB", ""));
    }

    @Test
    void givenNode1IsRight_node2GetsTheMissingRowTheExtraRowDeletedAndOnlyTheDifferingColumnsUpdated() {
        RepairPlan p = plan(10, Map.of(ORDERS, "node1"),
                diff("547", row("547", "it's \\ paid", "9.99", null, "0x00ff"), null),
                diff("9000001", null, row("9000001", "planted", "1.00", "x", null)),
                diff("12", row("12", "paid", "5.00", "same", null), row("12", "new", "5.00", "same", null)));
        List<String> sql = p.fixes().stream().map(RowFix::display).toList();
        assertEquals(List.of(
                "INSERT INTO `shop`.`orders` (`id`, `status`, `amount`, `note`, `photo`) VALUES (547, 'it''s \\\\ paid', 9.99, NULL, 0x00ff)",
                "DELETE FROM `shop`.`orders` WHERE `id` = 9000001",
                "UPDATE `shop`.`orders` SET `status` = 'paid' WHERE `id` = 12"), sql);
        assertTrue(p.fixes().stream().allMatch(f -> f.target().equals("node2")));
        assertEquals("node2 ends with node1's rows (1 inserted, 1 deleted, 1 updated on node2); node1 is not changed",
                p.tables().get(0).endsWith());
        assertTrue(p.ready());
    }

    @Test
    void identifiersAreQuotedAsTheCatalogSpellsThem() {
        assertEquals("`we``ird`", SqlText.identifier("we`ird"));
        assertEquals("'1; DROP TABLE x'", SqlText.literal("1; DROP TABLE x", "bigint"));
        assertEquals("'ab' /* first characters of 300, applied in full */", SqlText.literal("ab…(300 chars)", "text"));
    }

    @Test
    void aboveTheRowLimitThePlanIsRefusedWithTheRebuildProcedureAndNothingIsCut() {
        RepairPlan p = plan(2, Map.of(ORDERS, "node1"), diff("1", row("1", "a", "1", null, null), null),
                diff("2", row("2", "a", "1", null, null), null), diff("3", row("3", "a", "1", null, null), null));
        assertTrue(p.refused());
        assertEquals("3 rows differ, more than the 2 a repair may change (repair.maxRows): rebuild this node instead",
                p.refusal());
        assertTrue(p.rebuild().get(0).startsWith("On node1: mariabackup --backup"), p.rebuild().toString());
        assertTrue(p.fixes().isEmpty());
        assertTrue(RebuildProcedure.forServer(ServerVersion.parse("8.0.36", "MySQL Community Server - GPL"), "node1", "node2")
                .stream().anyMatch(s -> s.contains("CLONE INSTANCE FROM")));
        assertTrue(RebuildProcedure.forServer(ServerVersion.parse("5.7.44-log", "MySQL Community Server (GPL)"), "node1",
                "node2").get(0).contains("mysqldump --single-transaction"));
    }

    @Test
    void aTableWithoutAChosenSourceWaitsAndANodeOutsideThePairIsRefused() {
        RepairPlan p = plan(10, Map.of(), diff("1", row("1", "a", "1", null, null), null));
        assertTrue(!p.ready());
        assertNull(p.tables().get(0).source());
        assertThrows(IllegalArgumentException.class, () -> plan(10, Map.of(ORDERS, "node9"),
                diff("1", row("1", "a", "1", null, null), null)));
    }

    @Test
    void theLedgerSuggestsTheNodeThatStillHasWhatTheCrashedNodeLost() {
        DirectionLedger lost = new DirectionLedger("node1", "node2", "cut from node1's binlog by the crash",
                "GTIDs 1-1-5", 1, List.of(new AtRiskTransaction("1-1-5", null, List.of(
                        new TableRows("shop.orders", 1, List.of("id"), List.of(List.of("547")))))), List.of(), List.of());
        Map<TableRef, SourceSuggestion> s = SourceSuggestion.fromLedger(LossLedger.of(List.of(lost)),
                Set.of(ORDERS, new TableRef("shop", "customers")));
        assertEquals("node2", s.get(ORDERS).node());
        assertTrue(s.get(ORDERS).reason().contains("node1 lost transactions on shop.orders that node2 still has"));
        assertNull(s.get(new TableRef("shop", "customers")), "no guess without the ledger");
    }

    @Test
    void aRowIsChangedSinceTheVerificationWhenEitherNodeNoLongerHoldsWhatItSaw() {
        RowFix f = RepairPlanner.fix(diff("12", row("12", "paid", "5", null, null), row("12", "new", "5", null, null)),
                "node1", "node2", Map.of());
        assertEquals(Optional.empty(), RepairExecutor.changedSince(f, row("12", "paid", "5", null, null),
                row("12", "new", "5", null, null)));
        assertEquals(Optional.of("changed since the verification: node2 has other values now"),
                RepairExecutor.changedSince(f, row("12", "paid", "5", null, null), row("12", "new", "6", null, null)));
        assertEquals(Optional.of("changed since the verification: node1 no longer has it"),
                RepairExecutor.changedSince(f, null, row("12", "new", "5", null, null)));
        String longValue = "y".repeat(300);
        assertTrue(RepairExecutor.sameValue("y".repeat(120) + "…(300 chars)", longValue), "a long value cut for display");
    }
}
