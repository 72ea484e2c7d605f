package io.mysqlresync.mysql;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.recovery.ExecutionReport;
import io.mysqlresync.recovery.PlanExecutor;
import io.mysqlresync.recovery.PlanOption;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.recovery.StatementOutcome;
import io.mysqlresync.sandbox.CrashWithLoss;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.sandbox.SandboxCluster;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.ProgressListener;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyOptions;
import io.mysqlresync.verify.VerifyRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GTID mode on real servers: node1 comes back without the end of its binlog, and refuses node2,
 * which applied that end, with 1236 "not in the master's binlog" (REPLICA_AHEAD_OF_SOURCE; the
 * loss ledger's reproduction). The plan resumes node2 at node1's GTID position, run by the
 * least-privilege bot user, and the verification that follows names the rows node1 lacks.
 *
 * <p>node1 is rewound to a kept datadir rather than crashed: where a real crash's cut lands
 * decides whether node2 ends up ahead at all (it rarely did on an idle machine), while the
 * rewind leaves it ahead every time, with the same binlogs, relay logs and refusal.
 */
@ExtendWith(RealServers.class)
class ReplicaAheadOfSourceOnRealServersTest {

    private static final String CLUSTER = "sandbox";

    @Test
    void theReplicaAheadOfItsRewoundSourceResumesAtTheSourcesGtidPositionAndVerifyNamesWhatTheSourceLacks(LocalPair pair)
            throws Exception {
        ClusterConfig cluster = SandboxCluster.of(CLUSTER, pair);
        pair.reset(ReplicationMode.GTID);
        CrashWithLoss.grantLedgerPrivileges(pair);
        // node1 has a domain 1 of its own before it loses the end of it: with none at all, it would
        // come back with no domain 1 and accept node2 without a word.
        pair.node1().execute("INSERT INTO demo.items (id, origin, payload) VALUES (800000001, 'node1-before', 'before')",
                "FLUSH BINARY LOGS");
        pair.awaitInSync();
        Set<Long> lostOnNode1 = CrashWithLoss.rewind(pair, Node.NODE1, 12);
        assertEquals(12, lostOnNode1.size(), "node1 lost what it wrote after the kept datadir: " + lostOnNode1);
        Diagnosis d;
        try (NodeConnections c = new NodeConnections(List.of(cluster));
             JdbcClusterReader r = new JdbcClusterReader(c, 4, Clock.systemUTC())) {
            d = new Diagnoser(new Thresholds(5, 900)).diagnose(r.read(CLUSTER))
                    .withLedgerFrom(new LogLedgerReader(cluster, Duration.ofSeconds(5)));
        }
        assertTrue(d.findings().stream().anyMatch(f -> f.kind() == FindingKind.REPLICA_AHEAD_OF_SOURCE
                && f.node().equals("node2")), d.findings().toString());
        try (NodeConnections connections = new NodeConnections(List.of(cluster));
             JdbcClusterReader reader = new JdbcClusterReader(connections, 4, Clock.systemUTC())) {
            DirectionLedger lost = d.ledger().direction("node1", "node2").orElseThrow();
            Set<Long> named = keys(lost.keysByTable().getOrDefault("demo.items", List.of()));
            assertFalse(named.isEmpty(), lost.summary());

            RecoveryPlan plan = new Planner().plan(d, "p-ahead", Instant.now());
            PlanOption resync = plan.option(Planner.RESYNC).orElseThrow(() -> new AssertionError(plan.manualActions().toString()));
            assertTrue(resync.executable());
            List<String> sql = resync.steps().stream().flatMap(s -> s.statements().stream()).toList();
            String node1At = pair.node1().query("SELECT @@gtid_binlog_pos AS p").get(0).get("p");
            assertEquals(3, sql.size(), sql.toString());
            assertTrue(sql.get(1).startsWith("SET GLOBAL gtid_slave_pos = '") && sql.get(1).contains(domainOne(node1At)),
                    sql + " vs node1 at " + node1At);
            assertTrue(resync.estimatedDataLoss().get(0).startsWith(lost.summary()), resync.estimatedDataLoss().toString());
            assertTrue(resync.estimatedDataLoss().get(0).contains("They stay on node2 only"));

            ExecutionReport report = new PlanExecutor(reader, new JdbcStatementRunner(connections))
                    .execute(plan, Planner.RESYNC, o -> { });
            assertTrue(report.refusals().isEmpty(), report.refusals().toString());
            assertTrue(report.outcomes().stream().allMatch(StatementOutcome::succeeded), report.outcomes().toString());
            Map<String, String> node2 = pair.awaitReplica(Node.NODE2, "node2 replicates node1 again",
                    s -> "Yes".equals(s.get("Slave_IO_Running")) && "Yes".equals(s.get("Slave_SQL_Running")));
            assertEquals(List.of("0", "0"), List.of(node2.get("Last_IO_Errno"), node2.get("Last_SQL_Errno")), node2.toString());
            // node1 writes again and node2 gets it: the resumed position skips nothing of node1's.
            pair.node1().execute("INSERT INTO demo.items (id, origin, payload) VALUES (900000001, 'node1-new', 'after resume')");
            org.awaitility.Awaitility.await("node2 replicates node1's new write").atMost(Duration.ofSeconds(30))
                    .until(() -> !CrashWithLoss.ids(pair.node2(), "id = 900000001").isEmpty());
            String newWrite = domainOne(pair.node1().query("SELECT @@gtid_binlog_pos AS p").get(0).get("p"));
            // It saw its lost transactions come back through node2, so it numbers above them: no reuse.
            String lastLost = lost.transactions().get(lost.transactions().size() - 1).id();
            assertTrue(Long.parseLong(newWrite.substring(newWrite.lastIndexOf('-') + 1))
                    > Long.parseLong(lastLost.substring(lastLost.lastIndexOf('-') + 1)), newWrite + " vs " + lastLost);
            assertTrue(resync.risks().stream().noneMatch(r -> r.contains("1950")), resync.risks().toString());

            VerificationResult verified = new JdbcDataVerifier(connections, VerifyOptions.defaults(), Clock.systemUTC())
                    .verify(CLUSTER, VerifyRequest.of(List.of("demo")), ProgressListener.NONE, CancelToken.none());
            Set<Long> onNode2Only = new TreeSet<>();
            for (RowDifference r : verified.differences()) {
                assertEquals("demo.items", r.table().toString(), r.toString());
                assertTrue(r.valuesByNode().get("node1") == null && r.valuesByNode().get("node2") != null, r.toString());
                onNode2Only.add(Long.parseLong(r.key().values().get(0)));
            }
            // Exactly the rows node1 lost and node2 has, each one a row of the ledger's transactions.
            assertEquals(lostOnNode1, onNode2Only, verified.headline());
            assertTrue(named.containsAll(onNode2Only), "verify names rows the ledger did not: " + onNode2Only.stream()
                    .filter(k -> !named.contains(k)).toList());
            System.out.printf("replica ahead: node1 lost %d rows node2 has; ledger named %d (%s); plan %s; executed in %d ms;"
                            + " node1's next write: %s; verify: %s, %d rows on node2 only%n", lostOnNode1.size(), named.size(),
                    lost.range(), sql,
                    report.outcomes().stream().mapToLong(StatementOutcome::millis).sum(), newWrite, verified.headline(),
                    onNode2Only.size());
        }
    }

    private static String domainOne(String position) {
        for (String g : position.split(",")) {
            if (g.trim().startsWith("1-")) return g.trim();
        }
        return position;
    }

    private static Set<Long> keys(List<List<String>> keys) {
        Set<Long> out = new TreeSet<>();
        keys.forEach(k -> out.add(Long.parseLong(k.get(0))));
        return out;
    }
}
