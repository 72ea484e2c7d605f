package io.mysqlresync.mysql;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.recovery.BotGrants;
import io.mysqlresync.recovery.ExecutionReport;
import io.mysqlresync.recovery.PlanExecutor;
import io.mysqlresync.recovery.PlanOption;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.recovery.StatementOutcome;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.testsupport.PairReader;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's least-privilege bot user on real MariaDB: the skip-event option for a 1062 is
 * offered as manual, naming SUPER; and an option that fails half-way (grants revoked after the
 * plan was made) leaves replication as it found it.
 */
class GrantsOnRealServersTest extends OnAResetPair {

    @Test
    void theBotReadsItsOwnGrants() {
        BotGrants grants = new JdbcGrantReader(connections).grantsOn(CLUSTER, "node1").orElseThrow();
        assertEquals(java.util.Set.of("SLAVE MONITOR", "BINLOG MONITOR", "REPLICATION SLAVE ADMIN"), grants.privileges());
        assertFalse(grants.all());
    }

    @Test
    void withTheReadmeGrantsSkippingA1062IsOfferedAsManualNamingSuper(LocalPair pair) throws Exception {
        pair.causeDuplicateKey(Node.NODE1);
        Diagnosis d = diagnose();

        RecoveryPlan plan = new Planner(new JdbcGrantReader(connections)).plan(d, "p-grants01", d.at());

        PlanOption skip = plan.option(Planner.SKIP_EVENT).orElseThrow(() -> new AssertionError(plan.toString()));
        assertFalse(skip.executable(), "the bot cannot set sql_slave_skip_counter without SUPER");
        String manual = String.join("\n", skip.manualActions());
        assertTrue(manual.contains("lacks SUPER on node1") && manual.contains("SET GLOBAL sql_slave_skip_counter = 1")
                && manual.contains("GRANT SUPER ON *.*"), manual);
        assertFalse(skip.steps().isEmpty(), "the statements stay, for the DBA to run");
        // The grant-unaware planner would have offered it as runnable: this is what changed.
        assertTrue(new Planner().plan(d, "p-grants02", d.at()).option(Planner.SKIP_EVENT).orElseThrow().executable());
        pair.reset();
    }

    @Test
    void anOptionFailingHalfWayStartsAgainTheThreadsItStopped(LocalPair pair) throws Exception {
        Map<String, String> broken = pair.causeDuplicateKey(Node.NODE1);
        assertEquals("Yes", broken.get("Slave_IO_Running"));
        Diagnosis d = diagnose();
        // Made without the grant check: as if SUPER were revoked between the plan and the click.
        RecoveryPlan plan = new Planner().plan(d, "p-grants03", d.at());
        List<StatementOutcome> seen = new ArrayList<>();

        ExecutionReport report = new PlanExecutor(reader, new JdbcStatementRunner(connections))
                .execute(plan, Planner.SKIP_EVENT, seen::add);

        assertFalse(report.succeeded());
        assertEquals(List.of("STOP SLAVE", "SET GLOBAL sql_slave_skip_counter = 1"),
                report.outcomes().stream().map(StatementOutcome::sql).toList());
        assertEquals(1227, report.firstFailure().orElseThrow().errorCode());
        assertEquals(List.of("START SLAVE IO_THREAD"), report.restorations().stream().map(StatementOutcome::sql).toList());
        assertTrue(report.restorations().get(0).succeeded(), report.restorations().toString());
        assertEquals(3, seen.size(), "the restoring statement is reported (and audited) like the others");
        Map<String, String> after = pair.awaitReplica(Node.NODE1, "node1's IO thread runs again, as before the plan",
                s -> "Yes".equals(s.get("Slave_IO_Running")));
        assertEquals("No", after.get("Slave_SQL_Running"), "the SQL thread was stopped by the error before; it stays so");
        // read right after the START: the IO thread may still be connecting
        assertTrue(report.nodesAfter().stream().anyMatch(n -> n.matches("node1: IO thread (Yes|Connecting), SQL thread No.*")),
                report.nodesAfter().toString());
        assertTrue(report.aftermath().contains("START SLAVE IO_THREAD OK"), report.aftermath());
        pair.reset();
    }
}
