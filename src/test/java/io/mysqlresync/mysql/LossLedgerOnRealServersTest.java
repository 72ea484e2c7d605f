package io.mysqlresync.mysql;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.ledger.DirectionLedger.Completeness;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.ledger.TableRows;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.CrashWithLoss;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.sandbox.SandboxCluster;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loss ledger on real servers: crashes that really lose transactions, read back by the
 * least-privilege bot user before any recovery step runs.
 */
@ExtendWith(RealServers.class)
class LossLedgerOnRealServersTest {

    private static final String CLUSTER = "sandbox";
    private static final String BOT = "'" + Account.BOT.user() + "'@'" + LocalServer.HOST + "'";
    private NodeConnections connections;
    private JdbcClusterReader reader;
    private LogLedgerReader ledgerReader;
    private final Diagnoser diagnoser = new Diagnoser(new Thresholds(5, 900));

    @BeforeEach
    void connect(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        grantLedgerPrivileges(pair);
        ClusterConfig cluster = SandboxCluster.of(CLUSTER, pair);
        connections = new NodeConnections(List.of(cluster));
        reader = new JdbcClusterReader(connections, 4, Clock.systemUTC());
        ledgerReader = new LogLedgerReader(cluster, Duration.ofSeconds(10));
    }

    @AfterEach
    void close() {
        reader.close();
        connections.close();
    }

    /** What the ledger needs beyond the bot's status grants: the row images and the tables' keys. */
    static void grantLedgerPrivileges(LocalPair pair) throws Exception {
        for (Node n : Node.values()) {
            pair.server(n).execute("SET sql_log_bin = 0", "GRANT REPLICATION SLAVE ON *.* TO " + BOT,
                    "GRANT SELECT ON demo.* TO " + BOT);
        }
    }

    private Diagnosis diagnoseWithLedger() {
        return diagnoser.diagnose(reader.read(CLUSTER)).withLedgerFrom(ledgerReader);
    }

    private static Set<Long> keys(DirectionLedger d, String table) {
        return d.keysByTable().getOrDefault(table, List.of()).stream()
                .map(k -> Long.parseLong(k.get(0))).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theCrashedNodeLosesTransactionsNode2ReceivedAndTheLedgerNamesThemBeforeRecovery(LocalPair pair) throws Exception {
        CrashWithLoss.Result crash = CrashWithLoss.crash(pair, Node.NODE1, 300);
        System.out.println("crash: " + crash);

        Diagnosis d = diagnoseWithLedger();
        assertTrue(d.findings().stream().anyMatch(f -> f.kind() == FindingKind.SOURCE_BINLOG_TRUNCATED
                && f.node().equals("node2")), d.findings().toString());
        LossLedger ledger = d.ledger();
        System.out.println("ledger: " + ledger.lines());
        DirectionLedger lost = ledger.direction("node1", "node2").orElseThrow(() -> new AssertionError(ledger.toString()));
        assertEquals(Completeness.COMPLETE, lost.completeness(), lost.summary());
        Set<Long> named = keys(lost, "demo.items");
        assertTrue(named.containsAll(crash.lostKeys()), "every row node1 lost and node2 has is named; missing: "
                + crash.lostKeys().stream().filter(k -> !named.contains(k)).toList());
    }
}
