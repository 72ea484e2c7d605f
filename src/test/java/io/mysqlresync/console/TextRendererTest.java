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
}
