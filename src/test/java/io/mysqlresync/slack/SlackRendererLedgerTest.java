package io.mysqlresync.slack;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.ledger.AtRiskTransaction;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.ledger.TableRows;
import io.mysqlresync.recovery.Planner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.mysqlresync.testsupport.Statuses.NOW;
import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ledger in Slack: one line under the diagnosis, and the plan's data loss in transactions, not bytes. */
class SlackRendererLedgerTest {

    private static final String LINE = "2 transactions on shop.orders, 2 rows, ids 547, 549, may exist on node2 only "
            + "(cut from node1's binlog mysql-bin.000234 by the crash)";

    private static Diagnosis seedWithLedger() {
        DirectionLedger lost = new DirectionLedger("node1", "node2", "cut from node1's binlog mysql-bin.000234 by the crash",
                "GTIDs 1-1-501 to 1-1-502", 2, List.of(
                new AtRiskTransaction("1-1-501", NOW, List.of(new TableRows("shop.orders", 1, List.of("id"), List.of(List.of("547"))))),
                new AtRiskTransaction("1-1-502", NOW, List.of(new TableRows("shop.orders", 1, List.of("id"), List.of(List.of("549")))))),
                List.of(), List.of());
        return new Diagnoser(Thresholds.DEFAULT).diagnose(seedIncident("10.11.19-MariaDB"))
                .withLedgerFrom((status, truncated) -> LossLedger.of(List.of(lost)));
    }

    @Test
    void theDiagnosisCarriesTheLedgerAsOneLine() {
        String text = BlockJson.allText(BlockJson.of(SlackRenderer.diagnosis(seedWithLedger())));
        assertEquals(1, text.split(java.util.regex.Pattern.quote(LINE), -1).length - 1, text);
    }

    @Test
    void thePlansDataLossIsTheLedgersLineWithTheBytesAsEvidence() {
        Diagnosis d = seedWithLedger();
        ProposedPlan p = new ProposedPlan(new Planner().plan(d, "p-abcd2345", NOW), "U0BOB",
                NOW.plus(Duration.ofMinutes(30)), PlanState.PROPOSED, "", null, "C0OPS", "");
        String text = BlockJson.allText(BlockJson.of(SlackRenderer.plan(p)));
        String loss = text.substring(text.indexOf("Estimated data loss"));
        assertTrue(loss.contains(LINE + " (Evidence: node1's mysql-bin.000234 ends at 173000000; node2 had read to "
                + "173841457: 841457 bytes.)"), loss);
    }
}
