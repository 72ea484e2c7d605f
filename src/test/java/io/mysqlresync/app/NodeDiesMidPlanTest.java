package io.mysqlresync.app;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ConfigLoader;
import io.mysqlresync.incident.ApprovalOutcome;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.recovery.NodeStep;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.StatementOutcome;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.testsupport.NodeLink;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * node2 is killed with kill -9 after node1's statement of a plan ran, while node2's is on its way
 * (held on the {@link NodeLink} between the bot and node2): the execution stops there, the outcome
 * says what ran where and that node2 is unreachable, and once node2 is back the plan made from a
 * fresh diagnosis does not repeat node1's part.
 */
@ExtendWith(RealServers.class)
@Timeout(240)
class NodeDiesMidPlanTest {

    @Test
    void aNodeKilledBetweenTwoStatementsStopsThePlanAndTheFollowUpIsOnlyWhatIsLeft(LocalPair pair, @TempDir Path dir)
            throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        pair.stopReplicationByOperator(Node.NODE1);
        pair.stopReplicationByOperator(Node.NODE2);
        Path config = dir.resolve("bot.yaml");
        NodeLink toNode2 = NodeLink.to(pair.node2().host(), pair.node2().port());
        Files.writeString(config, """
                approvals:
                  approvers: [U0ALICE]
                state:
                  jdbcUrl: jdbc:h2:file:%s
                clusters:
                  - name: demo
                    user: %s
                    password: %s
                    readTimeout: 60s
                    nodes:
                      - {name: node1, host: %s, port: %d}
                      - {name: node2, host: %s, port: %d}
                """.formatted(dir.resolve("state/bot"), Account.BOT.user(), Account.BOT.password(),
                pair.node1().host(), pair.node1().port(), toNode2.host(), toNode2.port()));
        AppConfig cfg = ConfigLoader.load(config, Map.of());
        try (toNode2; BotApplication app = BotApplication.create(cfg)) {
            ProposedPlan plan = app.service().propose("demo", "U0BOB", "C0OPS");
            assertEquals(List.of("node1", "node2"), plan.plan().option(Planner.RESYNC).orElseThrow().steps().stream()
                    .map(NodeStep::node).toList());
            List<StatementOutcome> ran = new CopyOnWriteArrayList<>();
            toNode2.holdNext("START SLAVE");
            CompletableFuture<ApprovalOutcome> approval = CompletableFuture.supplyAsync(() ->
                    app.service().approve(plan.id(), Planner.RESYNC, "U0ALICE", false, ran::add));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ran.isEmpty() && System.nanoTime() < until) Thread.sleep(50);
            assertEquals("node1", ran.get(0).node());
            toNode2.awaitHeld(Duration.ofSeconds(60));
            assertEquals(1, ran.size(), "node2's statement is on its way, not answered");
            pair.killHard(Node.NODE2); // node1's statement ran, node2's never reaches it
            ApprovalOutcome o = approval.get(90, TimeUnit.SECONDS);

            assertEquals(ApprovalOutcome.Kind.FAILED, o.kind(), o.message());
            assertEquals(2, o.report().outcomes().size(), "stopped at node2: " + o.report().outcomes());
            assertTrue(o.report().outcomes().get(0).succeeded());
            assertFalse(o.report().outcomes().get(1).succeeded());
            assertTrue(o.message().contains("node2") && o.message().contains("node2 unreachable"),
                    "says what ran where and that node2 is gone: " + o.message());
            assertEquals("Yes", pair.replicaStatus(Node.NODE1).orElseThrow().get("Slave_SQL_Running"));

            pair.startNode(Node.NODE2);
            pair.awaitReplica(Node.NODE1, "node1 reads from node2 again", s -> "Yes".equals(s.get("Slave_IO_Running")));
            ProposedPlan followUp = app.service().propose("demo", "U0BOB", "C0OPS");
            List<NodeStep> steps = followUp.plan().options().stream().flatMap(op -> op.steps().stream()).toList();
            assertTrue(steps.stream().noneMatch(s -> s.node().equals("node1")),
                    "node1's part ran already and is not proposed again: " + steps);
            System.out.printf("NODE DIES MID-PLAN: %s | follow-up on %s: %s; node2 after restart: SQL %s IO %s%n",
                    o.message(), followUp.plan().diagnosis().headline(), steps,
                    pair.replicaStatus(Node.NODE2).orElseThrow().get("Slave_SQL_Running"),
                    pair.replicaStatus(Node.NODE2).orElseThrow().get("Slave_IO_Running"));
        } finally {
            pair.startNode(Node.NODE2);
        }
    }
}
