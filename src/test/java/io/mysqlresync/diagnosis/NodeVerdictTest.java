package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.testsupport.Statuses.binlog;
import static io.mysqlresync.testsupport.Statuses.node;
import static io.mysqlresync.testsupport.Statuses.pair;
import static io.mysqlresync.testsupport.Statuses.row;
import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-node grouping the console and Slack "what is broken" lines share. */
class NodeVerdictTest {

    private final Diagnoser diagnoser = new Diagnoser(Thresholds.DEFAULT);

    @Test
    void inTheSeedIncidentEachNodeIsBrokenWithItsWorstFindingFirst() {
        List<NodeVerdict> verdicts = diagnoser.diagnose(seedIncident("5.7.44-log")).byNodeBrokenFirst();
        assertEquals(List.of("node1", "node2"), verdicts.stream().map(NodeVerdict::node).toList());
        NodeVerdict node1 = verdicts.get(0);
        assertFalse(node1.fine());
        assertEquals(FindingKind.RELAY_LOG_CORRUPT, node1.worst().kind());
        assertEquals(List.of("Relay log corrupt", "Server restarted recently"), node1.kinds());
        assertEquals(FindingKind.SOURCE_BINLOG_TRUNCATED, verdicts.get(1).worst().kind());
    }

    @Test
    void aFineNodeComesAfterTheBrokenOneAndKeepsItsReplicaToSayHowItReplicates() {
        NodeStatus fine = node("node1", "8.0.36", 100_000, row("Master_Host: node2", "Slave_IO_Running: Yes",
                "Slave_SQL_Running: Yes", "Seconds_Behind_Master: 0"), binlog("binlog.000010", 900));
        NodeStatus stopped = node("node2", "8.0.36", 100_000, row("Master_Host: node1", "Slave_IO_Running: Yes",
                "Slave_SQL_Running: No", "Last_SQL_Errno: 1062", "Last_SQL_Error: Duplicate entry '7' for key 'PRIMARY'",
                "Seconds_Behind_Master: NULL"), binlog("binlog.000010", 900));
        ClusterStatus status = pair(fine, stopped);
        List<NodeVerdict> verdicts = diagnoser.diagnose(status).byNodeBrokenFirst();
        assertEquals(List.of("node2", "node1"), verdicts.stream().map(NodeVerdict::node).toList());
        assertTrue(verdicts.get(1).fine());
        assertTrue(verdicts.get(1).problems().isEmpty(), "HEALTHY is not a problem");
        assertEquals("node2", verdicts.get(1).replica().orElseThrow().sourceHost());
        assertEquals(FindingKind.DUPLICATE_KEY, verdicts.get(0).worst().kind());
    }
}
