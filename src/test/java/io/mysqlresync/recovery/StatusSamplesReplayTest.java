package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.testsupport.StatusSamples;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays the status rows captured from a real MariaDB 10.11 pair (src/test/resources/status-samples,
 * see its README) through the row mapper, the Diagnoser and the Planner, and checks what each
 * captured incident must give. The numbers asserted (positions, file sizes, ports, row ids) come
 * from the samples themselves, so a test passes only if the sample was read. It lives in
 * {@code recovery} because it follows each sample through to the plan.
 */
class StatusSamplesReplayTest {

    /** The samples' own uptimes are seconds; the lag sample was captured at Seconds_Behind_Master 3. */
    private static final Thresholds THRESHOLDS = new Thresholds(2, Thresholds.DEFAULT.recentRestartSeconds());

    private final Diagnoser diagnoser = new Diagnoser(THRESHOLDS);
    private final Planner planner = new Planner();

    private Diagnosis diagnose(String state) {
        return diagnoser.diagnose(StatusSamples.pair(state));
    }

    private RecoveryPlan plan(Diagnosis d) {
        return planner.plan(d, "p-sample01", Instant.EPOCH);
    }

    /** The node's findings, without the restart notice every freshly started sandbox node gets. */
    private static List<FindingKind> problems(Diagnosis d, String node) {
        return d.on(node).stream().map(Finding::kind).filter(k -> k != FindingKind.RECENTLY_RESTARTED).toList();
    }

    private static Finding only(Diagnosis d, String node, FindingKind kind) {
        return d.on(node).stream().filter(f -> f.kind() == kind).findFirst().orElseThrow();
    }

    private static String evidence(Finding f, String field) {
        return f.evidence().stream().filter(e -> e.field().equals(field)).findFirst().orElseThrow().value();
    }

    private static List<String> statementsOn(PlanOption o, String node) {
        return o.steps().stream().filter(s -> s.node().equals(node)).flatMap(s -> s.statements().stream()).toList();
    }

    @Test
    void everyCapturedStateIsReplayedHere() {
        // A new capture needs its expectations below before it counts as replayed.
        assertEquals(List.of("duplicate-key", "gtid-healthy", "healthy", "lagging", "operator-stopped",
                "replication-auth", "row-not-found", "seed-incident", "source-unreachable", "sql-thread-stopped"),
                StatusSamples.states());
    }

    @Test
    void noPlanFromAnySampleRestatesTheSourceHostUserOrPassword() {
        for (String state : StatusSamples.states()) {
            for (PlanOption o : plan(diagnose(state)).options()) {
                for (NodeStep s : o.steps()) {
                    for (String sql : s.statements()) {
                        String upper = sql.toUpperCase();
                        assertFalse(upper.contains("HOST") || upper.contains("USER") || upper.contains("PASSWORD"),
                                state + ": " + sql);
                    }
                }
            }
        }
    }

    @Test
    void seedIncidentNode1sCorruptRelayLogIsRefetchedFromWhereItStoppedApplyingKeepingItsSource() {
        Diagnosis d = diagnose("seed-incident");
        assertEquals(List.of(FindingKind.RELAY_LOG_CORRUPT), problems(d, "node1"));
        assertEquals("node1 restarted 1 s ago", only(d, "node1", FindingKind.RECENTLY_RESTARTED).summary());
        Finding relay = only(d, "node1", FindingKind.RELAY_LOG_CORRUPT);
        assertEquals("1594", evidence(relay, "Last_SQL_Errno"));
        assertEquals("relay-bin.000002", evidence(relay, "Relay_Log_File"));
        assertEquals("46075", evidence(relay, "Relay_Log_Pos"));
        assertEquals("mysql-bin.000001", evidence(relay, "Relay_Master_Log_File"));
        assertEquals("77028", evidence(relay, "Exec_Master_Log_Pos"));

        PlanOption resync = plan(d).option(Planner.RESYNC).orElseThrow();
        assertTrue(resync.executable());
        assertEquals(List.of("STOP SLAVE", "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000001', MASTER_LOG_POS=77028",
                "START SLAVE"), statementsOn(resync, "node1"));
    }

    @Test
    void seedIncidentNode2ResumesAtTheStartOfNode1sNextBinlogAndTheCutBytesAreCounted() {
        Diagnosis d = diagnose("seed-incident");
        assertEquals(List.of(FindingKind.SOURCE_BINLOG_TRUNCATED), problems(d, "node2"));
        Finding truncated = only(d, "node2", FindingKind.SOURCE_BINLOG_TRUNCATED);
        assertEquals("node1", truncated.sourceNode());
        assertEquals("1236", evidence(truncated, "Last_IO_Errno"));
        assertEquals("90128", evidence(truncated, "Read_Master_Log_Pos"));
        assertEquals("mysql-bin.000001 (89128 bytes), mysql-bin.000002 (40458 bytes)",
                evidence(truncated, "node1 SHOW BINARY LOGS"));
        assertTrue(truncated.explanation().contains("ends at 89128 on node1: the crash cut 1000 bytes"),
                truncated.explanation());

        RecoveryPlan plan = plan(d);
        PlanOption resync = plan.option(Planner.RESYNC).orElseThrow();
        assertEquals(List.of("STOP SLAVE", "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000002', MASTER_LOG_POS=4",
                "START SLAVE"), statementsOn(resync, "node2"));
        // The loss is stated as transactions from the ledger (not read from a captured row); the
        // byte figure from the samples stays as its evidence.
        assertTrue(resync.estimatedDataLoss().stream().anyMatch(l -> l.contains("the loss ledger was not read")
                && l.contains("node1's mysql-bin.000001 ends at 89128; node2 had read to 90128: 1000 bytes")),
                resync.estimatedDataLoss().toString());
        assertEquals(List.of(Planner.RESYNC), plan.options().stream().map(PlanOption::id).toList());
        assertTrue(plan.manualActions().isEmpty(), plan.manualActions().toString());
    }

    @Test
    void duplicateKeyOnNode2OffersSkipOrRebuildAndNothingRunsByItself() {
        Diagnosis d = diagnose("duplicate-key");
        assertEquals(List.of(FindingKind.HEALTHY), problems(d, "node1"));
        assertEquals(List.of(FindingKind.DUPLICATE_KEY), problems(d, "node2"));
        Finding dup = only(d, "node2", FindingKind.DUPLICATE_KEY);
        assertTrue(evidence(dup, "Last_SQL_Error").contains("Duplicate entry '1000001' for key 'PRIMARY'"));
        assertEquals("5728", evidence(dup, "Exec_Master_Log_Pos"));
        assertEquals("6019", evidence(dup, "Read_Master_Log_Pos"));

        RecoveryPlan plan = plan(d);
        assertTrue(plan.option(Planner.RESYNC).isEmpty());
        assertEquals(List.of("STOP SLAVE", "SET GLOBAL sql_slave_skip_counter = 1", "START SLAVE"),
                statementsOn(plan.option(Planner.SKIP_EVENT).orElseThrow(), "node2"));
        assertFalse(plan.option(Planner.REBUILD).orElseThrow().executable());
    }

    @Test
    void rowNotFoundOnNode2OffersSkipOrRebuild() {
        Diagnosis d = diagnose("row-not-found");
        assertEquals(List.of(FindingKind.HEALTHY), problems(d, "node1"));
        assertEquals(List.of(FindingKind.ROW_NOT_FOUND), problems(d, "node2"));
        Finding missing = only(d, "node2", FindingKind.ROW_NOT_FOUND);
        assertEquals("1032", evidence(missing, "Last_SQL_Errno"));
        assertEquals("6015", evidence(missing, "Exec_Master_Log_Pos"));

        RecoveryPlan plan = plan(d);
        PlanOption skip = plan.option(Planner.SKIP_EVENT).orElseThrow();
        assertEquals("Skip the change to the missing row (one event group) on node2 and continue",
                skip.steps().get(0).purpose());
        assertEquals(List.of("STOP SLAVE", "SET GLOBAL sql_slave_skip_counter = 1", "START SLAVE"),
                statementsOn(skip, "node2"));
        assertTrue(plan.option(Planner.REBUILD).isPresent());
    }

    @Test
    void aRejectedReplicationPasswordIsForAHumanOnTheSource() {
        Diagnosis d = diagnose("replication-auth");
        assertEquals(List.of(FindingKind.HEALTHY), problems(d, "node1"));
        assertEquals(List.of(FindingKind.REPLICATION_AUTH_FAILURE), problems(d, "node2"));
        Finding auth = only(d, "node2", FindingKind.REPLICATION_AUTH_FAILURE);
        assertEquals("node2 cannot log in to node1 as repl", auth.summary());
        assertEquals("Connecting", evidence(auth, "Slave_IO_Running"));
        assertEquals("1045", evidence(auth, "Last_IO_Errno"));

        RecoveryPlan plan = plan(d);
        assertTrue(plan.options().isEmpty());
        assertEquals(List.of("On node1: fix the replication user's password or grants, then run START SLAVE "
                + "IO_THREAD (or START REPLICA IO_THREAD) on node2."), plan.manualActions());
    }

    @Test
    void replicationStoppedByAnOperatorIsStartedAgain() {
        Diagnosis d = diagnose("operator-stopped");
        assertEquals(List.of(FindingKind.THREADS_STOPPED_BY_OPERATOR), problems(d, "node1"));
        assertEquals(List.of(FindingKind.HEALTHY), problems(d, "node2"));
        assertEquals("On node1 both replication threads are stopped, with no error",
                only(d, "node1", FindingKind.THREADS_STOPPED_BY_OPERATOR).summary());

        RecoveryPlan plan = plan(d);
        PlanOption resync = plan.option(Planner.RESYNC).orElseThrow();
        assertEquals(List.of("START SLAVE"), statementsOn(resync, "node1"));
        assertEquals(List.of(), statementsOn(resync, "node2"));
        NodeExpectation node1 = plan.preconditions().get(0);
        assertEquals("mysql-bin.000001:5728", node1.received().toString());
        assertEquals("mysql-bin.000001:5728", node1.executed().toString());
    }

    @Test
    void aStoppedSqlThreadIsStartedAgainAndItsExecutedPositionPinned() {
        Diagnosis d = diagnose("sql-thread-stopped");
        assertEquals(List.of(FindingKind.THREADS_STOPPED_BY_OPERATOR), problems(d, "node1"));
        assertEquals("On node1 the SQL (applier) thread is stopped, with no error",
                only(d, "node1", FindingKind.THREADS_STOPPED_BY_OPERATOR).summary());

        RecoveryPlan plan = plan(d);
        assertEquals(List.of("START SLAVE"), statementsOn(plan.option(Planner.RESYNC).orElseThrow(), "node1"));
        NodeExpectation node1 = plan.preconditions().get(0);
        assertEquals("mysql-bin.000001:5728", node1.executed().toString());
        assertEquals(null, node1.received(), "the IO thread runs: its position moves by itself");
    }

    @Test
    void aLaggingReplicaNeedsNoPlan() {
        Diagnosis d = diagnose("lagging");
        assertEquals(List.of(FindingKind.HEALTHY), problems(d, "node1"));
        assertEquals(List.of(FindingKind.LAGGING), problems(d, "node2"));
        Finding lag = only(d, "node2", FindingKind.LAGGING);
        assertEquals("node2 is 3 s behind node1", lag.summary());
        assertEquals("11760", evidence(lag, "Read_Master_Log_Pos"));
        assertEquals("6023", evidence(lag, "Exec_Master_Log_Pos"));
        assertFalse(d.broken());
        assertTrue(plan(d).nothingToDo());
    }

    @Test
    void aDeadSourceLeavesTheReplicaRetryingAndTheSourceUnreachable() {
        Diagnosis d = diagnose("source-unreachable");
        assertEquals(List.of(FindingKind.SOURCE_UNREACHABLE), problems(d, "node1"));
        assertEquals(List.of(FindingKind.NODE_UNREACHABLE), problems(d, "node2"));
        Finding retrying = only(d, "node1", FindingKind.SOURCE_UNREACHABLE);
        assertEquals("node1 cannot connect to node2", retrying.summary());
        assertEquals("2003", evidence(retrying, "Last_IO_Errno"));
        assertTrue(retrying.explanation().contains("(127.0.0.1:43103)"), retrying.explanation());
        assertTrue(only(d, "node2", FindingKind.NODE_UNREACHABLE).summary()
                .startsWith("node2 cannot be reached: Communications link failure"));

        RecoveryPlan plan = plan(d);
        assertTrue(plan.options().isEmpty());
        assertEquals(List.of("Bring node2 back or fix the network between node1 and node2; replication resumes by itself.",
                "Bring node2 back (or let the bot reach it), then ask for the plan again."), plan.manualActions());
    }

    @Test
    void healthyPairsByPositionAndByGtidNeedNothing() {
        for (String state : List.of("healthy", "gtid-healthy")) {
            Diagnosis d = diagnose(state);
            assertEquals(List.of(FindingKind.HEALTHY), problems(d, "node1"), state);
            assertEquals(List.of(FindingKind.HEALTHY), problems(d, "node2"), state);
            assertEquals("0", evidence(only(d, "node1", FindingKind.HEALTHY), "Seconds_Behind_Master"), state);
            assertTrue(d.inSync(), state);
            assertTrue(plan(d).nothingToDo(), state);
        }
        ClusterStatus gtid = StatusSamples.pair("gtid-healthy");
        assertTrue(gtid.node("node1").orElseThrow().replica().orElseThrow().usesGtid(), "Using_Gtid: Slave_Pos");
        assertFalse(StatusSamples.pair("healthy").node("node1").orElseThrow().replica().orElseThrow().usesGtid());
    }
}
