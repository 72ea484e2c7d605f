package io.mysqlresync.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.ApprovalOutcome;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.Durations;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.LagProgress;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ShardPoll;
import io.mysqlresync.recovery.ExecutionReport;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.recovery.StatementOutcome;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ThreadState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.mysqlresync.testsupport.Statuses.NOW;
import static io.mysqlresync.testsupport.Statuses.binlog;
import static io.mysqlresync.testsupport.Statuses.node;
import static io.mysqlresync.testsupport.Statuses.row;
import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlackRendererTest {

    private static final Diagnoser DIAGNOSER = new Diagnoser(Thresholds.DEFAULT);
    private static final String PLAN_ID = "p-abcd2345";

    private static Diagnosis seed() {
        return DIAGNOSER.diagnose(seedIncident("5.7.44-log"));
    }

    private static ProposedPlan proposed(Diagnosis d) {
        RecoveryPlan plan = new Planner().plan(d, PLAN_ID, NOW);
        return new ProposedPlan(plan, "U0BOB", NOW.plus(Duration.ofMinutes(30)), PlanState.PROPOSED, "", null,
                "C0OPS", "");
    }

    // ------------------------------------------------------------------ what the DBA reads

    @Test
    void theSeedDiagnosisLeadsWithSeverityAndHeadlineThenTheNodesSideBySide() {
        SlackMessage m = SlackRenderer.diagnosis(seed());
        JsonNode blocks = BlockJson.of(m);

        JsonNode header = blocks.get(0);
        assertEquals("header", header.path("type").asText());
        assertEquals(":red_circle: shop: node1 relay log corrupt; node2 source binlog truncated by a crash",
                header.path("text").path("text").asText());
        String table = BlockJson.ofType(blocks, "section").get(0).path("text").path("text").asText();
        List<String> lines = table.lines().toList();
        assertEquals("```", lines.get(0));
        assertTrue(lines.get(1).matches("node +IO +SQL +error +exec pos +read pos +lag"), lines.get(1));
        assertTrue(lines.get(2).matches("node1 +Yes +No +1594 Relay log read failure: .+ +mysql-bin\\.000253:419130498"
                + " +mysql-bin\\.000253:569975131 +NULL"), lines.get(2));
        assertTrue(lines.get(3).matches("node2 +No +Yes +1236 Got fatal error 1236 .+ +mysql-bin\\.000234:173841457"
                + " +mysql-bin\\.000234:173841457 +NULL"), lines.get(3));
        assertEquals(lines.get(2).indexOf("mysql-bin.000253"), lines.get(3).indexOf("mysql-bin.000234"),
                "columns line up");
        assertTrue(m.text().startsWith("shop: node1 relay log corrupt"), m.text());
    }

    @Test
    void findingsAreInPlainWordsWithTheStatusFieldsThatProveThem() {
        String text = BlockJson.allText(BlockJson.of(SlackRenderer.diagnosis(seed())));

        assertTrue(text.contains("*node1: Relay log corrupt*"), text);
        assertTrue(text.contains("• Relay_Master_Log_File: `mysql-bin.000253`"), text);
        assertTrue(text.contains("• Exec_Master_Log_Pos: `419130498`"), text);
        assertTrue(text.contains("*node2: Source binlog truncated by a crash*"), text);
        assertTrue(text.contains("• Read_Master_Log_Pos: `173841457`"), text);
    }

    @Test
    void thePlanShowsTheSqlPerNodeItsRisksAndDataLossAndOneApproveButtonPerExecutableOption() {
        ProposedPlan p = proposed(seed());
        SlackMessage m = SlackRenderer.plan(p);
        JsonNode blocks = BlockJson.of(m);
        String text = BlockJson.allText(blocks);

        assertTrue(text.contains("*On node1*: Discard the corrupt relay log"), text);
        assertTrue(text.contains("```\nSTOP SLAVE;\nCHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000253', "
                + "MASTER_LOG_POS=419130498;\nSTART SLAVE;\n```"), text);
        assertTrue(text.contains("*On node2*: Resume replication from node1's next binlog, mysql-bin.000235:4"), text);
        assertTrue(text.contains("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000235', MASTER_LOG_POS=4;"), text);
        assertTrue(text.contains(":warning: *Risks*"), text);
        assertTrue(text.contains(":floppy_disk: *Estimated data loss*"), text);
        assertTrue(text.contains("requested by <@U0BOB>"), text);
        assertFalse(text.toUpperCase().contains("PASSWORD"), "plans never restate credentials");

        List<JsonNode> buttons = BlockJson.buttons(blocks);
        assertEquals(2, buttons.size(), buttons.toString());
        JsonNode approve = buttons.get(0);
        assertEquals("approve:resync", approve.path("action_id").asText());
        assertEquals(PLAN_ID + ":resync", approve.path("value").asText());
        assertEquals("primary", approve.path("style").asText());
        String confirm = approve.path("confirm").path("text").path("text").asText();
        assertTrue(confirm.startsWith("On node1: STOP SLAVE; CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000253'"), confirm);
        assertTrue(confirm.length() <= 300, confirm.length() + ": " + confirm);
        JsonNode reject = buttons.get(1);
        assertEquals("reject", reject.path("action_id").asText());
        assertEquals(PLAN_ID, reject.path("value").asText());
        int actions = BlockJson.indexOfType(blocks, "actions");
        assertTrue(actions > BlockJson.indexOfText(blocks, "*Estimated data loss*"),
                "the buttons come after what the plan does and what data is at risk");
        assertTrue(actions < BlockJson.indexOfText(blocks, "*Evidence*"), "and before the evidence");
        assertTrue(m.text().contains("Recovery plan " + PLAN_ID), m.text());
        System.out.println("the seed incident's plan message, as text:\n" + text);
    }

    @Test
    void aPlanLeadsWithOneLinePerNodeThenWhatItRunsThenTheButtonsAndKeepsTheEvidenceBelow() {
        JsonNode blocks = BlockJson.of(SlackRenderer.plan(proposed(seed())));
        String first = BlockJson.ofType(blocks, "section").get(0).path("text").path("text").asText();
        List<String> lines = first.lines().toList();
        assertEquals("*What is broken*", lines.get(0));
        assertEquals(3, lines.size(), "one line per node: " + first);
        assertTrue(lines.get(1).startsWith(":red_circle: *node1*: Relay log corrupt"), lines.get(1));
        assertTrue(lines.get(2).startsWith(":red_circle: *node2*: Source binlog truncated by a crash"), lines.get(2));
        assertTrue(lines.stream().allMatch(l -> l.length() < 260), "one short line each, not the full error: " + first);

        // Everything the plan message showed before is still in it, below the buttons.
        int actions = BlockJson.indexOfType(blocks, "actions");
        String evidence = BlockJson.allText(BlockJson.from(blocks, actions + 1));
        assertTrue(evidence.contains("*node1: Relay log corrupt*"), evidence);
        assertTrue(evidence.contains("• Relay_Master_Log_File: `mysql-bin.000253`"), evidence);
        assertTrue(evidence.contains("• Exec_Master_Log_Pos: `419130498`"), evidence);
        assertTrue(evidence.contains("• Read_Master_Log_Pos: `173841457`"), evidence);
        assertTrue(evidence.contains("Relay log read failure"), "the full error text: " + evidence);
        assertTrue(evidence.lines().anyMatch(l -> l.matches("node +IO +SQL +error +exec pos +read pos +lag")), evidence);
    }

    @Test
    void whileRunningTheMessageSaysWhoApprovedAndEachStatementsOutcome() {
        ProposedPlan p = proposed(seed());
        List<StatementOutcome> done = List.of(
                new StatementOutcome("node1", "STOP SLAVE", true, 0, "", 3),
                new StatementOutcome("node1", "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000253', MASTER_LOG_POS=419130498",
                        true, 0, "", 12));
        JsonNode blocks = BlockJson.of(SlackRenderer.planRunning(p, Planner.RESYNC, "U0ALICE", done));
        String text = BlockJson.allText(blocks);

        assertTrue(text.contains("*Approved by <@U0ALICE>*: running option `resync`, 2 of 6 statements done"), text);
        assertTrue(text.contains("OK      node1  STOP SLAVE  (3 ms)"), text);
        assertTrue(BlockJson.buttons(blocks).isEmpty(), "no buttons once approved");
    }

    @Test
    void afterTheRunTheMessageKeepsThePlanAndAddsTheOutcomeAndTheNextStep() {
        ProposedPlan p = proposed(seed()).withState(PlanState.FAILED, "U0ALICE", NOW.plusSeconds(60));
        ExecutionReport report = new ExecutionReport(PLAN_ID, Planner.RESYNC, List.of(), List.of(
                new StatementOutcome("node1", "STOP SLAVE", true, 0, "", 3),
                new StatementOutcome("node1", "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000253', MASTER_LOG_POS=419130498",
                        false, 1201, "error 1201: Could not initialize master info structure", 8)));
        ApprovalOutcome o = new ApprovalOutcome(ApprovalOutcome.Kind.FAILED,
                "stopped at the first failure on node1: error 1201", p, report, null);
        String text = BlockJson.allText(BlockJson.of(SlackRenderer.planDecided(o)));

        assertTrue(text.contains(":x: *Approved by <@U0ALICE>*"), text);
        assertTrue(text.contains("FAILED  node1  CHANGE MASTER TO"), text);
        assertTrue(text.contains("error 1201: error 1201: Could not initialize master info structure"), text);
        assertTrue(text.contains("`/mysql-resync diagnose shop`"), text);
        assertTrue(text.contains("STOP SLAVE;"), "the plan stays readable: " + text);
    }

    @Test
    void aStalePlanSaysNothingRanAndNamesTheFreshPlan() {
        ProposedPlan stale = proposed(seed()).withState(PlanState.STALE, "U0ALICE", NOW.plusSeconds(60));
        ProposedPlan fresh = new ProposedPlan(new Planner().plan(seed(), "p-fresh234", NOW), "U0BOB", NOW,
                PlanState.PROPOSED, "", null, "C0OPS", "");
        ExecutionReport report = new ExecutionReport(PLAN_ID, Planner.RESYNC,
                List.of("node2 IO thread was STOPPED, now RUNNING"), List.of());
        ApprovalOutcome o = new ApprovalOutcome(ApprovalOutcome.Kind.REFUSED_STALE,
                "the servers changed since the plan was made, so nothing was run: node2 IO thread was STOPPED, now RUNNING. Here is a fresh plan.",
                stale, report, fresh);
        JsonNode blocks = BlockJson.of(SlackRenderer.planDecided(o));
        String text = BlockJson.allText(blocks);

        assertTrue(text.contains(":hourglass: *Not run*: the servers changed"), text);
        assertTrue(text.contains("Fresh plan: `p-fresh234`"), text);
        assertTrue(BlockJson.buttons(blocks).isEmpty());
    }

    @Test
    void expiredAndRejectedPlansLoseTheirButtons() {
        for (PlanState s : List.of(PlanState.EXPIRED, PlanState.REJECTED, PlanState.SUCCEEDED)) {
            JsonNode blocks = BlockJson.of(SlackRenderer.plan(proposed(seed()).withState(s, "U0ALICE", NOW)));
            assertTrue(BlockJson.buttons(blocks).isEmpty(), s.name());
        }
        String rejected = BlockJson.allText(BlockJson.of(
                SlackRenderer.plan(proposed(seed()).withState(PlanState.REJECTED, "U0ALICE", NOW))));
        assertTrue(rejected.contains(":no_entry_sign: *Rejected by <@U0ALICE>*"), rejected);
    }

    @Test
    void statusWithoutAClusterIsOneCompactLinePerCluster() {
        Diagnosis broken = seed();
        SlackMessage m = SlackRenderer.statusOverview(List.of(broken), Map.of("billing", "connection refused"));
        String text = BlockJson.allText(BlockJson.of(m));

        assertTrue(text.contains(":red_circle: *shop*: node1 relay log corrupt; node2 source binlog truncated by a crash"
                + " · `node1 Yes/No NULL | node2 No/Yes NULL`"), text);
        assertTrue(text.contains(":grey_question: *billing*: could not be read: connection refused"), text);
    }

    @Test
    void statusWithoutAClusterShowsWhichReplicaPolledEachShardAndWhen() {
        List<ShardPoll> shards = List.of(
                new ShardPoll(0, "bot-1/4242", NOW.minusMillis(1500), NOW.minusMillis(1460), 31, false),
                new ShardPoll(1, "bot-2/777", NOW.minusSeconds(20), NOW.minusSeconds(19), 12, true),
                new ShardPoll(2, "", NOW.minusSeconds(3), null, 0, false));
        String text = BlockJson.allText(BlockJson.of(SlackRenderer.statusOverview(List.of(seed()), Map.of(), shards, NOW)));

        assertTrue(text.matches("(?s).*1 of 3  bot-1/4242 +\\d\\d:\\d\\d:\\d\\d \\(1\\.5 s ago\\) +40 ms +31\n.*"), text);
        assertTrue(text.contains("2 of 3  bot-2/777") && text.contains("(20.0 s ago)") && text.contains("LATE"), text);
        assertTrue(text.contains("3 of 3  -") && text.contains("never"), text);
        assertTrue(text.contains("a LATE shard's clusters are not being polled"), text);
    }

    @Test
    void aMonitoringGapNamesTheShardsAndTheReplicaThatPolledThemLast() {
        ShardPoll late = new ShardPoll(4, "bot-1/4242", NOW.minusSeconds(12), NOW.minusSeconds(11), 40, false);
        String gap = BlockJson.allText(BlockJson.of(SlackRenderer.shardsLate(List.of(late), 12, Duration.ofSeconds(4))));
        assertTrue(gap.contains("*Monitoring gap*: a monitor shard was not polled for more than"), gap);
        assertTrue(gap.contains("shard 5 of 12: last poll started") && gap.contains("`bot-1/4242`"), gap);
        String back = BlockJson.allText(BlockJson.of(SlackRenderer.shardsPolledAgain(
                List.of(new ShardPoll(4, "bot-2/777", NOW, NOW, 41, true)), 12)));
        assertTrue(back.contains("Monitoring resumed: shard 5 of 12 by `bot-2/777`."), back);
    }

    @Test
    void theIncidentAlertOffersToProposeAPlanUntilItIsCleared() {
        Diagnosis d = seed();
        Incident open = new Incident("i-1", "shop", IncidentState.OPEN, "node1:RELAY_LOG_CORRUPT", d.headline(),
                NOW, NOW, "", "");
        List<JsonNode> buttons = BlockJson.buttons(BlockJson.of(SlackRenderer.incident(open, d)));
        assertEquals(1, buttons.size());
        assertEquals("propose", buttons.get(0).path("action_id").asText());
        assertEquals("shop", buttons.get(0).path("value").asText());
        assertEquals("Propose recovery plan", buttons.get(0).path("text").path("text").asText());

        JsonNode alert = BlockJson.of(SlackRenderer.incident(open, d));
        String first = BlockJson.ofType(alert, "section").get(0).path("text").path("text").asText();
        assertTrue(first.startsWith("*What is broken*\n:red_circle: *node1*: Relay log corrupt"), first);
        int button = BlockJson.indexOfType(alert, "actions");
        String evidence = BlockJson.allText(BlockJson.from(alert, button + 1));
        assertTrue(evidence.contains("• Exec_Master_Log_Pos: `419130498`"), "evidence below the button: " + evidence);
        assertTrue(evidence.contains("1236 Got fatal error 1236"), evidence);

        Incident cleared = open.with(IncidentState.CLEARED, open.problemKey(), d.headline(), NOW.plusSeconds(90));
        JsonNode blocks = BlockJson.of(SlackRenderer.incident(cleared, d));
        assertTrue(BlockJson.buttons(blocks).isEmpty());
        assertTrue(blocks.get(0).path("text").path("text").asText().startsWith(":large_green_circle: Cleared: "));
    }

    @Test
    void progressShowsLagTrendAndEtaPerNode() {
        LagWatch w = LagWatch.start("shop", "C0OPS", "", NOW, "i-1");
        ProgressView v = new ProgressView("shop", List.of(
                new ProgressView.NodeProgress("node1", 3600, LagProgress.Trend.FALLING, Optional.of(Duration.ofSeconds(600)),
                        ThreadState.RUNNING, ThreadState.RUNNING, ""),
                new ProgressView.NodeProgress("node2", 0, LagProgress.Trend.FLAT, Optional.of(Duration.ZERO),
                        ThreadState.RUNNING, ThreadState.RUNNING, "")),
                LagProgress.Verdict.CATCHING_UP, 0, 3);
        JsonNode blocks = BlockJson.of(SlackRenderer.progress(w, v));
        String text = BlockJson.allText(blocks);

        assertEquals(":hourglass_flowing_sand: shop: catching up", blocks.get(0).path("text").path("text").asText());
        assertTrue(text.contains("node1  Yes  Yes  60m  falling  10m\n"), text);
        assertTrue(text.contains("In-sync checks 0/3"), text);
    }

    @Test
    void progressShowsEachNodesLagHistoryAsASparklineBesideTrendAndEta() {
        LagWatch w = LagWatch.start("shop", "C0OPS", "", NOW, "i-1");
        List<io.mysqlresync.incident.LagSample> samples = new ArrayList<>();
        long[] lags = {3600, 2700, 1800, 900};
        for (int i = 0; i < lags.length; i++) {
            samples.add(new io.mysqlresync.incident.LagSample(NOW.plusSeconds(10L * i), List.of(
                    new io.mysqlresync.incident.NodeLag("node1", lags[i], true),
                    new io.mysqlresync.incident.NodeLag("node2", 0, true))));
        }
        w = new LagWatch(w.cluster(), w.channel(), "1.2", "", NOW, samples, 0, false, "i-1");
        ProgressView v = new ProgressView("shop", List.of(
                new ProgressView.NodeProgress("node1", 900, LagProgress.Trend.FALLING, Optional.of(Duration.ofSeconds(30)),
                        ThreadState.RUNNING, ThreadState.RUNNING, ""),
                new ProgressView.NodeProgress("node2", 0, LagProgress.Trend.FLAT, Optional.of(Duration.ZERO),
                        ThreadState.RUNNING, ThreadState.RUNNING, "")),
                LagProgress.Verdict.CATCHING_UP, 0, 3);
        String text = BlockJson.allText(BlockJson.of(SlackRenderer.progress(w, v)));

        assertTrue(text.contains("node   IO   SQL  lag  history  trend    ETA\n"), text);
        assertTrue(text.contains("node1  Yes  Yes  15m  █▆▅▃     falling  30s\n"), text);
        assertTrue(text.contains("node2  Yes  Yes  0s   ▁▁▁▁     flat     0s\n"), text);
    }

    @Test
    void historyListsTheAuditTrailNewestFirstWithPeopleAsMentions() {
        List<AuditEntry> entries = List.of(
                new AuditEntry(NOW.plusSeconds(5), "shop", PLAN_ID, "U0ALICE", "approve", "option resync"),
                new AuditEntry(NOW, "shop", PLAN_ID, "U0BOB", "propose", "shop: node1 relay log corrupt"),
                new AuditEntry(NOW, "shop", "", "bot", "alert", "<!channel> & co"));
        String text = BlockJson.allText(BlockJson.of(SlackRenderer.history(Optional.of("shop"), entries)));

        assertTrue(text.contains("`2016-05-17 09:00:05 UTC` `p-abcd2345` <@U0ALICE> *approve*: option resync"), text);
        assertTrue(text.contains("bot *alert*: &lt;!channel&gt; &amp; co"), "no @channel from audit text: " + text);
    }

    // ------------------------------------------------------------------ Block Kit limits

    /** 40 nodes, each with a corrupt relay log and an error full of mrkdwn and mention syntax. */
    private static Diagnosis bigDiagnosis() {
        List<NodeStatus> nodes = new ArrayList<>();
        Map<String, String> sourceOf = new LinkedHashMap<>();
        int n = 40;
        for (int i = 0; i < n; i++) {
            String name = "db-replica-with-a-long-name-" + i;
            nodes.add(node(name, "10.11.6-MariaDB", 100, row(
                            "Master_Host: somewhere", "Master_User: repl", "Master_Port: 3306",
                            "Master_Log_File: mysql-bin.000010", "Read_Master_Log_Pos: 900000",
                            "Relay_Log_File: relay-bin.000002", "Relay_Log_Pos: 4000",
                            "Relay_Master_Log_File: mysql-bin.000010",
                            "Slave_IO_Running: Yes", "Slave_SQL_Running: No",
                            "Exec_Master_Log_Pos: 400000", "Seconds_Behind_Master: NULL",
                            "Last_IO_Errno: 0", "Last_IO_Error: ",
                            "Last_SQL_Errno: 1594",
                            "Last_SQL_Error: Relay log read failure: <!channel> & <@U0EVIL> ```" + "x".repeat(3000),
                            "Master_Server_Id: " + (i + 100)),
                    binlog("mysql-bin.000010", 1_000_000)));
            sourceOf.put(name, "db-replica-with-a-long-name-" + ((i + 1) % n));
        }
        return DIAGNOSER.diagnose(new ClusterStatus("a-cluster-with-a-name-long-enough-to-push-the-header-"
                + "over-its-limit-when-combined-with-forty-findings", nodes, sourceOf));
    }

    @Test
    void aHugeDiagnosisAndPlanStayWithinEveryBlockKitLimit() {
        Diagnosis d = bigDiagnosis();
        ProposedPlan p = proposed(d);
        for (SlackMessage m : List.of(SlackRenderer.diagnosis(d), SlackRenderer.plan(p),
                SlackRenderer.planRunning(p, Planner.RESYNC, "U0ALICE", List.of()),
                SlackRenderer.status(d), SlackRenderer.statusOverview(List.of(d, d, d), Map.of()),
                SlackRenderer.incident(new Incident("i-2", d.cluster(), IncidentState.OPEN, "k", d.headline(), NOW, NOW,
                        "", ""), d))) {
            assertWithinLimits(m);
        }
    }

    @Test
    void aTruncatedPlanSaysWhereTheFullPlanIsAndKeepsItsButtons() {
        Diagnosis d = bigDiagnosis();
        JsonNode blocks = BlockJson.of(SlackRenderer.plan(proposed(d)));
        String text = BlockJson.allText(blocks);

        assertEquals(50, blocks.size());
        assertTrue(text.contains("… truncated, full plan: `/mysql-resync plan " + d.cluster() + "`"), text);
        List<JsonNode> buttons = BlockJson.buttons(blocks);
        assertEquals(List.of("approve:resync", "reject"), buttons.stream().map(b -> b.path("action_id").asText()).toList());
        assertTrue(buttons.get(0).path("confirm").path("text").path("text").asText()
                .endsWith("… and more: read the plan above before confirming."));
        assertTrue(text.contains("… evidence truncated, all of it: `/mysql-resync diagnose " + d.cluster() + "`"), text);
        String diagnosis = BlockJson.allText(BlockJson.of(SlackRenderer.diagnosis(d)));
        assertTrue(diagnosis.contains("more findings"), "findings beyond the first ten are summarised: " + diagnosis);
    }

    @Test
    void userAndServerTextCannotMentionPeopleOrBreakTheCodeBlocks() {
        String text = BlockJson.allText(BlockJson.of(SlackRenderer.diagnosis(bigDiagnosis())));
        assertFalse(text.contains("<!channel>"), "an error message must not ping the channel");
        assertFalse(text.contains("<@U0EVIL>"));
        assertTrue(text.contains("&lt;!channel&gt; &amp; &lt;@U0EVIL&gt;"), text);
    }

    static void assertWithinLimits(SlackMessage m) {
        JsonNode blocks = BlockJson.of(m);
        assertFalse(m.text().isBlank(), "fallback text");
        assertTrue(m.text().length() <= BlockKit.MAX_FALLBACK_TEXT, "fallback " + m.text().length());
        assertTrue(blocks.size() <= 50, "blocks: " + blocks.size());
        for (JsonNode b : blocks) {
            switch (b.path("type").asText()) {
                case "header" -> assertTrue(b.path("text").path("text").asText().length() <= 150,
                        "header " + b.path("text").path("text").asText().length());
                case "section" -> {
                    String t = b.path("text").path("text").asText();
                    assertTrue(t.length() <= 3000, "section " + t.length());
                    assertEquals(0, count(t, "```") % 2, "a code block left open:\n" + t);
                }
                case "context" -> b.path("elements").forEach(e ->
                        assertTrue(e.path("text").asText().length() <= 2000, "context " + e.path("text").asText().length()));
                case "actions" -> b.path("elements").forEach(e -> {
                    assertTrue(e.path("value").asText().length() <= 2000);
                    assertTrue(e.path("text").path("text").asText().length() <= 75);
                    assertTrue(e.path("action_id").asText().length() <= 255);
                    if (e.has("confirm")) {
                        assertTrue(e.path("confirm").path("text").path("text").asText().length() <= 300);
                        assertTrue(e.path("confirm").path("title").path("text").asText().length() <= 100);
                    }
                });
                case "divider" -> { }
                default -> throw new AssertionError("unexpected block " + b);
            }
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) n++;
        return n;
    }

    @Test
    void humanDurations() {
        assertEquals("59s", Durations.compact(59));
        assertEquals("2m", Durations.compact(120));
        assertEquals("13h 36m", Durations.compact(48988));
        assertEquals("2d 0h", Durations.compact(Duration.ofDays(2).toSeconds()));
        assertEquals("16h 49m", Durations.compact(60590));
    }
}
