package io.mysqlresync.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlresync.incident.RepairOutcome;
import io.mysqlresync.incident.RepairRequest;
import io.mysqlresync.repair.RepairPlanner;
import io.mysqlresync.repair.RowFix;
import io.mysqlresync.repair.RowOutcome;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ShopLoad;
import io.mysqlresync.sandbox.ShopSchema;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.RepairFixture;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A thousand rows of drift repaired on a real pair while the application writes on both
 * masters: the drifted node ends with the source's rows, replication never stops on either node
 * (the repair is not logged, so nothing reaches the other applier), and rows the application
 * changed between the verification and the repair are skipped, not overwritten.
 */
@ExtendWith(RealServers.class)
class RepairOnRealServersTest {

    private static final int ORDERS = 14_000;
    private static final int PLANTED = 1_000;

    @Test
    void givenAThousandRowsDriftedOnNode2UnderWrites_repairFromNode1LeavesThePairIdenticalAndReplicationRunning(
            LocalPair pair) throws Exception {
        ShopSchema.create(pair, ORDERS);
        ShopSchema.grantBotSelect(pair);
        RepairFixture.grantRepair(pair);
        try (RepairFixture f = new RepairFixture(pair, Clock.systemUTC(), RepairPlanner.DEFAULT_MAX_ROWS);
             ShopLoad load = new ShopLoad(pair, ORDERS)) {
            Map<String, List<Long>> planted = RepairFixture.plantOrders(pair, Node.NODE2, ORDERS, PLANTED);
            String verification = f.verify("shop.orders");
            assertEquals(PLANTED, f.verifications.differences(verification).size(), "verify names every planted row");

            // The application changes planted rows after the verification: three on node1 (they
            // replicate, so node2 gets node1's row), two on node2 only.
            List<Long> updated = planted.get("updated");
            List<Long> changedOnNode1 = updated.subList(0, 3);
            List<Long> changedOnNode2 = updated.subList(3, 5);
            for (long id : changedOnNode1) {
                pair.node1().execute("UPDATE shop.orders SET note = 'changed by the app on node1' WHERE id = " + id);
            }
            for (long id : changedOnNode2) {
                pair.node2().execute("SET sql_log_bin = 0",
                        "UPDATE shop.orders SET note = 'changed by the app on node2' WHERE id = " + id);
            }
            // node1's changes have reached node2 (the pair as a whole is never still: the load runs on).
            Awaitility.await("node1's three changes replicate to node2").atMost(Duration.ofSeconds(60))
                    .until(() -> "3".equals(pair.node2().query("SELECT COUNT(*) AS n FROM shop.orders"
                            + " WHERE note = 'changed by the app on node1'").get(0).get("n")));

            RepairRequest plan = f.service.propose(verification, "node1", RepairFixture.REQUESTER, "console");
            assertTrue(plan.plan().ready(), "the plan is ready with a source of truth");
            assertEquals(List.of(), plan.missingGrants());
            assertEquals(PLANTED, plan.plan().fixes().size());
            assertEquals(Map.of(RowFix.Kind.UPDATE, 500L, RowFix.Kind.DELETE, 250L, RowFix.Kind.INSERT, 250L),
                    Map.of(RowFix.Kind.UPDATE, plan.plan().tables().get(0).count(RowFix.Kind.UPDATE),
                            RowFix.Kind.DELETE, plan.plan().tables().get(0).count(RowFix.Kind.DELETE),
                            RowFix.Kind.INSERT, plan.plan().tables().get(0).count(RowFix.Kind.INSERT)));

            long t0 = System.nanoTime();
            RepairOutcome outcome = f.service.approve(plan.id(), plan.revision(), RepairFixture.APPROVER, false, o -> { });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("repair of %d rows under writes: %s in %d ms%n", PLANTED, outcome.message(), ms);

            Set<Long> skipped = new TreeSet<>();
            outcome.rows().stream().filter(o -> o.result() == RowOutcome.Result.SKIPPED_CHANGED)
                    .forEach(o -> skipped.add(Long.parseLong(o.fix().key().values().get(0))));
            Set<Long> changed = new TreeSet<>(changedOnNode1);
            changed.addAll(changedOnNode2);
            assertEquals(changed, skipped, outcome.message());
            assertEquals(PLANTED - changed.size(), outcome.rows().stream()
                    .filter(o -> o.result() == RowOutcome.Result.APPLIED).count(), outcome.message());
            assertEquals(RepairOutcome.Kind.ROWS_STILL_DIFFER, outcome.kind(), "skipped rows: exit 2, not 0");
            assertEquals(2, outcome.kind().exitCode());

            // Not overwritten: node2 keeps what the application wrote there.
            for (long id : changedOnNode2) {
                assertEquals("changed by the app on node2", pair.node2().query(
                        "SELECT note FROM shop.orders WHERE id = " + id).get(0).get("note"));
            }
            // The whole table again: only node2's own changes still differ (the application's, now its to settle).
            VerificationResult again = f.verifyNow("shop.orders");
            Set<Long> still = new TreeSet<>();
            for (RowDifference d : again.differences()) {
                still.add(Long.parseLong(d.key().values().get(0)));
            }
            assertEquals(new TreeSet<>(changedOnNode2), still, again.headline());

            assertNull(load.endedBy(Node.NODE1), "the write load on node1 failed");
            assertNull(load.endedBy(Node.NODE2), "the write load on node2 failed");
            assertEquals("Yes/Yes errno 0 ", RepairFixture.replicationHealth(pair, Node.NODE1));
            assertEquals("Yes/Yes errno 0 ", RepairFixture.replicationHealth(pair, Node.NODE2));

            // Every statement is in the audit trail.
            long audited = f.state.store.history("shop", 5_000).stream()
                    .filter(e -> e.action().equals("repair-statement") && e.planId().equals(plan.id())).count();
            assertEquals(PLANTED, audited);
        }
    }

    @Test
    void givenPlantedDriftAndNothingChangedMeanwhile_theRepairEndsVerifiedIdentical(LocalPair pair) throws Exception {
        ShopSchema.create(pair, ORDERS);
        ShopSchema.grantBotSelect(pair);
        RepairFixture.grantRepair(pair);
        try (RepairFixture f = new RepairFixture(pair, Clock.systemUTC(), RepairPlanner.DEFAULT_MAX_ROWS);
             ShopLoad load = new ShopLoad(pair, ORDERS)) {
            RepairFixture.plantOrders(pair, Node.NODE2, ORDERS, 40);
            String verification = f.verify("shop.orders");
            RepairRequest plan = f.service.propose(verification, "node1", RepairFixture.REQUESTER, "console");
            List<RowOutcome> seen = new ArrayList<>();
            RepairOutcome outcome = f.service.approve(plan.id(), plan.revision(), RepairFixture.APPROVER, false, seen::add);
            assertEquals(RepairOutcome.Kind.REPAIRED_IDENTICAL, outcome.kind(), outcome.message());
            assertEquals(0, outcome.kind().exitCode());
            assertEquals(40, seen.size());
            assertEquals(TableVerdict.IDENTICAL, outcome.after().verdict());
            assertTrue(outcome.message().contains("identical"), outcome.message());
            assertEquals(TableVerdict.IDENTICAL, f.verifyNow("shop").verdict(), "the whole shop is identical");
            assertNull(load.endedBy(Node.NODE1));
            assertNull(load.endedBy(Node.NODE2));
            assertEquals("Yes/Yes errno 0 ", RepairFixture.replicationHealth(pair, Node.NODE1));
            assertEquals("Yes/Yes errno 0 ", RepairFixture.replicationHealth(pair, Node.NODE2));
        }
    }
}
