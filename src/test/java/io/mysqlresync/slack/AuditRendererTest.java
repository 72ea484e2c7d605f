package io.mysqlresync.slack;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.audit.Fix;
import io.mysqlresync.audit.Safety;
import io.mysqlresync.audit.SettingFinding;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.testsupport.Statuses;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit in Block Kit: one cause section in the diagnosis, alert and plan; the audit per node, unsafe first. */
class AuditRendererTest {

    private static final String MARIADB = "10.11.19-MariaDB-0+deb12u1";
    private static final String CAUSE = "node1 runs sync_binlog=0: the power cut lost its binlog tail, which is why"
            + " node2 asked for a position past the end";

    private static Diagnosis seed() {
        return new Diagnoser(Thresholds.DEFAULT).diagnose(Statuses.seedIncident(MARIADB));
    }

    private static String text(SlackMessage m) {
        return BlockJson.allText(BlockJson.of(m));
    }

    private static int count(String text, String needle) {
        return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void theCauseIsOneSectionOfTheDiagnosisAndTheAlertAndNothingWithoutOne() {
        Diagnosis explained = seed().withCauses(List.of(CAUSE));
        Instant now = explained.at();
        Incident open = new Incident("i-1", explained.cluster(), IncidentState.OPEN, "k", explained.headline(), now, now,
                "", "");
        for (SlackMessage m : List.of(SlackRenderer.diagnosis(explained), SlackRenderer.incident(open, explained))) {
            String text = text(m);
            assertEquals(1, count(text, "*Why it happened*"), text);
            assertTrue(text.contains("• " + CAUSE), text);
            assertTrue(text.contains("`/mysql-resync audit shop`"), text);
        }
        assertFalse(text(SlackRenderer.diagnosis(seed())).contains("Why it happened"));
        assertFalse(text(SlackRenderer.incident(open, seed())).contains("Why it happened"));
    }

    @Test
    void theAuditListsEachNodeUnsafeFirstWithItsFixAndSaysWhichNodesWereNotRead() {
        // As the rules list them: a risky item before an unsafe one.
        AuditReport report = new AuditReport("shop", List.of(
                new SettingFinding("node1", "binlog_format", "binlog_format", "MIXED", "ROW", Safety.RISKY,
                        "statements replayed", new Fix(List.of("SET GLOBAL binlog_format = 'ROW'"), "", "", false)),
                new SettingFinding("node1", "sync_binlog", "sync_binlog", "0", "1", Safety.UNSAFE,
                        "a power cut loses its tail", new Fix(List.of("SET GLOBAL sync_binlog = 1"), "", "", false)),
                new SettingFinding("node1", "binlog_checksum", "binlog_checksum", "CRC32", "CRC32", Safety.FINE, "",
                        Fix.NONE)),
                Map.of("node2", "connection refused"));

        String text = text(AuditRenderer.audit(report));

        assertTrue(text.contains("Crash-safety audit of shop: UNSAFE"), text);
        assertTrue(text.contains("node2*: not audited: connection refused"), text);
        int unsafe = text.indexOf("*UNSAFE* node1 `sync_binlog = 0`, recommended `1`");
        int risky = text.indexOf("*RISKY* node1");
        assertTrue(unsafe > text.indexOf("*node1*: 2 to fix (1 fine)") && risky > unsafe, "unsafe first\n" + text);
        assertTrue(text.contains("SET GLOBAL sync_binlog = 1;"), text);
        assertTrue(text.contains("no restart needed"), text);
    }
}
