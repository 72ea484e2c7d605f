package io.mysqlresync.mysql;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.testsupport.PairReader;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica pointed at the wrong port is a configuration finding, not "source down": node1 is
 * healthy and answers the bot, and replication will not resume by itself.
 */
class WrongSourceOnRealServersTest extends OnAResetPair {

    @Test
    void aReplicaPointedAtTheWrongPortIsAWrongSourceNotASourceDown(LocalPair pair) throws Exception {
        int wrongPort = freePort();
        Map<String, String> row = pair.pointReplicaAtPort(Node.NODE2, wrongPort);
        assertEquals(Integer.toString(wrongPort), row.get("Master_Port"));

        Diagnosis d = bot.diagnose();

        // (a freshly reset sandbox also reports RECENTLY_RESTARTED, which is beside the point here)
        List<Finding> node2 = d.findings().stream().filter(f -> f.node().equals("node2")
                && f.kind() != FindingKind.RECENTLY_RESTARTED).toList();
        assertEquals(List.of(FindingKind.WRONG_SOURCE), node2.stream().map(Finding::kind).toList(), d.findings().toString());
        Finding f = node2.get(0);
        String configured = pair.node1().host() + ":" + pair.node1().port();
        assertTrue(f.summary().contains(":" + wrongPort) && f.summary().contains(configured), f.summary());
        assertFalse(f.explanation().contains("resumes by itself"), f.explanation());
        assertTrue(f.explanation().contains("not an outage"), f.explanation());
        assertTrue(f.evidence().stream().anyMatch(e -> e.field().equals("Master_Port") && e.value().equals("" + wrongPort)));
        assertTrue(f.evidence().stream().anyMatch(e -> e.field().equals("node1 configured address")
                && e.value().equals(configured)));
        // node1 itself is fine: nothing says it is down
        assertTrue(d.findings().stream().noneMatch(x -> x.kind() == FindingKind.SOURCE_UNREACHABLE
                || x.kind() == FindingKind.NODE_UNREACHABLE), d.findings().toString());

        RecoveryPlan plan = new Planner().plan(d, "p-wrongport", d.at());
        assertTrue(plan.executableOptions().isEmpty(), "the bot never rewrites replication settings");
        String manual = String.join("\n", plan.manualActions()) + "\n"
                + String.join("\n", plan.options().stream().flatMap(o -> o.manualActions().stream()).toList());
        assertTrue(manual.contains("127.0.0.1:" + wrongPort) && manual.contains(configured), manual);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
