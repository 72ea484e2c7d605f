package io.mysqlresync.schedule;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.VerificationOrder;
import io.mysqlresync.ledger.AtRiskTransaction;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.ledger.TableRows;
import io.mysqlresync.store.JdbcVerificationLog;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.TestClock;
import io.mysqlresync.verify.RowKey;
import io.mysqlresync.verify.TableRef;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the verification job asks the verifier: the ledger's rows first, every table unless the ledger is enough. */
class VerifierTest {

    private final TestClock clock = new TestClock(Instant.parse("2016-05-17T09:00:00Z"));
    private final FakeCluster cluster = new FakeCluster(clock);
    private final StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
    private final IncidentLifecycle lifecycle = new IncidentLifecycle(StateFixture.store(db), new RecordingNotifier(),
            clock, w -> { });
    private final List<VerifyRequest> asked = new ArrayList<>();
    private final List<VerificationResult> stored = new ArrayList<>();
    private final List<String> gauge = new ArrayList<>();

    @AfterEach
    void close() {
        db.close();
    }

    private static final LossLedger COMPLETE = LossLedger.of(List.of(new DirectionLedger("node1", "node2",
            "binlog truncated", "mysql-bin.000007:1234-2234", 1,
            List.of(new AtRiskTransaction("mysql-bin.000007:1234", Instant.parse("2016-05-17T08:59:00Z"),
                    List.of(new TableRows("shop.orders", 2, List.of("id"), List.of(List.of("547"), List.of("548")))))),
            List.of(), List.of())));

    private Verifier verifier(LossLedger ledger) {
        JdbcVerificationLog log = new JdbcVerificationLog(db.dataSource());
        return new Verifier((c, request, progress, cancel) -> {
            asked.add(request);
            VerificationResult r = new VerificationResult(c, List.of("node1", "node2"), clock.instant(), Duration.ZERO,
                    List.of(new TableResult(new TableRef("shop", "orders"), TableVerdict.IDENTICAL, null, null, 2, 1,
                            List.of(), List.of(), Duration.ZERO)), List.of());
            stored.add(r);
            return r;
        }, log, cluster, new Diagnoser(Thresholds.DEFAULT), lifecycle, List.of(), o -> ledger, clock,
                new io.mysqlresync.incident.BotMetrics() {
                    @Override
                    public void verified(String c, boolean identical, long rowsDiffering) {
                        gauge.add(c + " " + identical + " " + rowsDiffering);
                    }
                });
    }

    private VerificationOrder order(VerificationOrder.Scope scope) {
        return new VerificationOrder("shop", VerificationOrder.Reason.RECOVERY, scope, "", "", "", "", List.of(), "bot",
                clock.instant());
    }

    @Test
    void theLedgersRowsAreComparedFirstThenEveryTable() {
        verifier(COMPLETE).run(order(VerificationOrder.Scope.FULL), io.mysqlresync.verify.CancelToken.none());
        assertEquals(Map.of(new TableRef("shop", "orders"), List.of(new RowKey(List.of("547")), new RowKey(List.of("548")))),
                asked.get(0).keysFirst());
        assertFalse(asked.get(0).keysOnly());
        assertTrue(asked.get(0).tables().isEmpty(), "every replicated table");
        assertEquals(List.of("shop true 0"), gauge, "the verification gauge is told");
    }

    @Test
    void ledgerScopeComparesOnlyTheLedgersRowsWhenItNamesThemAll() {
        verifier(COMPLETE).run(order(VerificationOrder.Scope.LEDGER), io.mysqlresync.verify.CancelToken.none());
        assertTrue(asked.get(0).keysOnly());
    }

    @Test
    void ledgerScopeWithoutALedgerFallsBackToEveryTableAndSaysSo() {
        verifier(LossLedger.NOT_READ).run(order(VerificationOrder.Scope.LEDGER), io.mysqlresync.verify.CancelToken.none());
        assertFalse(asked.get(0).keysOnly());
        assertTrue(asked.get(0).keysFirst().isEmpty());
        assertEquals(1, new JdbcVerificationLog(db.dataSource()).recent("shop", 5).size(), "stored with its audit entry");
    }
}
