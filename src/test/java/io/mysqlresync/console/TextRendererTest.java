package io.mysqlresync.console;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextRendererTest {

    private static Diagnosis seed() {
        return new Diagnoser(Thresholds.DEFAULT).diagnose(seedIncident("5.7.44-log"));
    }

    @Test
    void whatIsBrokenIsOneShortLinePerNodeWorstFindingFirst() {
        List<String> lines = TextRenderer.whatIsBroken(seed()).lines().toList();
        assertEquals("What is broken:", lines.get(0));
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(1).matches(" +\\[BROKEN] node1 +Relay log corrupt \\+ Server restarted recently: .+"),
                lines.get(1));
        assertTrue(lines.get(2).matches(" +\\[BROKEN] node2 +Source binlog truncated by a crash: .+"), lines.get(2));
        assertTrue(lines.stream().allMatch(l -> l.length() < 220), lines.toString());
    }

    @Test
    void theEvidenceKeepsTheNodeTableEveryStatusFieldAndTheFullErrorTexts() {
        Diagnosis d = seed();
        String evidence = TextRenderer.evidence(d);
        assertTrue(evidence.startsWith("Evidence (status read at " + d.at() + "):\nnode "), evidence);
        String full = TextRenderer.diagnosis(d);
        // Everything the diagnosis says after its headline, nothing lost.
        assertTrue(evidence.endsWith(full.substring(full.indexOf('\n') + 1).stripLeading()), evidence);
        assertTrue(evidence.contains("Relay_Master_Log_File"), evidence);
        assertTrue(evidence.contains("Relay log read failure: Could not parse relay log event entry"), evidence);
    }

    @Test
    void theTerminalProgressEndsEachNodesLineWithItsLagHistory() {
        java.time.Instant t0 = java.time.Instant.parse("2026-11-30T03:00:00Z");
        List<io.mysqlresync.incident.LagSample> samples = List.of(
                new io.mysqlresync.incident.LagSample(t0, List.of(new io.mysqlresync.incident.NodeLag("node1", 120, true))),
                new io.mysqlresync.incident.LagSample(t0.plusSeconds(10), List.of(new io.mysqlresync.incident.NodeLag("node1", 60, true))),
                new io.mysqlresync.incident.LagSample(t0.plusSeconds(20), List.of(new io.mysqlresync.incident.NodeLag("node1", 0, true))));
        io.mysqlresync.incident.LagWatch w = new io.mysqlresync.incident.LagWatch("shop", "console", "1", "", t0, samples,
                1, false, "");
        io.mysqlresync.incident.ProgressView v = new io.mysqlresync.incident.ProgressView("shop", List.of(
                new io.mysqlresync.incident.ProgressView.NodeProgress("node1", 0,
                        io.mysqlresync.incident.LagProgress.Trend.FALLING, java.util.Optional.of(java.time.Duration.ZERO),
                        io.mysqlresync.replication.ThreadState.RUNNING, io.mysqlresync.replication.ThreadState.RUNNING, "")),
                io.mysqlresync.incident.LagProgress.Verdict.CATCHING_UP, 1, 3);
        String line = TextRenderer.progress(v, w).lines().toList().get(1);
        assertTrue(line.endsWith("ETA 0 s  █▅▁"), line);
        assertTrue(!TextRenderer.progress(v).contains("█"), "without the watch, no history");
    }
}
