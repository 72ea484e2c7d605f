package io.mysqlresync.mysql;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.ledger.CouldNotRead;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
        ledgerReader = new LogLedgerReader(cluster, Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        reader.close();
        connections.close();
    }

    private static void grantLedgerPrivileges(LocalPair pair) throws Exception {
        CrashWithLoss.grantLedgerPrivileges(pair);
    }

    private Diagnosis diagnoseWithLedger() {
        return diagnoser.diagnose(reader.read(CLUSTER)).withLedgerFrom(ledgerReader);
    }

    private static Set<Long> keys(DirectionLedger d, String table) {
        return d.keysByTable().getOrDefault(table, List.of()).stream()
                .map(k -> Long.parseLong(k.get(0))).collect(Collectors.toCollection(TreeSet::new));
    }

    private static final Duration LOAD = Duration.ofMillis(1500);

    /**
     * The ledger names exactly the tail of node1's writes that was cut from its binlog: all of
     * node1's rows on node2 above the first named id, and nothing node2 lacks. Among them every
     * row node1's InnoDB forgot; the rest ("kept but cut") node1 kept in its tables.
     */
    private static Set<Long> assertNamesTheLostRows(LocalPair pair, Node origin, DirectionLedger d, Set<Long> lost)
            throws Exception {
        // Every transaction read with its keys; the one thing the logs cannot say is which commits
        // InnoDB forgot while the binlog kept them (innodb_flush_log_at_trx_commit=0): a full check follows.
        assertEquals(Completeness.PARTIAL, d.completeness(), d.summary());
        assertEquals(List.of(CouldNotRead.Reason.UNSUPPORTED), d.problems().stream().map(CouldNotRead::reason).toList(),
                d.summary());
        assertTrue(d.summary().contains("innodb_flush_log_at_trx_commit=0") && d.summary().endsWith("A full check follows."),
                d.summary());
        Set<Long> named = keys(d, "demo.items");
        assertTrue(named.containsAll(lost), "every row " + origin.label() + " lost and " + origin.other().label()
                + " has is named; missing: " + lost.stream().filter(k -> !named.contains(k)).toList());
        Set<Long> onHolder = CrashWithLoss.ids(pair.server(origin.other()), "origin = '" + origin.label() + "'");
        assertTrue(onHolder.containsAll(named), "nothing named that " + origin.other().label() + " lacks");
        long first = named.stream().min(Long::compare).orElseThrow();
        assertEquals(onHolder.stream().filter(id -> id >= first).collect(Collectors.toCollection(TreeSet::new)), named,
                "the named rows are the whole tail of " + origin.label() + "'s writes from id " + first);
        // One single-row INSERT per transaction in the write load.
        assertEquals(d.expected(), d.transactions().size());
        assertEquals(named.size(), d.transactions().size());
        assertEquals(named.size(), d.rows());
        assertTrue(d.transactions().stream().allMatch(t -> t.commitTime().isPresent()
                && t.tables().stream().map(TableRows::table).toList().equals(List.of("demo.items"))));
        return named;
    }

    @Test
    void theCrashedNodeLosesTransactionsNode2ReceivedAndTheLedgerNamesThemBeforeRecovery(LocalPair pair) throws Exception {
        // A real kill -9 now and then loses no row (InnoDB kept every commit the binlog lost):
        // that is not the case under test, so the crash is tried again, at most three times.
        CrashWithLoss.Result crash = CrashWithLoss.crash(pair, LOAD, Node.NODE1);
        for (int attempt = 2; attempt <= 3 && crash.of(Node.NODE1).lostKeys().isEmpty(); attempt++) {
            pair.reset(ReplicationMode.FILE_POS);
            grantLedgerPrivileges(pair);
            crash = CrashWithLoss.crash(pair, LOAD, Node.NODE1);
        }
        CrashWithLoss.NodeLoss loss = crash.of(Node.NODE1);
        assertFalse(loss.lostKeys().isEmpty(), "three crashes lost nothing on node1: " + loss);

        Diagnosis d = diagnoseWithLedger();
        assertTrue(d.findings().stream().anyMatch(f -> f.kind() == FindingKind.SOURCE_BINLOG_TRUNCATED
                && f.node().equals("node2")), d.findings().toString());
        DirectionLedger lost = d.ledger().direction("node1", "node2").orElseThrow(() -> new AssertionError(d.ledger().toString()));
        Set<Long> named = assertNamesTheLostRows(pair, Node.NODE1, lost, loss.lostKeys());
        assertEquals(1, d.ledger().directions().size(), d.ledger().lines().toString());
        assertTrue(lost.summary().contains("may exist on node2 only"), lost.summary());
        assertTrue(lost.evidence().stream().anyMatch(e -> e.contains((loss.otherReadTo() - loss.cutTo()) + " bytes")),
                lost.evidence().toString());
        System.out.printf("seed crash: node1 committed %d rows, lost %d that node2 has; ledger named %d (%d kept but cut),"
                        + " prepared-state line: %s; took %s%n%s%n", loss.rowsWritten(), loss.lostKeys().size(), named.size(),
                named.size() - loss.lostKeys().size(), loss.prepared(), crash.took(), lost.summary());
    }

    /**
     * GTID mode: the ledger comes from the GTID positions alone, not from a truncated-binlog
     * finding. Right after the restart MariaDB 10.11 (gtid_strict_mode=OFF) refuses node2 with
     * 1236 "not in the master's binlog" (REPLICA_AHEAD_OF_SOURCE). Then node1 takes writes again,
     * reusing the lost sequence numbers up to the one node2 asks for, and node2's replication
     * resumes with no error at all: the ledger still names the same lost transactions, from
     * node1's binlog state at its restart.
     */
    @Test
    void inGtidModeTheLedgerNamesTheLostGtidsEvenWhenReplicationResumesWithNoError(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.GTID);
        CrashWithLoss.Result crash = CrashWithLoss.crash(pair, LOAD, Node.NODE1);
        CrashWithLoss.NodeLoss loss = crash.of(Node.NODE1);
        assertFalse(loss.lostKeys().isEmpty(), "the crash lost nothing on node1: " + loss);

        Diagnosis d = diagnoseWithLedger();
        DirectionLedger lost = d.ledger().direction("node1", "node2").orElseThrow(() -> new AssertionError(
                "no ledger; findings " + d.findings() + "; replica status after: " + crash.replicaAfter()));
        Set<Long> named = assertNamesTheLostRows(pair, Node.NODE1, lost, loss.lostKeys());
        // The GTIDs named are node1's own (domain 1, server_id 1), consecutive, and node2 has them.
        List<String> gtids = lost.transactions().stream().map(t -> t.id()).toList();
        assertTrue(gtids.stream().allMatch(g -> g.startsWith("1-1-")), gtids.subList(0, 3).toString());
        long firstSeq = Long.parseLong(gtids.get(0).substring(4));
        for (int i = 0; i < gtids.size(); i++) {
            assertEquals("1-1-" + (firstSeq + i), gtids.get(i));
        }
        String last = gtids.get(gtids.size() - 1);
        String node2Pos = pair.node2().query("SELECT @@gtid_binlog_pos AS p").get(0).get("p");
        assertTrue(node2Pos.contains(last), node2Pos + " vs " + lost.range());
        String before = d.findings().stream().filter(f -> f.node().equals("node2")).map(f -> f.kind().name()).toList().toString();

        // node1 takes writes again: new transactions 1-1-<first>... reuse the lost numbers, and
        // one carries node2's last GTID (gtid_seq_no stands in for thousands of writes).
        LocalServer node1 = pair.node1();
        // Thousands of writes take time: none of them falls in the restart's own second, the one
        // second in which binlog times cannot tell new from lost (a fast machine got there once).
        Awaitility.await("node1 up for 2 s").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Long.parseLong(node1.query("SHOW GLOBAL STATUS LIKE 'Uptime'").get(0).get("Value")) >= 2);
        node1.execute("INSERT INTO demo.items (id, origin, payload) VALUES (900000001, 'node1-new', 'after restart')",
                "INSERT INTO demo.items (id, origin, payload) VALUES (900000003, 'node1-new', 'after restart')",
                "SET gtid_seq_no = " + last.substring(4),
                "INSERT INTO demo.items (id, origin, payload) VALUES (900000005, 'node1-new', 'reuses node2''s last GTID')",
                "INSERT INTO demo.items (id, origin, payload) VALUES (900000007, 'node1-new', 'after it')");
        pair.node2().execute("START SLAVE");
        Awaitility.await("node2 replicates node1's new writes").atMost(Duration.ofSeconds(30))
                .until(() -> !CrashWithLoss.ids(pair.node2(), "id = 900000007").isEmpty());
        Map<String, String> node2Status = pair.replicaStatus(Node.NODE2).orElseThrow();
        assertEquals(List.of("Yes", "Yes", "0", "0"), List.of(node2Status.get("Slave_IO_Running"),
                node2Status.get("Slave_SQL_Running"), node2Status.get("Last_IO_Errno"), node2Status.get("Last_SQL_Errno")));
        Diagnosis resumed = diagnoseWithLedger();
        assertTrue(resumed.findings().stream().noneMatch(f -> f.severity().compareTo(io.mysqlresync.diagnosis.Severity.WARNING) >= 0),
                "replication shows no error: " + resumed.findings());
        DirectionLedger stillLost = resumed.ledger().direction("node1", "node2").orElseThrow(
                () -> new AssertionError("no ledger once replication resumed: " + resumed.ledger()));
        assertEquals(gtids, stillLost.transactions().stream().map(t -> t.id()).toList(), stillLost.summary());
        assertEquals(named, keys(stillLost, "demo.items"));
        System.out.printf("GTID crash: node1 committed %d rows, lost %d that node2 has; ledger named %s, %d rows;"
                        + " node2 after restart: %s; after node1 reused the numbers and node2 resumed with no error: %s%n",
                loss.rowsWritten(), loss.lostKeys().size(), lost.range(), named.size(), before, stillLost.summary());
    }

    @Test
    void bothNodesCrashedGiveALedgerPerDirection(LocalPair pair) throws Exception {
        CrashWithLoss.Result crash = CrashWithLoss.crash(pair, LOAD, Node.NODE1, Node.NODE2);

        Diagnosis d = diagnoseWithLedger();
        assertEquals(List.of("node1", "node2"), d.ledger().directions().stream().map(DirectionLedger::origin).toList(),
                d.ledger().lines() + "; findings " + d.findings());
        StringBuilder report = new StringBuilder("both crashed:");
        for (Node origin : Node.values()) {
            CrashWithLoss.NodeLoss loss = crash.of(origin);
            DirectionLedger ledger = d.ledger().direction(origin.label(), origin.other().label()).orElseThrow();
            // The holder's crash cut its own binlog too: what it applied from that cut part is in no log
            // any more. The ledger names what the logs hold and counts the rest, for the full check.
            Set<Long> named = keys(ledger, "demo.items");
            Set<Long> onHolder = CrashWithLoss.ids(pair.server(origin.other()), "origin = '" + origin.label() + "'");
            assertTrue(onHolder.containsAll(named), "nothing named that " + origin.other().label() + " lacks");
            long unread = Math.max(0, ledger.expected() - ledger.transactions().size());
            Set<Long> lostNotNamed = new TreeSet<>(loss.lostKeys());
            lostNotNamed.removeAll(named);
            // Whatever it cannot name, it says so: a full check follows.
            if (!lostNotNamed.isEmpty() || unread > 0) {
                assertTrue(ledger.needsFullCheck(), ledger.summary());
                assertTrue(ledger.summary().contains("full check"), ledger.summary());
            }
            report.append(String.format(" %s committed %d, lost %d that %s has; ledger named %d, %d more unread (%s);",
                    origin.label(), loss.rowsWritten(), loss.lostKeys().size(), origin.other().label(), named.size(),
                    unread, ledger.range()));
        }
        // Whether a row ends up on one node only depends on which InnoDB forgot more: some runs
        // lose nothing one-sided. The contract holds either way: named, or a full check follows.
        System.out.println(report + " took " + crash.took() + "\n" + String.join("\n", d.ledger().lines()));
    }

    /**
     * The same crash read three times with less and less: without SELECT on demo the rows are
     * counted but their keys are not; without REPLICATION SLAVE only the transactions and their
     * tables are (SHOW BINLOG EVENTS); with node2's binlogs and relay logs purged nothing is. Each
     * time the ledger says which grant or which log is missing, and that a full check follows.
     */
    @Test
    void whenTheLedgerCannotBeReadTheDiagnosisSaysWhichAndWhy(LocalPair pair) throws Exception {
        CrashWithLoss.Result crash = CrashWithLoss.crash(pair, Duration.ofMillis(1000), Node.NODE1);
        LocalServer node2 = pair.node2();
        try {
            node2.execute("SET sql_log_bin = 0", "REVOKE SELECT ON demo.* FROM " + BOT);
            DirectionLedger noSelect = diagnoseWithLedger().ledger().direction("node1", "node2").orElseThrow();
            assertEquals(Completeness.PARTIAL, noSelect.completeness(), noSelect.summary());
            assertTrue(noSelect.rows() > 0 && noSelect.keysByTable().getOrDefault("demo.items", List.of()).isEmpty());
            assertTrue(noSelect.summary().contains("GRANT SELECT ON `demo`.* TO " + BOT), noSelect.summary());

            node2.execute("SET sql_log_bin = 0", "REVOKE REPLICATION SLAVE ON *.* FROM " + BOT);
            DirectionLedger noReplication = diagnoseWithLedger().ledger().direction("node1", "node2").orElseThrow();
            assertEquals(Completeness.PARTIAL, noReplication.completeness(), noReplication.summary());
            assertEquals(noSelect.transactions().size(), noReplication.transactions().size(),
                    "SHOW BINLOG EVENTS finds the same transactions");
            assertEquals(TableRows.UNKNOWN, noReplication.rows());
            assertTrue(noReplication.summary().startsWith(noSelect.transactions().size() + " transactions on demo.items, may exist"),
                    noReplication.summary());
            assertTrue(noReplication.summary().contains("GRANT REPLICATION SLAVE ON *.* TO " + BOT), noReplication.summary());

            // Both logs that held them gone: node2 re-pointed at node1's new binlog as the plan does
            // (CHANGE MASTER TO with a new position deletes the relay logs), and node2's binlogs purged.
            node2.execute("STOP SLAVE", "CHANGE MASTER TO MASTER_LOG_FILE='" + pair.node1().binlogHead().get("File")
                    + "', MASTER_LOG_POS=4", "START SLAVE");
            node2.execute("FLUSH BINARY LOGS");
            String newest = node2.binlogHead().get("File");
            // MariaDB keeps a binlog until InnoDB's checkpoint and the dump threads have left it: retry.
            Awaitility.await("node2's older binlogs are purged").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        node2.execute("PURGE BINARY LOGS TO '" + newest + "'");
                        return node2.binaryLogs().size() == 1;
                    });
            grantLedgerPrivileges(pair); // the privileges back: what is missing now is the logs
            pair.awaitReplica(Node.NODE2, "node2 replicates from node1's new binlog",
                    s -> "Yes".equals(s.get("Slave_IO_Running")) && "Yes".equals(s.get("Slave_SQL_Running")));
            DirectionLedger purged = diagnoseWithLedger().ledger().direction("node1", "node2").orElseThrow();
            assertEquals(Completeness.UNREADABLE, purged.completeness(), purged.summary());
            assertTrue(purged.range().startsWith("GTIDs 1-1-"), purged.summary());
            assertTrue(purged.summary().startsWith("Could not read what may exist on node2 only"), purged.summary());
            assertTrue(purged.summary().contains("node2's binlogs no longer hold them")
                    && purged.summary().contains("node2's relay logs no longer hold them"), purged.summary());
            assertTrue(purged.summary().contains("The rows and primary keys on node2: the binlog stream failed"),
                    purged.summary());
            assertTrue(purged.summary().endsWith("A full check of every replicated table follows."), purged.summary());
            System.out.printf("unreadable: node1 lost %d; without SELECT: %s%nwithout REPLICATION SLAVE: %s%npurged: %s%n",
                    crash.of(Node.NODE1).lostKeys().size(), noSelect.summary(), noReplication.summary(), purged.summary());
        } finally {
            grantLedgerPrivileges(pair);
        }
    }
}
