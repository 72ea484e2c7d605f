package io.mysqlresync.mysql;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.recovery.ExecutionReport;
import io.mysqlresync.recovery.NodeStep;
import io.mysqlresync.recovery.PlanExecutor;
import io.mysqlresync.recovery.PlanOption;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.sandbox.SeedIncident;
import io.mysqlresync.testsupport.PairReader;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replication doctor end to end on real servers: the JDBC reader as the least-privilege bot
 * user, the diagnosis, the plan and the executor, against pairs broken the way crashes break them.
 */
class RealPairDoctorTest extends OnAResetPair {

    /**
     * A poll asks the server id, read_only and GTID position in one SELECT; the version only once
     * per connection. (The other status queries are SHOWs, counted elsewhere.)
     */
    @Test
    void aKeptConnectionIsAskedItsVersionOnceAndOneSelectPerRead(LocalPair pair) throws Exception {
        reader.read(CLUSTER); // opens the connections and asks the versions
        long start = comSelect(pair);
        long countingAlone = comSelect(pair) - start; // the counting query's own connection selects too
        long before = comSelect(pair);
        reader.read(CLUSTER);
        reader.read(CLUSTER);
        assertEquals(2, comSelect(pair) - before - countingAlone, "two reads of node1 over its kept connection");
    }

    private static long comSelect(LocalPair pair) throws Exception {
        return Long.parseLong(pair.node1().query("SHOW GLOBAL STATUS LIKE 'Com_select'").get(0).get("Value"));
    }

    private static List<FindingKind> kinds(Diagnosis d, String node) {
        return d.on(node).stream().map(Finding::kind).filter(k -> k != FindingKind.RECENTLY_RESTARTED).toList();
    }

    @Test
    void theSeedIncidentOnRealServersYieldsBothFindingsAndBothPlansAndThePlansRepairThePair(LocalPair pair)
            throws Exception {
        SeedIncident seed = pair.reproduceSeedIncident();

        Diagnosis d = diagnose();
        assertEquals(List.of(FindingKind.RELAY_LOG_CORRUPT), kinds(d, "node1"), d.findings().toString());
        assertEquals(List.of(FindingKind.SOURCE_BINLOG_TRUNCATED), kinds(d, "node2"), d.findings().toString());

        RecoveryPlan plan = new Planner().plan(d, "p-seedtest", d.at());
        PlanOption resync = plan.option(Planner.RESYNC).orElseThrow();
        NodeStep node1 = resync.steps().stream().filter(s -> s.node().equals("node1")).findFirst().orElseThrow();
        NodeStep node2 = resync.steps().stream().filter(s -> s.node().equals("node2")).findFirst().orElseThrow();
        String executedFile = seed.node1Replica().get("Relay_Master_Log_File");
        String executedPos = seed.node1Replica().get("Exec_Master_Log_Pos");
        assertEquals("CHANGE MASTER TO MASTER_LOG_FILE='" + executedFile + "', MASTER_LOG_POS=" + executedPos,
                node1.statements().get(1));
        assertEquals("CHANGE MASTER TO MASTER_LOG_FILE='" + seed.node1NewBinlog() + "', MASTER_LOG_POS=4",
                node2.statements().get(1));
        long lost = seed.node2ReadPosition() - seed.binlogTruncatedTo();
        assertTrue(resync.estimatedDataLoss().stream().anyMatch(l -> l.contains(lost + " bytes")),
                resync.estimatedDataLoss().toString());

        PlanExecutor executor = new PlanExecutor(reader, new JdbcStatementRunner(connections));
        ExecutionReport report = executor.execute(plan, Planner.RESYNC, o -> { });
        assertTrue(report.succeeded(), report.toString());
        assertEquals(6, report.outcomes().size());

        // Both threads back on both nodes, and the lag down to 0.
        for (Node n : Node.values()) {
            pair.awaitReplica(n, "both threads running with no lag", s -> "Yes".equals(s.get("Slave_IO_Running"))
                    && "Yes".equals(s.get("Slave_SQL_Running")) && "0".equals(s.get("Seconds_Behind_Master")));
        }
        pair.writeRows(Node.NODE1, 5);
        pair.writeRows(Node.NODE2, 5);
        pair.awaitInSync();
        Diagnosis after = diagnose();
        assertTrue(after.inSync(), after.findings().toString());
    }

    @Test
    void aGtidPairIsReadAsGtidAndAStoppedReplicaIsRestarted(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.GTID);
        pair.writeRows(Node.NODE1, 3);
        pair.awaitInSync();
        Diagnosis healthy = diagnose();
        assertTrue(healthy.inSync(), healthy.findings().toString());
        var node2 = healthy.status().node("node2").orElseThrow();
        assertTrue(node2.replica().orElseThrow().usesGtid(), "Using_Gtid: Slave_Pos");
        assertFalse(node2.gtidExecuted().isEmpty(), "@@gtid_current_pos is read");

        pair.stopReplicationByOperator(Node.NODE2);
        pair.writeRows(Node.NODE1, 3);
        Diagnosis stopped = diagnose();
        RecoveryPlan plan = new Planner().plan(stopped, "p-gtidtest", stopped.at());
        ExecutionReport report = new PlanExecutor(reader, new JdbcStatementRunner(connections))
                .execute(plan, Planner.RESYNC, o -> { });
        assertTrue(report.succeeded(), report.toString());
        pair.awaitInSync();
        assertTrue(diagnose().inSync());
    }

    @Test
    void aPlanIsRefusedWhenTheServersChangedSinceItWasMade(LocalPair pair) throws Exception {
        pair.stopReplicationByOperator(Node.NODE2);
        Diagnosis d = diagnose();
        assertEquals(List.of(FindingKind.THREADS_STOPPED_BY_OPERATOR), kinds(d, "node2"));
        RecoveryPlan plan = new Planner().plan(d, "p-staletst", d.at());
        pair.startReplication(Node.NODE2);   // someone fixed it by hand meanwhile
        // The IO thread shows Connecting for a moment after START SLAVE; the test is about Yes.
        pair.awaitReplica(Node.NODE2, "the IO thread is running", r -> "Yes".equals(r.get("Slave_IO_Running")));

        List<String> ran = new ArrayList<>();
        ExecutionReport report = new PlanExecutor(reader, new JdbcStatementRunner(connections))
                .execute(plan, Planner.RESYNC, o -> ran.add(o.sql()));
        assertTrue(report.refused());
        assertTrue(ran.isEmpty());
        assertTrue(report.refusals().stream().anyMatch(r -> r.contains("node2 IO thread was STOPPED, now RUNNING")),
                report.refusals().toString());
    }

    @Test
    void duplicateKeyOnARealReplica(LocalPair pair) throws Exception {
        pair.causeDuplicateKey(Node.NODE2);
        assertEquals(List.of(FindingKind.DUPLICATE_KEY), kinds(diagnose(), "node2"));
    }

    @Test
    void rowNotFoundOnARealReplica(LocalPair pair) throws Exception {
        pair.causeRowNotFound(Node.NODE2);
        assertEquals(List.of(FindingKind.ROW_NOT_FOUND), kinds(diagnose(), "node2"));
    }

    @Test
    void replicationUserLockedOutOnARealSource(LocalPair pair) throws Exception {
        pair.breakReplicationAuth(Node.NODE2);
        try {
            assertEquals(List.of(FindingKind.REPLICATION_AUTH_FAILURE), kinds(diagnose(), "node2"));
        } finally {
            pair.restoreReplicationAuth(Node.NODE2);
        }
    }

    @Test
    void aKilledNodeIsUnreachableAndItsPeerCannotReachItsSource(LocalPair pair) throws Exception {
        pair.makeSourceUnreachable(Node.NODE2);   // kills node1
        long start = System.nanoTime();
        Diagnosis d = diagnose();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(List.of(FindingKind.NODE_UNREACHABLE), kinds(d, "node1"));
        assertEquals(List.of(FindingKind.SOURCE_UNREACHABLE), kinds(d, "node2"));
        assertTrue(millis < 10_000, "a dead node must not block the read: " + millis + " ms");
        pair.startNode(Node.NODE1);
    }

    @Test
    void theFirstReadAfterANodeRestartedSeesItBackNotUnreachable(LocalPair pair) throws Exception {
        assertTrue(diagnose().status().node("node1").orElseThrow().reachable());  // connection now kept
        pair.killHard(Node.NODE1);
        pair.startNode(Node.NODE1);
        Diagnosis d = diagnose();
        assertTrue(d.status().node("node1").orElseThrow().reachable(), d.findings().toString());
        assertTrue(kinds(d, "node1").stream().noneMatch(k -> k == FindingKind.NODE_UNREACHABLE));
    }

    @Test
    void aLaggingReplicaIsLagging(LocalPair pair) throws Exception {
        try (AutoCloseable hold = pair.startLag(Node.NODE2, Duration.ofSeconds(7))) {
            Diagnosis d = diagnose();
            assertEquals(List.of(FindingKind.LAGGING), kinds(d, "node2"), d.findings().toString());
            assertFalse(d.broken());
        }
    }

    @Test
    void aHealthyPairIsInSyncAndNeedsNoPlan(LocalPair pair) throws Exception {
        pair.awaitInSync();
        Diagnosis d = diagnose();
        assertTrue(d.inSync(), d.findings().toString());
        assertTrue(new Planner().plan(d, "p-healthy1", d.at()).nothingToDo());
    }
}
