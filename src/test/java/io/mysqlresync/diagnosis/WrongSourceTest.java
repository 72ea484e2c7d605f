package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeAddress;
import io.mysqlresync.replication.NodeStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.mysqlresync.testsupport.Statuses.binlog;
import static io.mysqlresync.testsupport.Statuses.node;
import static io.mysqlresync.testsupport.Statuses.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replica-source cross-check on plain values (the wrong-port case on real servers is in mysql/). */
class WrongSourceTest {

    private static final Map<String, NodeAddress> CONFIGURED = Map.of(
            "node1", new NodeAddress("db1.example", 3306), "node2", new NodeAddress("db2.example", 3306));

    private static NodeStatus replica(String name, String host, int port, long masterServerId, String io) {
        return node(name, "10.11.6-MariaDB-log", 90_000, row(
                "Master_Host: " + host, "Master_User: repl", "Master_Port: " + port,
                "Master_Log_File: mysql-bin.000007", "Read_Master_Log_Pos: 4096",
                "Relay_Log_File: relay-bin.000002", "Relay_Log_Pos: 600",
                "Relay_Master_Log_File: mysql-bin.000007", "Exec_Master_Log_Pos: 4096",
                "Slave_IO_Running: " + io, "Slave_SQL_Running: Yes",
                "Last_IO_Errno: " + (io.equals("Yes") ? "0" : "2003"),
                "Last_IO_Error: " + (io.equals("Yes") ? "" : "error reconnecting to master 'repl@" + host + ":" + port
                        + "' - retry-time: 60  maximum-retries: 86400  message: Can't connect to MySQL server on '"
                        + host + "' (111 \"Connection refused\")"),
                "Seconds_Behind_Master: " + (io.equals("Yes") ? "0" : "NULL"),
                "Master_Server_Id: " + masterServerId, "Using_Gtid: No"),
                binlog("mysql-bin.000007", 4096));
    }

    private static List<Finding> diagnose(NodeStatus node1, NodeStatus node2) {
        ClusterStatus status = new ClusterStatus("shop", List.of(node1, node2),
                Map.of("node1", "node2", "node2", "node1"), CONFIGURED);
        return new Diagnoser(Thresholds.DEFAULT).diagnose(status).findings();
    }

    private static List<FindingKind> kindsOf(List<Finding> findings, String node) {
        return findings.stream().filter(f -> f.node().equals(node)).map(Finding::kind).toList();
    }

    @Test
    void aRunningReplicaFollowingAnotherServerIdIsAWrongSource() {
        List<Finding> f = diagnose(replica("node1", "db2.example", 3306, 2, "Yes"),
                replica("node2", "db9.example", 3306, 9, "Yes"));
        assertEquals(List.of(FindingKind.HEALTHY), kindsOf(f, "node1"));
        assertEquals(List.of(FindingKind.WRONG_SOURCE), kindsOf(f, "node2"));
        Finding wrong = f.stream().filter(x -> x.node().equals("node2")).findFirst().orElseThrow();
        assertTrue(wrong.summary().contains("server id 9") && wrong.summary().contains("server id 1"), wrong.summary());
    }

    @Test
    void aRunningReplicaUnderAnAliasIsHealthy() {
        // 10.0.0.1 is how node2 reaches node1; the server id proves it is node1.
        List<Finding> f = diagnose(replica("node1", "db2.example", 3306, 2, "Yes"),
                replica("node2", "10.0.0.1", 3307, 1, "Yes"));
        assertEquals(List.of(FindingKind.HEALTHY), kindsOf(f, "node2"));
    }

    @Test
    void aWrongPortWhileTheSourceAnswersIsAWrongSourceNotAnOutage() {
        List<Finding> f = diagnose(replica("node1", "db2.example", 3306, 2, "Yes"),
                replica("node2", "db1.example", 3399, 1, "Connecting"));
        assertEquals(List.of(FindingKind.WRONG_SOURCE), kindsOf(f, "node2"));
        Finding wrong = f.stream().filter(x -> x.node().equals("node2")).findFirst().orElseThrow();
        assertTrue(wrong.summary().contains("db1.example:3399") && wrong.summary().contains("db1.example:3306"));
    }

    @Test
    void theRightAddressUnreachableWhileTheSourceAnswersTheBotIsThePathNotAnOutage() {
        List<Finding> f = diagnose(replica("node1", "db2.example", 3306, 2, "Yes"),
                replica("node2", "db1.example", 3306, 1, "Connecting"));
        assertEquals(List.of(FindingKind.SOURCE_UNREACHABLE), kindsOf(f, "node2"));
        Finding path = f.stream().filter(x -> x.node().equals("node2")).findFirst().orElseThrow();
        assertTrue(path.explanation().contains("node1 answers the bot, so it is up"), path.explanation());
    }

    @Test
    void whenTheSourceIsReallyDownItIsSourceUnreachable() {
        NodeStatus node1Down = NodeStatus.unreachable("node1", io.mysqlresync.testsupport.Statuses.NOW,
                "Connection refused");
        List<Finding> f = diagnose(node1Down, replica("node2", "db1.example", 3306, 1, "Connecting"));
        assertEquals(List.of(FindingKind.SOURCE_UNREACHABLE), kindsOf(f, "node2"));
        assertTrue(f.stream().filter(x -> x.node().equals("node2")).findFirst().orElseThrow().explanation()
                .contains("node1 is down or unreachable from node2"));
    }

    @Test
    void anErrorFromAServerProvesTheAddressRightWhateverItsSpelling() {
        // The seed incident: node2's 1236 came from node1 itself, though the bot reaches the
        // nodes under other addresses (a bastion, NAT) than the replicas use between them.
        ClusterStatus seed = io.mysqlresync.testsupport.Statuses.seedIncident("5.7.44-log");
        ClusterStatus viaNat = new ClusterStatus(seed.cluster(), seed.nodes(), seed.sourceOf(), Map.of(
                "node1", new NodeAddress("203.0.113.1", 33061), "node2", new NodeAddress("203.0.113.1", 33062)));
        List<Finding> f = new Diagnoser(Thresholds.DEFAULT).diagnose(viaNat).findings();
        assertEquals(List.of(FindingKind.SOURCE_BINLOG_TRUNCATED), kindsOf(f, "node2"));
        assertEquals(List.of(FindingKind.RECENTLY_RESTARTED, FindingKind.RELAY_LOG_CORRUPT), kindsOf(f, "node1"));
    }

    @Test
    void hostsAreComparedAsWrittenWithLoopbackNamesEqual() {
        assertTrue(WrongSource.sameHost("LOCALHOST", "127.0.0.1"));
        assertTrue(WrongSource.sameHost("db1.example", "DB1.example "));
        assertTrue(!WrongSource.sameHost("db1.example", "db1"));
    }
}
