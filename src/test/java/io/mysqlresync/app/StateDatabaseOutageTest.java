package io.mysqlresync.app;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ConfigLoader;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.testsupport.RealBot;
import io.mysqlresync.testsupport.RealBot.StateServer;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.slack.ApiCall;
import io.mysqlresync.testsupport.slack.Envelope;
import io.mysqlresync.testsupport.slack.FakeSlack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.mysqlresync.testsupport.RealBot.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MariaDB state database is stopped for a while under a running Slack bot (the real Bolt app
 * against the fake Slack, real servers): polling goes on and sees a change on the nodes, the
 * incident channel is told approvals are paused, an Approve click and a plan request meanwhile
 * get that answer and run nothing, and when the database is back the bot carries on by itself:
 * the same Approve runs the plan once.
 */
@ExtendWith(RealServers.class)
@Timeout(300)
class StateDatabaseOutageTest {

    @Test
    void approvalsPauseAndPollingGoesOnWhileTheStateDatabaseIsDown(LocalPair pair, @TempDir Path dir) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        pair.stopReplicationByOperator(Node.NODE2);
        try (StateServer state = StateServer.start("outage-state", 962);
             FakeSlack slack = FakeSlack.start()) {
            LocalServer stateServer = state.server();
            Path config = RealBot.config("outage", slack)
                    .monitor("pollInterval: 1s", "progressInterval: 1s")
                    .state(state, false)
                    .httpOnAnyPort()
                    .demo(pair)
                    .write(dir.resolve("bot.yaml"));
            AppConfig cfg = ConfigLoader.load(config, Map.of());
            try (SlackMode bot = SlackMode.start(cfg)) {
                var service = bot.app().service();
                slack.awaitConnections(1, Duration.ofSeconds(60));
                slack.awaitAck(slack.slashCommand("/mysql-resync", "plan demo", "U0BOB", "C0OPS"), Duration.ofSeconds(10));
                ProposedPlan plan = await("the plan is posted", () -> service.store().pendingPlans().stream()
                        .filter(p -> !p.messageTs().isEmpty()).findFirst(), dir);

                long down = System.nanoTime();
                stateServer.killHard();
                ApiCall notice = await("the outage is said in the incident channel", () -> slack.calls("chat.postMessage")
                        .stream().filter(c -> "C0INCIDENTS".equals(c.param("channel")))
                        .filter(c -> String.valueOf(c.param("text")).contains("state database is unreachable")).findFirst(), dir);
                long noticedMs = (System.nanoTime() - down) / 1_000_000;
                String before = bot.app().outageHeadlines().get("demo");

                // polling goes on: a change on the nodes is seen without the state database
                pair.stopReplicationByOperator(Node.NODE1);
                await("an outage poll sees node1 stopped too", () -> Optional.ofNullable(bot.app().outageHeadlines()
                        .get("demo")).filter(h -> !h.equals(before)), dir);
                pair.startReplication(Node.NODE1);
                await("and node1 started again", () -> Optional.ofNullable(bot.app().outageHeadlines()
                        .get("demo")).filter(h -> h.equals(before)), dir);

                // a click and a request meanwhile: told why, nothing run
                Envelope click = slack.blockAction("approve:" + Planner.RESYNC, plan.id() + ":" + Planner.RESYNC,
                        "U0ALICE", "C0OPS", plan.messageTs());
                slack.awaitAck(click, Duration.ofSeconds(10));
                ApiCall paused = await("the approver is told approvals are paused", () -> slack.calls("chat.postEphemeral")
                        .stream().filter(c -> "U0ALICE".equals(c.param("user")))
                        .filter(c -> String.valueOf(c.param("text")).contains("approvals are paused")).findFirst(), dir);
                Envelope ask = slack.slashCommand("/mysql-resync", "plan demo", "U0BOB", "C0OPS");
                slack.awaitAck(ask, Duration.ofSeconds(10));
                // the plan request waits for the pool's connection timeout (10 s) before it is told
                String answer = await("the plan request is answered", () -> slack.responseUrlPosts(ask).stream()
                        .findFirst(), dir).body().toString();
                assertTrue(answer.contains("state database is unreachable") && !answer.contains("SQLException")
                        && !answer.contains("at io."), answer);
                long postsBefore = slack.calls("chat.postMessage").stream().filter(c -> "C0OPS".equals(c.param("channel"))).count();
                Envelope diagnose = slack.slashCommand("/mysql-resync", "diagnose demo", "U0BOB", "C0OPS");
                slack.awaitAck(diagnose, Duration.ofSeconds(10));
                await("a diagnosis is still answered", () -> slack.calls("chat.postMessage").stream()
                        .filter(c -> "C0OPS".equals(c.param("channel"))).skip(postsBefore).findFirst(), dir);
                assertEquals("No", pair.replicaStatus(Node.NODE2).orElseThrow().get("Slave_SQL_Running"), "nothing ran");
                int outagePolls = bot.app().outagePolls();
                assertTrue(outagePolls >= 3, "polls while down: " + outagePolls);

                long up = System.nanoTime();
                stateServer.start();
                await("the outage message says the database is back", () -> slack.calls("chat.update").stream()
                        .filter(c -> String.valueOf(c.param("text")).contains("state database is back")).findFirst(), dir);
                long backMs = (System.nanoTime() - up) / 1_000_000;
                assertEquals(PlanState.PROPOSED, service.store().plan(plan.id()).orElseThrow().state(),
                        "the click during the outage did nothing");

                // back by itself: the same Approve now runs the plan, once
                slack.blockAction("approve:" + Planner.RESYNC, plan.id() + ":" + Planner.RESYNC, "U0ALICE", "C0OPS",
                        plan.messageTs());
                await("the plan runs", () -> service.store().plan(plan.id())
                        .filter(p -> p.state() == PlanState.SUCCEEDED), dir);
                pair.awaitReplica(Node.NODE2, "node2 runs again", s -> "Yes".equals(s.get("Slave_SQL_Running")));
                List<AuditEntry> trail = service.store().planHistory(plan.id());
                assertEquals(1, trail.stream().filter(e -> e.action().equals("approve")).count(), trail.toString());
                assertEquals(1, trail.stream().filter(e -> e.action().equals("statement")).count(), trail.toString());
                System.out.printf("STATE DB OUTAGE: said in %d ms; %d outage polls; paused answer \"%s\"; back and said in %d ms%n",
                        noticedMs, outagePolls, paused.param("text"), backMs);
                assertTrue(notice.param("text").contains("approvals"));
            }
        }
    }
}
