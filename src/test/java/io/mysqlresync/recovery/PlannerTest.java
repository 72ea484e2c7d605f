package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.mysqlresync.testsupport.Statuses.binlog;
import static io.mysqlresync.testsupport.Statuses.node;
import static io.mysqlresync.testsupport.Statuses.pair;
import static io.mysqlresync.testsupport.Statuses.row;
import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlannerTest {

    private final Diagnoser diagnoser = new Diagnoser(Thresholds.DEFAULT);
    private final Planner planner = new Planner();

    private RecoveryPlan plan(ClusterStatus s) {
        return planner.plan(diagnoser.diagnose(s), "p-test0001", Instant.EPOCH);
    }

    private static NodeStep stepOn(PlanOption o, String node) {
        return o.steps().stream().filter(s -> s.node().equals(node)).findFirst().orElseThrow();
    }

    @Test
    void givenNode1sRelayLogIsCorruptThePlanOnNode1RestartsFromTheExecutedPositionAndKeepsItsSource() {
        RecoveryPlan plan = plan(seedIncident("5.7.44-log"));
        PlanOption resync = plan.option(Planner.RESYNC).orElseThrow();
        assertTrue(resync.executable());
        assertEquals(List.of("STOP SLAVE",
                        "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000253', MASTER_LOG_POS=419130498",
                        "START SLAVE"),
                stepOn(resync, "node1").statements());
    }

    @Test
    void givenNode1sBinlogWasTruncatedNode2ResumesAtTheStartOfNode1sNextBinlog() {
        RecoveryPlan plan = plan(seedIncident("5.7.44-log"));
        PlanOption resync = plan.option(Planner.RESYNC).orElseThrow();
        assertEquals(List.of("STOP SLAVE",
                        "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000235', MASTER_LOG_POS=4",
                        "START SLAVE"),
                stepOn(resync, "node2").statements());
        assertTrue(resync.estimatedDataLoss().stream().anyMatch(l -> l.contains("841457 bytes")),
                resync.estimatedDataLoss().toString());
    }

    @Test
    void noStatementEverRestatesHostUserOrPassword() {
        for (String version : List.of("5.7.44-log", "8.0.36", "8.4.3", "10.11.19-MariaDB")) {
            RecoveryPlan plan = plan(seedIncident(version));
            for (PlanOption o : plan.options()) {
                for (NodeStep s : o.steps()) {
                    for (String sql : s.statements()) {
                        String upper = sql.toUpperCase();
                        assertFalse(upper.contains("HOST") || upper.contains("USER") || upper.contains("PASSWORD"),
                                version + ": " + sql);
                    }
                }
            }
        }
    }

    @Test
    void theSeedPlanOnMysql84UsesReplicationSourceSyntax() {
        RecoveryPlan plan = plan(seedIncident("8.4.3"));
        PlanOption resync = plan.option(Planner.RESYNC).orElseThrow();
        assertEquals(List.of("STOP REPLICA",
                        "CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='mysql-bin.000235', SOURCE_LOG_POS=4",
                        "START REPLICA"),
                stepOn(resync, "node2").statements());
    }

    @Test
    void preconditionsPinEveryNodesStoppedThreadPositions() {
        RecoveryPlan plan = plan(seedIncident("5.7.44-log"));
        assertEquals(2, plan.preconditions().size());
        NodeExpectation node1 = plan.preconditions().get(0);
        assertEquals("node1", node1.node());
        assertEquals("mysql-bin.000253:419130498", node1.executed().toString());
        assertEquals(null, node1.received(), "the IO thread runs, its position moves by itself");
    }

    @Test
    void aPlanIsStaleWhenTheExecutedPositionMoved() {
        ClusterStatus before = seedIncident("5.7.44-log");
        RecoveryPlan plan = plan(before);
        NodeStatus node2 = before.node("node2").orElseThrow();
        // someone fixed node2 by hand: its IO thread runs again
        NodeStatus node2Now = node("node2", "5.7.44-log", 8_000_000, row(
                "Master_Host: node1", "Master_Log_File: mysql-bin.000235", "Read_Master_Log_Pos: 900",
                "Relay_Master_Log_File: mysql-bin.000235", "Exec_Master_Log_Pos: 900",
                "Relay_Log_File: relay-bin.000199", "Relay_Log_Pos: 4",
                "Slave_IO_Running: Yes", "Slave_SQL_Running: Yes", "Seconds_Behind_Master: 0"));
        List<String> diffs = plan.preconditions().get(1).differencesFrom(node2Now);
        assertFalse(diffs.isEmpty());
        assertTrue(diffs.stream().anyMatch(d -> d.contains("IO thread was STOPPED, now RUNNING")), diffs.toString());
        assertTrue(plan.preconditions().get(1).differencesFrom(node2).isEmpty(), "unchanged node matches");
    }

    @Test
    void aDuplicateKeyOffersSkipAndRebuildNeverASilentSkip() {
        NodeStatus n1 = node("node1", "10.11.19-MariaDB", 100_000, row(
                "Master_Host: node2", "Master_Log_File: mysql-bin.000001", "Read_Master_Log_Pos: 100",
                "Relay_Master_Log_File: mysql-bin.000001", "Exec_Master_Log_Pos: 100",
                "Relay_Log_File: relay-bin.000002", "Relay_Log_Pos: 300",
                "Slave_IO_Running: Yes", "Slave_SQL_Running: Yes", "Seconds_Behind_Master: 0"),
                binlog("mysql-bin.000001", 5000));
        NodeStatus n2 = node("node2", "10.11.19-MariaDB", 100_000, row(
                "Master_Host: node1", "Master_Log_File: mysql-bin.000001", "Read_Master_Log_Pos: 5000",
                "Relay_Master_Log_File: mysql-bin.000001", "Exec_Master_Log_Pos: 4000",
                "Relay_Log_File: relay-bin.000002", "Relay_Log_Pos: 700",
                "Slave_IO_Running: Yes", "Slave_SQL_Running: No",
                "Last_SQL_Errno: 1062", "Last_SQL_Error: Duplicate entry '7' for key 'PRIMARY'"),
                binlog("mysql-bin.000001", 100));
        RecoveryPlan plan = plan(pair(n1, n2));
        assertTrue(plan.option(Planner.RESYNC).isEmpty(), "nothing is safe to do automatically");
        PlanOption skip = plan.option(Planner.SKIP_EVENT).orElseThrow();
        assertEquals(List.of("STOP SLAVE", "SET GLOBAL sql_slave_skip_counter = 1", "START SLAVE"),
                stepOn(skip, "node2").statements());
        assertTrue(skip.risks().stream().anyMatch(r -> r.contains("stay different")));
        PlanOption rebuild = plan.option(Planner.REBUILD).orElseThrow();
        assertFalse(rebuild.executable());
    }

    @Test
    void aHealthyPairNeedsNothing() {
        NodeStatus n1 = node("node1", "8.0.36", 100_000, row("Source_Host: node2",
                "Source_Log_File: binlog.000001", "Read_Source_Log_Pos: 100", "Relay_Source_Log_File: binlog.000001",
                "Exec_Source_Log_Pos: 100", "Relay_Log_File: r.000001", "Relay_Log_Pos: 4",
                "Replica_IO_Running: Yes", "Replica_SQL_Running: Yes", "Seconds_Behind_Source: 0"));
        NodeStatus n2 = node("node2", "8.0.36", 100_000, row("Source_Host: node1",
                "Source_Log_File: binlog.000001", "Read_Source_Log_Pos: 100", "Relay_Source_Log_File: binlog.000001",
                "Exec_Source_Log_Pos: 100", "Relay_Log_File: r.000001", "Relay_Log_Pos: 4",
                "Replica_IO_Running: Yes", "Replica_SQL_Running: Yes", "Seconds_Behind_Source: 0"));
        Diagnosis d = diagnoser.diagnose(pair(n1, n2));
        assertTrue(d.inSync());
        assertTrue(planner.plan(d, "p-test0002", Instant.EPOCH).nothingToDo());
    }
}
