package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.ledger.AtRiskTransaction;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.ledger.TableRows;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.mysqlresync.testsupport.Statuses.binlog;
import static io.mysqlresync.testsupport.Statuses.node;
import static io.mysqlresync.testsupport.Statuses.pair;
import static io.mysqlresync.testsupport.Statuses.row;
import static io.mysqlresync.testsupport.Statuses.withGtid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Given node1 (MariaDB, GTID domain 1, server_id 1) crashed and came back at 1-1-500 while node2
 * had applied 1-1-501..503 from it, node1 refuses node2 with 1236 "not in the master's binlog"
 * (sql/sql_repl.cc, check_slave_start_position). The plan resumes node2 at node1's 1-1-500 and
 * says the three transactions stay on node2 only.
 */
class ResumeAtSourceGtidPositionTest {

    private static final String MARIADB = "10.11.6-MariaDB-log";
    private static final String REFUSED = "Got fatal error 1236 from master when reading data from binary log: "
            + "'Error: connecting slave requested to start from GTID 1-1-503, which is not in the master's binlog'";

    private final Diagnoser diagnoser = new Diagnoser(Thresholds.DEFAULT);
    private final Planner planner = new Planner();

    /**
     * node1 restarted a minute ago; its binlog is at {@code node1At} in domain 1. Its
     * gtid_current_pos says 1-1-503: its own lost transactions came back through node2 (ignored,
     * but recorded in its gtid_slave_pos), as on the real servers.
     */
    private static NodeStatus node1(String version, String node1At) {
        NodeStatus n = withGtid(node("node1", version, 60, row("Master_Host: node2", "Slave_IO_Running: Yes",
                "Slave_SQL_Running: Yes", "Seconds_Behind_Master: 0", "Using_Gtid: Slave_Pos",
                "Gtid_Slave_Pos: 0-9-7,1-1-503,2-2-300"), binlog("mysql-bin.000007", 900), binlog("mysql-bin.000008", 400)),
                "0-9-7,1-1-503,2-2-300");
        return new NodeStatus(n.node(), n.readAt(), null, n.version(), n.serverId(), n.uptimeSeconds(), n.readOnly(),
                n.gtidEnabled(), n.gtidExecuted(), n.binaryLogs(), n.ownBinlogHead(), n.channels(),
                "0-9-7," + node1At + ",2-2-300");
    }

    private static NodeStatus node2(String gtidSlavePos) {
        return withGtid(node("node2", MARIADB, 100_000, row("Master_Host: node1",
                "Master_Log_File: mysql-bin.000007", "Read_Master_Log_Pos: 1200",
                "Relay_Master_Log_File: mysql-bin.000007", "Exec_Master_Log_Pos: 1200",
                "Slave_IO_Running: No", "Slave_SQL_Running: Yes", "Using_Gtid: Slave_Pos",
                "Gtid_Slave_Pos: " + gtidSlavePos, "Last_IO_Errno: 1236", "Last_IO_Error: " + REFUSED),
                binlog("mysql-bin.000003", 5000)), gtidSlavePos.replace("2-2-300", "2-2-301"));
    }

    private static TableRows order(long id) {
        return new TableRows("shop.orders", 1, List.of("id"), List.of(List.of(Long.toString(id))));
    }

    private static final DirectionLedger LOST = new DirectionLedger("node1", "node2",
            "missing from node1's binlog after its restart", "GTIDs 1-1-501 to 1-1-503", 3, List.of(
            new AtRiskTransaction("1-1-501", null, List.of(order(547))),
            new AtRiskTransaction("1-1-502", null, List.of(order(548))),
            new AtRiskTransaction("1-1-503", null, List.of(order(549)))), List.of(), List.of());

    private Diagnosis diagnose(ClusterStatus status, LossLedger ledger) {
        Diagnosis d = diagnoser.diagnose(status).withLedgerFrom((s, truncated) -> ledger);
        assertTrue(d.findings().stream().anyMatch(f -> f.kind() == FindingKind.REPLICA_AHEAD_OF_SOURCE
                && f.node().equals("node2")), d.findings().toString());
        return d;
    }

    private RecoveryPlan plan(ClusterStatus status, LossLedger ledger) {
        return planner.plan(diagnose(status, ledger), "p-ahead", Instant.EPOCH);
    }

    private static final ClusterStatus CRASHED = pair(node1(MARIADB, "1-1-500"), node2("0-9-7,1-1-503,2-2-300"));

    @Test
    void theReplicaResumesAtTheSourcesPositionInItsDomainAndKeepsEveryOtherDomain() {
        RecoveryPlan plan = plan(CRASHED, LossLedger.of(List.of(LOST)));
        PlanOption resync = plan.option(Planner.RESYNC).orElseThrow();
        assertTrue(resync.executable());
        assertEquals(List.of("STOP SLAVE", "SET GLOBAL gtid_slave_pos = '0-9-7,1-1-500,2-2-300'", "START SLAVE"),
                resync.steps().stream().flatMap(s -> s.statements().stream()).toList());
        assertEquals(List.of("node2"), resync.steps().stream().map(NodeStep::node).toList());
        assertTrue(plan.manualActions().isEmpty(), plan.manualActions().toString());
    }

    @Test
    void theLossNamesTheLedgersTransactionsAsStayingOnTheReplicaOnly() {
        PlanOption resync = plan(CRASHED, LossLedger.of(List.of(LOST))).option(Planner.RESYNC).orElseThrow();
        String loss = String.join("\n", resync.estimatedDataLoss());
        assertTrue(loss.startsWith("3 transactions on shop.orders, 3 rows, ids 547, 548, 549, may exist on node2 only"), loss);
        assertTrue(loss.contains("They stay on node2 only") && loss.contains("never receives them back")
                && loss.contains("Verify the tables named and repair them"), loss);
        // node1 saw its lost transactions come back through node2: it numbers its next ones above them.
        assertTrue(resync.risks().stream().noneMatch(r -> r.contains("1950")), resync.risks().toString());
    }

    @Test
    void aSourceThatNeverSawItsLostTransactionsComeBackWillReuseTheirNumbersAndThePlanSaysSo() {
        NodeStatus n1 = node1(MARIADB, "1-1-500");
        NodeStatus unseen = new NodeStatus(n1.node(), n1.readAt(), null, n1.version(), n1.serverId(), n1.uptimeSeconds(),
                n1.readOnly(), true, "0-9-7,1-1-500,2-2-300", n1.binaryLogs(), n1.ownBinlogHead(), n1.channels(),
                n1.gtidBinlogPos());
        PlanOption resync = plan(pair(unseen, node2("0-9-7,1-1-503,2-2-300")), LossLedger.of(List.of(LOST)))
                .option(Planner.RESYNC).orElseThrow();
        assertTrue(resync.risks().stream().anyMatch(r -> r.contains("reuse their numbers (1-1-501 onwards)")
                && r.contains("1950")), resync.risks().toString());
    }

    @Test
    void thePlanIsPinnedToBothGtidPositionsItWasComputedFrom() {
        RecoveryPlan plan = plan(CRASHED, LossLedger.of(List.of(LOST)));
        NodeExpectation n1 = plan.preconditions().stream().filter(e -> e.node().equals("node1")).findFirst().orElseThrow();
        NodeExpectation n2 = plan.preconditions().stream().filter(e -> e.node().equals("node2")).findFirst().orElseThrow();
        assertEquals("1-1-500", n1.gtidInDomain());
        assertEquals("0-9-7,1-1-503,2-2-300", n2.gtidSlavePos());

        // node1 takes a write in domain 1 after the plan was made: approval runs nothing.
        List<String> ran = new ArrayList<>();
        StatementRunner runner = (c, n, sql) -> {
            ran.add(sql);
            return new StatementOutcome(n, sql, true, 0, "", 1);
        };
        ClusterStatus moved = pair(node1(MARIADB, "1-1-501"), node2("0-9-7,1-1-503,2-2-300"));
        ExecutionReport stale = new PlanExecutor(c -> moved, runner).execute(plan, Planner.RESYNC, o -> { });
        assertTrue(stale.refusals().stream().anyMatch(r -> r.contains("node1 GTID position in domain 1 was 1-1-500, now 1-1-501")),
                stale.refusals().toString());
        // node2's SQL thread applied more in another domain: setting the old position would go back.
        ClusterStatus applied = pair(node1(MARIADB, "1-1-500"), node2("0-9-8,1-1-503,2-2-300"));
        ExecutionReport stale2 = new PlanExecutor(c -> applied, runner).execute(plan, Planner.RESYNC, o -> { });
        assertTrue(stale2.refusals().stream().anyMatch(r -> r.contains("node2 gtid_slave_pos was")),
                stale2.refusals().toString());
        assertTrue(ran.isEmpty(), ran.toString());
        // node2's own writes (domain 2) and node1's replicated ones move gtid_current_pos: not pinned.
        ClusterStatus busy = pair(withBinlogPos(node1(MARIADB, "1-1-500"), "0-9-7,1-1-500,2-2-390"),
                withGtid(node2("0-9-7,1-1-503,2-2-300"), "0-9-7,1-1-503,2-2-390"));
        ExecutionReport ok = new PlanExecutor(c -> busy, runner).execute(plan, Planner.RESYNC, o -> { });
        assertTrue(ok.refusals().isEmpty(), ok.refusals().toString());
        assertEquals(3, ran.size());
    }

    private static NodeStatus withBinlogPos(NodeStatus n, String binlogPos) {
        return new NodeStatus(n.node(), n.readAt(), null, n.version(), n.serverId(), n.uptimeSeconds(), n.readOnly(),
                n.gtidEnabled(), n.gtidExecuted(), n.binaryLogs(), n.ownBinlogHead(), n.channels(), binlogPos);
    }

    @Test
    void aSourceThatWroteInItsDomainSinceItsRestartIsLeftToAHuman() {
        RecoveryPlan plan = plan(pair(node1(MARIADB, "1-1-502"), node2("0-9-7,1-1-503,2-2-300")),
                LossLedger.of(List.of(LOST)));
        assertTrue(plan.executableOptions().isEmpty(), plan.options().toString());
        String manual = String.join("\n", plan.manualActions());
        assertTrue(manual.contains("node1's binlog is at 1-1-502 in domain 1, not at 1-1-500") && manual.contains("would skip those new transactions"),
                manual);
        assertTrue(manual.contains("ids 547, 548, 549"), manual);
    }

    @Test
    void withoutTheLedgerNoPositionIsProvenAndAHumanDecides() {
        RecoveryPlan notRead = planner.plan(diagnoser.diagnose(CRASHED), "p", Instant.EPOCH);
        assertTrue(notRead.executableOptions().isEmpty());
        assertTrue(notRead.manualActions().get(0).startsWith("The loss ledger does not say"), notRead.manualActions().toString());
        RecoveryPlan none = plan(CRASHED, LossLedger.of(List.of()));
        assertTrue(none.executableOptions().isEmpty());
    }

    @Test
    void aLedgerWhoseTransactionsCouldNotBeReadStillGivesThePositionAndSaysAFullCheckFollows() {
        DirectionLedger unreadable = new DirectionLedger("node1", "node2", "missing from node1's binlog after its restart",
                "GTIDs 1-1-501 to 1-1-503", 3, List.of(), List.of(new io.mysqlresync.ledger.CouldNotRead(
                io.mysqlresync.ledger.CouldNotRead.Reason.LOGS_PURGED, "the transactions", "node2", "purged", "")), List.of());
        PlanOption resync = plan(CRASHED, LossLedger.of(List.of(unreadable))).option(Planner.RESYNC).orElseThrow();
        assertTrue(resync.steps().get(0).statements().contains("SET GLOBAL gtid_slave_pos = '0-9-7,1-1-500,2-2-300'"));
        assertTrue(resync.estimatedDataLoss().get(0).contains("A full check of every replicated table follows."),
                resync.estimatedDataLoss().toString());
    }

    /**
     * MySQL 8.0's source refuses with ER_REPLICA_HAS_MORE_GTIDS_THAN_SOURCE (share/messages_to_clients.txt;
     * checked in sql/rpl_binlog_sender.cc) until its gtid_executed covers the replica's. The manual
     * (MySQL 8.0 Reference Manual, 19.1.3.3 "GTID Auto-Positioning") says to check by hand whether the
     * restarted source reused the GTIDs for different transactions: kept manual.
     */
    @Test
    void onMySqlTheSameFindingStaysManual() {
        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        NodeStatus mysql1 = withGtid(node("node1", "8.0.36", 60, row("Master_Host: node2", "Slave_IO_Running: Yes",
                "Slave_SQL_Running: Yes", "Seconds_Behind_Master: 0", "Auto_Position: 1"), binlog("binlog.000008", 400)),
                uuid + ":1-500");
        NodeStatus mysql2 = withGtid(node("node2", "8.0.36", 100_000, row("Master_Host: node1",
                "Slave_IO_Running: No", "Slave_SQL_Running: Yes", "Auto_Position: 1", "Last_IO_Errno: 13114",
                "Last_IO_Error: Got fatal error 1236 from source when reading data from binary log: 'Replica has more "
                        + "GTIDs than the source has, using the source's SERVER_UUID. This may indicate that the end of "
                        + "the binary log was truncated or that the last binary log file was lost, e.g., after a power or "
                        + "disk failure when sync_binlog != 1.'"), binlog("binlog.000003", 5000)), uuid + ":1-503");
        DirectionLedger lost = new DirectionLedger("node1", "node2", "missing from node1's binlog after its restart",
                "GTIDs " + uuid + ":501 to " + uuid + ":503", 3, List.of(
                new AtRiskTransaction(uuid + ":501", null, List.of(order(547)))), List.of(), List.of());
        RecoveryPlan plan = plan(pair(mysql1, mysql2), LossLedger.of(List.of(lost)));
        assertTrue(plan.executableOptions().isEmpty(), plan.options().toString());
        String manual = String.join("\n", plan.manualActions());
        assertTrue(manual.contains("does not resume by itself") && manual.contains("skip those without a word")
                && manual.contains("GTID Auto-Positioning"), manual);
        assertFalse(manual.contains("SET GLOBAL gtid_slave_pos"), manual);
    }
}
