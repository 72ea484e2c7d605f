package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.ledger.AtRiskTransaction;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.ledger.TableRows;
import io.mysqlresync.ledger.TruncatedBinlog;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed incident's truncated binlog: the plan states the transactions from the ledger, the bytes only as evidence. */
class PlannerLedgerTest {

    private final Diagnosis seed = new Diagnoser(Thresholds.DEFAULT).diagnose(seedIncident("10.11.19-MariaDB"));

    private static List<String> loss(Diagnosis d) {
        return new Planner().plan(d, "p-test0001", Instant.EPOCH).option(Planner.RESYNC).orElseThrow().estimatedDataLoss();
    }

    @Test
    void theLedgerReaderIsAskedAboutNode2ReadingPastTheEndOfNode1sBinlog() {
        List<List<TruncatedBinlog>> asked = new ArrayList<>();
        seed.withLedgerFrom((status, truncated) -> {
            asked.add(truncated);
            return LossLedger.of(List.of());
        });
        TruncatedBinlog cut = asked.get(0).get(0);
        assertEquals("node1", cut.origin());
        assertEquals("node2", cut.holder());
        assertEquals("mysql-bin.000234", cut.received().file());
        assertEquals(841457, cut.bytesCut());
    }

    @Test
    void thePlanStatesTheTransactionsAndKeepsTheBytesAsEvidence() {
        DirectionLedger lost = new DirectionLedger("node1", "node2", "cut from node1's binlog mysql-bin.000234 by the crash",
                "GTIDs 1-1-501 to 1-1-503", 3, List.of(
                new AtRiskTransaction("1-1-501", null, List.of(new TableRows("shop.orders", 1, List.of("id"), List.of(List.of("547"))))),
                new AtRiskTransaction("1-1-502", null, List.of(new TableRows("shop.orders", 1, List.of("id"), List.of(List.of("548"))))),
                new AtRiskTransaction("1-1-503", null, List.of(new TableRows("shop.orders", 1, List.of("id"), List.of(List.of("549")))))),
                List.of(), List.of());
        String line = loss(seed.withLedgerFrom((status, truncated) -> LossLedger.of(List.of(lost)))).stream()
                .filter(l -> l.contains("node2 only")).findFirst().orElseThrow();
        assertTrue(line.startsWith("3 transactions on shop.orders, 3 rows, ids 547, 548, 549, may exist on node2 only"), line);
        assertTrue(line.contains("(Evidence: node1's mysql-bin.000234 ends at 173000000; node2 had read to 173841457: "
                + "841457 bytes.)"), line);
        assertFalse(line.contains("pt-table-checksum"), line);
    }

    @Test
    void withoutALedgerThePlanSaysTheTransactionsAreNotListed() {
        List<String> loss = loss(seed);
        assertTrue(loss.stream().anyMatch(l -> l.startsWith("Not listed: the loss ledger was not read")), loss.toString());
    }

    @Test
    void aLedgerWithNothingAtRiskSaysSo() {
        List<String> loss = loss(seed.withLedgerFrom((status, truncated) -> LossLedger.of(List.of())));
        assertTrue(loss.stream().anyMatch(l -> l.startsWith("None: node2 holds no transaction of node1")), loss.toString());
    }
}
