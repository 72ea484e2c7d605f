package io.mysqlresync.slack;

import static io.mysqlresync.slack.BotHarness.OPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.RepairRequest;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.mysql.JdbcClusterReader;
import io.mysqlresync.mysql.JdbcStatementRunner;
import io.mysqlresync.recovery.PlanExecutor;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.repair.RepairPlanner;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ShopDrift;
import io.mysqlresync.sandbox.ShopSchema;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.RepairFixture;
import io.mysqlresync.testsupport.slack.PostedMessage;
import io.mysqlresync.verify.TableVerdict;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The repair conversation in Slack, on the real Bolt app against the fake Slack and a real pair:
 * a verification with differences, `/mysql-resync repair <id>`, a "Repair plan" message with a
 * source button per table, Approve refused for a stranger and for the requester, approved by an
 * approver, and a final message that the pair is back in sync with identical data, only after
 * the repaired rows verified identical.
 */
@ExtendWith(RealServers.class)
class SlackRepairTest {

    private static final int ORDERS = 3000;

    @Test
    void verifyDifferences_repairPlan_chooseSources_approve_identical(LocalPair pair) throws Exception {
        ShopSchema.create(pair, ORDERS);
        ShopSchema.grantBotSelect(pair);
        RepairFixture.grantRepair(pair);
        ShopDrift drift = ShopDrift.plant(pair, Node.NODE2, ORDERS, 11);
        try (RepairFixture f = new RepairFixture(pair, Clock.systemUTC(), RepairPlanner.DEFAULT_MAX_ROWS);
             JdbcClusterReader reader = new JdbcClusterReader(f.connections, 4, Clock.systemUTC())) {
            ResyncService service = new ResyncService(List.of("shop"), reader, new Diagnoser(Thresholds.DEFAULT),
                    new Planner(), new PlanExecutor(reader, new JdbcStatementRunner(f.connections)), f.state.store,
                    BotHarness.policy(), BotHarness.PLAN_EXPIRY, Clock.systemUTC());
            try (BotHarness h = new BotHarness(service, List.of())) {
                h.bot.repairWith(f.service);
                String verification = f.verify("shop");
                assertEquals(drift.keys().size(), f.verifications.differences(verification).size());

                // Well-formed, but no verification has that id: said to the requester only, nothing posted.
                assertTrue(h.command("repair v-00000000", RepairFixture.REQUESTER, OPS).payload().path("text").asText()
                        .contains("Making a repair plan from verification v-00000000"));
                assertTrue(h.awaitEphemeral(RepairFixture.REQUESTER, "there is no verification v-00000000")
                        .startsWith(":x: "));

                assertTrue(h.command("repair " + verification, RepairFixture.REQUESTER, OPS).payload().path("text")
                        .asText().contains("Making a repair plan from verification " + verification));
                PostedMessage plan = h.awaitMessage("Repair plan");
                assertFalse(BotHarness.button(plan, RepairButton.APPROVE_ACTION).isPresent(),
                        "no Approve before every table has its source of truth");
                String id = f.state.store.history("shop", 100).stream().filter(e -> e.action().equals("propose-repair"))
                        .findFirst().orElseThrow().planId();
                RepairRequest r = f.service.find(id).orElseThrow();
                assertEquals(3, r.plan().tables().size());

                for (int t = 0; t < 3; t++) {
                    int table = t;
                    PostedMessage now = h.fake.message(plan.channel(), plan.ts()).orElseThrow();
                    h.acked(h.click(now, RepairButton.sourceActionId(t, 0), RepairFixture.REQUESTER));
                    BotHarness.awaitTrue("table " + t + " has node1 as its source", () -> f.service.find(id).orElseThrow()
                            .plan().tables().get(table).chosen());
                }
                PostedMessage ready = BotHarness.await("the plan with Approve", () -> h.fake.message(plan.channel(),
                        plan.ts()).filter(m -> BotHarness.button(m, RepairButton.APPROVE_ACTION).isPresent()));
                assertTrue(BotHarness.text(ready).contains("INSERT INTO `shop`.`customers`"), BotHarness.text(ready));
                assertTrue(BotHarness.text(ready).contains("node2 ends with node1's rows"), BotHarness.text(ready));

                h.acked(h.click(ready, RepairButton.APPROVE_ACTION, RepairFixture.STRANGER));
                assertTrue(h.awaitEphemeral(RepairFixture.STRANGER, "Not run").contains("not an approver"));
                h.acked(h.click(ready, RepairButton.APPROVE_ACTION, RepairFixture.REQUESTER));
                assertTrue(h.awaitEphemeral(RepairFixture.REQUESTER, "two-person rule").contains("someone else"));
                assertEquals(PlanState.PROPOSED, f.service.find(id).orElseThrow().state(), "nothing ran yet");

                h.acked(h.click(ready, RepairButton.APPROVE_ACTION, RepairFixture.APPROVER));
                PostedMessage done = h.awaitMessage("back in sync with identical data");
                assertTrue(BotHarness.text(done).contains("Verified again") && BotHarness.text(done).contains("identical"),
                        BotHarness.text(done));
                assertEquals(PlanState.SUCCEEDED, f.service.find(id).orElseThrow().state());
                PostedMessage decided = BotHarness.await("the plan message updated", () -> h.fake.message(plan.channel(),
                        plan.ts()).filter(m -> BotHarness.text(m).contains("Approved by")));
                assertFalse(BotHarness.hasButtons(decided), "no buttons once decided");

                // A second click on the old message runs nothing again.
                h.acked(h.click(ready, RepairButton.APPROVE_ACTION, RepairFixture.APPROVER));
                assertTrue(h.awaitEphemeral(RepairFixture.APPROVER, "nothing was run again").contains("succeeded"));
                assertEquals(TableVerdict.IDENTICAL, f.verifyNow("shop").verdict());
                h.assertNoSecretLeaked(Account.BOT.password(), Account.REPLICATION.password(), Account.ROOT.password());
            }
        }
    }
}
