package io.mysqlresync.incident;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.replication.NodeStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.mysqlresync.testsupport.Statuses.NOW;
import static io.mysqlresync.testsupport.Statuses.node;
import static io.mysqlresync.testsupport.Statuses.pair;
import static io.mysqlresync.testsupport.Statuses.row;
import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertEquals;

class IncidentTrackerTest {

    private final Diagnoser diagnoser = new Diagnoser(Thresholds.DEFAULT);
    private final IncidentTracker tracker = new IncidentTracker();

    private static NodeStatus healthy(String name, String source) {
        return node(name, "10.11.19-MariaDB", 100_000, row("Master_Host: " + source,
                "Master_Log_File: mysql-bin.000001", "Read_Master_Log_Pos: 100",
                "Relay_Master_Log_File: mysql-bin.000001", "Exec_Master_Log_Pos: 100",
                "Relay_Log_File: relay-bin.000001", "Relay_Log_Pos: 4",
                "Slave_IO_Running: Yes", "Slave_SQL_Running: Yes", "Seconds_Behind_Master: 0"));
    }

    private final Diagnosis healthy = diagnoser.diagnose(pair(healthy("node1", "node2"), healthy("node2", "node1")));
    private final Diagnosis broken = diagnoser.diagnose(seedIncident("10.11.19-MariaDB"));

    @Test
    void aHealthyClusterOpensNothing() {
        assertEquals(IncidentTracker.Action.NONE, tracker.decide(Optional.empty(), healthy, List.of(), NOW, () -> "i-1").action());
    }

    @Test
    void aProblemOpensOneIncidentAndTheSameProblemOnTheNextPollIsNotNews() {
        IncidentTracker.Decision first = tracker.decide(Optional.empty(), broken, List.of(), NOW, () -> "i-1");
        assertEquals(IncidentTracker.Action.OPEN, first.action());
        assertEquals("node1:RELAY_LOG_CORRUPT,node2:SOURCE_BINLOG_TRUNCATED", first.incident().problemKey());
        IncidentTracker.Decision second = tracker.decide(Optional.of(first.incident()), broken, List.of(),
                NOW.plusSeconds(2), () -> "i-2");
        assertEquals(IncidentTracker.Action.NONE, second.action());
    }

    @Test
    void aDifferentProblemUpdatesTheOpenIncident() {
        Incident open = tracker.decide(Optional.empty(), broken, List.of(), NOW, () -> "i-1").incident();
        Diagnosis unreachable = diagnoser.diagnose(pair(NodeStatus.unreachable("node1", NOW, "connect timed out"),
                healthy("node2", "node1")));
        IncidentTracker.Decision d = tracker.decide(Optional.of(open), unreachable, List.of(), NOW, () -> "i-2");
        assertEquals(IncidentTracker.Action.UPDATE, d.action());
        assertEquals("i-1", d.incident().id());
    }

    @Test
    void aProblemThatGoesAwayClearsOnce() {
        Incident open = tracker.decide(Optional.empty(), broken, List.of(), NOW, () -> "i-1").incident();
        IncidentTracker.Decision d = tracker.decide(Optional.of(open), healthy, List.of(), NOW, () -> "i-2");
        assertEquals(IncidentTracker.Action.CLEAR, d.action());
        assertEquals(IncidentState.CLEARED, d.incident().state());
    }

    @Test
    void aRestartIsAnIncidentEvenWhenReplicationLooksHealthy() {
        IncidentTracker.Decision d = tracker.decide(Optional.empty(), healthy, List.of("node1"), NOW, () -> "i-1");
        assertEquals(IncidentTracker.Action.OPEN, d.action());
        assertEquals("node1:RESTARTED", d.incident().problemKey());
    }

    @Test
    void anIncidentUnderRecoveryBelongsToTheLagWatch() {
        Incident catchingUp = new Incident("i-1", "shop", IncidentState.CATCHING_UP, "x", "h", NOW, NOW, "", "");
        assertEquals(IncidentTracker.Action.NONE,
                tracker.decide(Optional.of(catchingUp), broken, List.of(), Instant.now(), () -> "i-2").action());
    }
}
