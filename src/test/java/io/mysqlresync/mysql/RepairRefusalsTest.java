package io.mysqlresync.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.RepairOutcome;
import io.mysqlresync.incident.RepairRequest;
import io.mysqlresync.repair.RepairPlanner;
import io.mysqlresync.repair.RowOutcome;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ShopSchema;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.RepairFixture;
import io.mysqlresync.testsupport.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every way a repair approval is refused, on a real pair with real drift: each says why and
 * changes no row (the planted rows still differ afterwards).
 */
@ExtendWith(RealServers.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RepairRefusalsTest {

    private static final int ORDERS = 2_000;
    private static boolean seeded;
    private static Map<String, List<Long>> planted;

    @BeforeEach
    void drift(LocalPair pair) throws Exception {
        if (!seeded) {
            ShopSchema.create(pair, ORDERS);
            ShopSchema.grantBotSelect(pair);
            RepairFixture.grantRepair(pair);
            planted = RepairFixture.plantOrders(pair, Node.NODE2, ORDERS, 8);
            seeded = true;
        }
    }

    private static void assertNothingRan(RepairFixture f, RepairOutcome o) {
        assertEquals(List.of(), o.rows(), o.message());
        assertEquals(8, f.verifyNow("shop.orders").differences().size(), "the planted rows still differ: " + o.message());
    }

    @Test
    void anUnauthorisedUserIsRefused(LocalPair pair) {
        try (RepairFixture f = new RepairFixture(pair, new TestClock(), RepairPlanner.DEFAULT_MAX_ROWS)) {
            RepairRequest r = f.service.propose(f.verify("shop.orders"), "node1", RepairFixture.REQUESTER, "console");
            RepairOutcome o = f.service.approve(r.id(), r.revision(), RepairFixture.STRANGER, false, x -> { });
            assertEquals(RepairOutcome.Kind.REFUSED_UNAUTHORISED, o.kind());
            assertTrue(o.message().contains("not an approver"), o.message());
            assertEquals(1, o.kind().exitCode());
            assertNothingRan(f, o);
            assertEquals(PlanState.PROPOSED, f.service.find(r.id()).orElseThrow().state());
        }
    }

    @Test
    void theRequesterCannotApproveTheirOwnRepair(LocalPair pair) {
        try (RepairFixture f = new RepairFixture(pair, new TestClock(), RepairPlanner.DEFAULT_MAX_ROWS)) {
            RepairRequest r = f.service.propose(f.verify("shop.orders"), "node1", RepairFixture.APPROVER, "console");
            RepairOutcome o = f.service.approve(r.id(), r.revision(), RepairFixture.APPROVER, false, x -> { });
            assertEquals(RepairOutcome.Kind.REFUSED_UNAUTHORISED, o.kind());
            assertTrue(o.message().contains("two-person rule"), o.message());
            assertNothingRan(f, o);
        }
    }

    @Test
    void anExpiredRepairIsRefused(LocalPair pair) {
        TestClock clock = new TestClock();
        try (RepairFixture f = new RepairFixture(pair, clock, RepairPlanner.DEFAULT_MAX_ROWS)) {
            RepairRequest r = f.service.propose(f.verify("shop.orders"), "node1", RepairFixture.REQUESTER, "console");
            clock.advance(Duration.ofMinutes(16));
            RepairOutcome o = f.service.approve(r.id(), r.revision(), RepairFixture.APPROVER, false, x -> { });
            assertEquals(RepairOutcome.Kind.REFUSED_EXPIRED, o.kind());
            assertTrue(o.message().contains("expired"), o.message());
            assertNothingRan(f, o);
            assertEquals(PlanState.EXPIRED, f.service.find(r.id()).orElseThrow().state());
        }
    }

    @Test
    void aRowLimitAboveWhichTheRepairIsRefusedWithTheRebuildProcedure(LocalPair pair) {
        try (RepairFixture f = new RepairFixture(pair, new TestClock(), 5)) {
            RepairRequest r = f.service.propose(f.verify("shop.orders"), "node1", RepairFixture.REQUESTER, "console");
            assertTrue(r.plan().refused());
            assertTrue(r.plan().refusal().contains("8 rows differ, more than the 5") && r.plan().refusal()
                    .contains("rebuild this node instead"), r.plan().refusal());
            assertTrue(String.join("\n", r.plan().rebuild()).contains("mariabackup --backup"), r.plan().rebuild().toString());
            assertTrue(r.plan().fixes().isEmpty(), "nothing is cut to fit the limit");
            RepairOutcome o = f.service.approve(r.id(), r.revision(), RepairFixture.APPROVER, false, x -> { });
            assertEquals(RepairOutcome.Kind.REFUSED_NOT_READY, o.kind());
            assertTrue(o.message().contains("rebuild this node instead"), o.message());
            assertNothingRan(f, o);
        }
    }

    @Test
    void withoutTheGrantsTheRepairIsManualAndNamesThem(LocalPair pair) throws Exception {
        RepairFixture.revokeRepair(pair);
        try (RepairFixture f = new RepairFixture(pair, new TestClock(), RepairPlanner.DEFAULT_MAX_ROWS)) {
            RepairRequest r = f.service.propose(f.verify("shop.orders"), "node1", RepairFixture.REQUESTER, "console");
            assertEquals(List.of("GRANT BINLOG ADMIN ON *.* TO 'resync'@'127.0.0.1';",
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON `shop`.* TO 'resync'@'127.0.0.1';"), r.missingGrants());
            assertTrue(r.manual());
            RepairOutcome o = f.service.approve(r.id(), r.revision(), RepairFixture.APPROVER, false, x -> { });
            assertEquals(RepairOutcome.Kind.REFUSED_MISSING_GRANTS, o.kind());
            assertTrue(o.message().contains("GRANT BINLOG ADMIN ON *.*"), o.message());
            assertNothingRan(f, o);
        } finally {
            RepairFixture.grantRepair(pair);
        }
    }

    @Test
    void aPlanChangedSinceTheApproverSawItIsNotRun(LocalPair pair) {
        try (RepairFixture f = new RepairFixture(pair, new TestClock(), RepairPlanner.DEFAULT_MAX_ROWS)) {
            RepairRequest r = f.service.propose(f.verify("shop.orders"), null, RepairFixture.REQUESTER, "slack");
            assertTrue(!r.plan().ready(), "no source yet");
            RepairOutcome early = f.service.approve(r.id(), r.revision(), RepairFixture.APPROVER, false, x -> { });
            assertEquals(RepairOutcome.Kind.REFUSED_NOT_READY, early.kind());
            assertTrue(early.message().contains("choose the source of truth first for shop.orders"), early.message());
            RepairRequest chosen = f.service.chooseSource(r.id(), r.plan().tables().get(0).table(), "node1",
                    RepairFixture.REQUESTER).orElseThrow();
            assertEquals(r.revision() + 1, chosen.revision());
            RepairOutcome stale = f.service.approve(r.id(), r.revision(), RepairFixture.APPROVER, false, x -> { });
            assertEquals(RepairOutcome.Kind.REFUSED_PLAN_CHANGED, stale.kind(), stale.message());
            assertNothingRan(f, stale);
        }
    }

    /** Last, because it repairs: eight clicks at once, one execution, and a row changed since the verification skipped. */
    @Test
    @Order(Integer.MAX_VALUE)
    void manyClicksAtOnceRunTheRepairOnceAndARowChangedSinceTheVerificationIsSkipped(LocalPair pair) throws Exception {
        try (RepairFixture f = new RepairFixture(pair, new TestClock(), RepairPlanner.DEFAULT_MAX_ROWS)) {
            RepairRequest r = f.service.propose(f.verify("shop.orders"), "node1", RepairFixture.REQUESTER, "console");
            long changed = planted.get("updated").get(0);
            pair.node2().execute("SET sql_log_bin = 0",
                    "UPDATE shop.orders SET note = 'the app wrote this' WHERE id = " + changed);
            AtomicInteger statements = new AtomicInteger();
            ExecutorService clicks = Executors.newFixedThreadPool(8);
            try {
                List<Future<RepairOutcome>> all = clicks.invokeAll(java.util.Collections.nCopies(8,
                        (Callable<RepairOutcome>) () -> f.service.approve(r.id(), r.revision(), RepairFixture.APPROVER,
                                false, x -> statements.incrementAndGet())));
                int ran = 0;
                for (Future<RepairOutcome> one : all) {
                    RepairOutcome o = one.get();
                    if (o.kind().ran()) {
                        ran++;
                        assertEquals(RepairOutcome.Kind.ROWS_STILL_DIFFER, o.kind(), o.message());
                        assertTrue(o.message().contains("id=" + changed + " (changed since the verification: node2"
                                + " has other values now)"), o.message());
                        assertEquals(1, o.rows().stream().filter(x -> x.result() == RowOutcome.Result.SKIPPED_CHANGED).count());
                    } else {
                        assertEquals(RepairOutcome.Kind.REFUSED_ALREADY_DECIDED, o.kind(), o.message());
                        assertTrue(o.message().contains("nothing was run again"), o.message());
                    }
                }
                assertEquals(1, ran);
                assertEquals(8, statements.get(), "each statement once");
            } finally {
                clicks.shutdownNow();
            }
            assertEquals("the app wrote this", pair.node2().query("SELECT note FROM shop.orders WHERE id = " + changed)
                    .get(0).get("note"), "not overwritten");
            assertEquals(1, f.verifyNow("shop.orders").differences().size());
            assertEquals("Yes/Yes errno 0 ", RepairFixture.replicationHealth(pair, Node.NODE1));
            assertEquals("Yes/Yes errno 0 ", RepairFixture.replicationHealth(pair, Node.NODE2));
        }
    }
}
