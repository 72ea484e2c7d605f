package io.mysqlresync.slack;

import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.slack.ResyncFixtures.RecordingRunner;
import io.mysqlresync.slack.ResyncFixtures.ScriptedReader;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.mysqlresync.slack.BotHarness.ALICE;
import static io.mysqlresync.slack.BotHarness.BOB;
import static io.mysqlresync.slack.BotHarness.OPS;
import static io.mysqlresync.slack.BotHarness.awaitTrue;
import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The log line of a click says which cluster and plan it was about, and leaves nothing behind. */
@Timeout(60)
class LogContextTest {

    @Test
    void theApprovalLineCarriesTheClusterAndThePlan() throws Exception {
        ScriptedReader reader = new ScriptedReader();
        reader.set("shop", seedIncident("5.7.44-log"));
        PrintStream realErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String log;
        try (StateFixture state = StateFixture.fresh();
             BotHarness h = new BotHarness(ResyncFixtures.service(List.of("shop"), reader, new RecordingRunner(),
                     state.store, new TestClock()), List.of())) {
            h.command("plan shop", BOB, OPS);
            ProposedPlan p = BotHarness.await("a plan with its message", () -> state.store.history("shop", 100).stream()
                    .filter(e -> e.action().equals("propose")).findFirst()
                    .flatMap(e -> state.store.plan(e.planId())).filter(x -> !x.messageTs().isEmpty()));
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                h.acked(h.click(h.planMessage(p.id()), "approve:resync", ALICE));
                awaitTrue("plan succeeded", () -> state.store.plan(p.id()).orElseThrow().state() == PlanState.SUCCEEDED);
                awaitTrue("the approval is logged", () -> captured.toString(StandardCharsets.UTF_8).contains("approve " + p.id()));
            } finally {
                System.setErr(realErr);
            }
            log = captured.toString(StandardCharsets.UTF_8);
            realErr.print(log);
            String line = log.lines().filter(l -> l.contains("approve " + p.id())).findFirst().orElseThrow();
            assertTrue(line.contains("cluster=shop") && line.contains("plan=" + p.id()), line);
        }
    }
}
