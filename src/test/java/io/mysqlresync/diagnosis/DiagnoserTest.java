package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicationError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.testsupport.Statuses.MYSQL_COORDINATOR_STOP;
import static io.mysqlresync.testsupport.Statuses.NOW;
import static io.mysqlresync.testsupport.Statuses.binlog;
import static io.mysqlresync.testsupport.Statuses.node;
import static io.mysqlresync.testsupport.Statuses.pair;
import static io.mysqlresync.testsupport.Statuses.row;
import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiagnoserTest {

    private final Diagnoser diagnoser = new Diagnoser(Thresholds.DEFAULT);

    private static List<FindingKind> kinds(Diagnosis d, String node) {
        return d.on(node).stream().map(Finding::kind).toList();
    }

    private static String evidence(Finding f, String field) {
        return f.evidence().stream().filter(e -> e.field().equals(field)).findFirst().orElseThrow().value();
    }

    @Test
    void givenTheSeedIncidentNode1sRelayLogIsCorruptAndNode2sSourceBinlogIsTruncated() {
        Diagnosis d = diagnoser.diagnose(seedIncident("5.7.44-log"));

        assertTrue(kinds(d, "node1").contains(FindingKind.RELAY_LOG_CORRUPT));
        assertTrue(kinds(d, "node1").contains(FindingKind.RECENTLY_RESTARTED));
        assertEquals(List.of(FindingKind.SOURCE_BINLOG_TRUNCATED), kinds(d, "node2"));
        assertTrue(d.broken());

        Finding relay = d.on("node1").stream().filter(f -> f.kind() == FindingKind.RELAY_LOG_CORRUPT).findFirst().orElseThrow();
        assertEquals("mysql-bin.000253", evidence(relay, "Relay_Master_Log_File"));
        assertEquals("419130498", evidence(relay, "Exec_Master_Log_Pos"));
        assertEquals("1594", evidence(relay, "Last_SQL_Errno"));
        assertTrue(relay.explanation().contains("mysql-bin.000253:419130498"), relay.explanation());

        Finding truncated = d.on("node2").get(0);
        assertEquals("node1", truncated.sourceNode());
        assertTrue(truncated.explanation().contains("ends at 173000000"), truncated.explanation());
        assertTrue(truncated.explanation().contains("cut 841457 bytes"), truncated.explanation());
        assertTrue(truncated.explanation().contains("mysql-bin.000235"), truncated.explanation());
        assertTrue(evidence(truncated, "node1 SHOW BINARY LOGS").contains("mysql-bin.000234 (173000000 bytes)"));
    }

    @Test
    void evidenceUsesTheColumnNamesOfMysql8WhenTheNodeIsMysql8() {
        NodeStatus n1 = node("node1", "8.0.36", 100_000, row(
                "Source_Host: node2", "Source_Log_File: binlog.000010", "Read_Source_Log_Pos: 900",
                "Relay_Source_Log_File: binlog.000010", "Exec_Source_Log_Pos: 500",
                "Relay_Log_File: relay.000003", "Relay_Log_Pos: 300",
                "Replica_IO_Running: Yes", "Replica_SQL_Running: No",
                "Last_SQL_Errno: 13121", "Last_SQL_Error: Relay log read failure: Could not parse relay log event entry.",
                "Seconds_Behind_Source: NULL"), binlog("binlog.000001", 100));
        NodeStatus n2 = node("node2", "8.0.36", 100_000, row(
                "Source_Host: node1", "Source_Log_File: binlog.000001", "Read_Source_Log_Pos: 100",
                "Relay_Source_Log_File: binlog.000001", "Exec_Source_Log_Pos: 100",
                "Relay_Log_File: relay.000002", "Relay_Log_Pos: 300",
                "Replica_IO_Running: Yes", "Replica_SQL_Running: Yes", "Seconds_Behind_Source: 0"),
                binlog("binlog.000010", 900));
        Diagnosis d = diagnoser.diagnose(pair(n1, n2));
        Finding relay = d.on("node1").get(0);
        assertEquals(FindingKind.RELAY_LOG_CORRUPT, relay.kind());
        assertEquals("binlog.000010", evidence(relay, "Relay_Source_Log_File"));
        assertEquals("500", evidence(relay, "Exec_Source_Log_Pos"));
        assertEquals("No", evidence(relay, "Replica_SQL_Running"));
        assertEquals(List.of(FindingKind.HEALTHY), kinds(d, "node2"));
    }

    private static ClusterStatus withNode2(String... node2Row) {
        NodeStatus n1 = node("node1", "10.11.19-MariaDB", 100_000, row(
                "Master_Host: node2", "Master_Log_File: mysql-bin.000001", "Read_Master_Log_Pos: 100",
                "Relay_Master_Log_File: mysql-bin.000001", "Exec_Master_Log_Pos: 100",
                "Relay_Log_File: relay-bin.000002", "Relay_Log_Pos: 300",
                "Slave_IO_Running: Yes", "Slave_SQL_Running: Yes", "Seconds_Behind_Master: 0"),
                binlog("mysql-bin.000001", 5000));
        NodeStatus n2 = node("node2", "10.11.19-MariaDB", 100_000, row(node2Row), binlog("mysql-bin.000001", 100));
        return pair(n1, n2);
    }

    private static final String[] NODE2_POSITIONS = {
            "Master_Host: node1", "Master_User: repl", "Master_Log_File: mysql-bin.000001", "Read_Master_Log_Pos: 5000",
            "Relay_Master_Log_File: mysql-bin.000001", "Exec_Master_Log_Pos: 4000",
            "Relay_Log_File: relay-bin.000002", "Relay_Log_Pos: 700"};

    private static String[] node2(String... more) {
        String[] all = new String[NODE2_POSITIONS.length + more.length];
        System.arraycopy(NODE2_POSITIONS, 0, all, 0, NODE2_POSITIONS.length);
        System.arraycopy(more, 0, all, NODE2_POSITIONS.length, more.length);
        return all;
    }

    @Test
    void duplicateKeyIsReportedAsDivergence() {
        Diagnosis d = diagnoser.diagnose(withNode2(node2("Slave_IO_Running: Yes", "Slave_SQL_Running: No",
                "Last_SQL_Errno: 1062",
                "Last_SQL_Error: Could not execute Write_rows_v1 event on table demo.t; Duplicate entry '7' for key 'PRIMARY', Error_code: 1062; handler error HA_ERR_FOUND_DUPP_KEY; the event's master log mysql-bin.000001, end_log_pos 4100")));
        assertEquals(List.of(FindingKind.DUPLICATE_KEY), kinds(d, "node2"));
    }

    @Test
    void rowNotFoundIsReportedAsDivergence() {
        Diagnosis d = diagnoser.diagnose(withNode2(node2("Slave_IO_Running: Yes", "Slave_SQL_Running: No",
                "Last_SQL_Errno: 1032",
                "Last_SQL_Error: Could not execute Delete_rows_v1 event on table demo.t; Can't find record in 't', Error_code: 1032; handler error HA_ERR_KEY_NOT_FOUND")));
        assertEquals(List.of(FindingKind.ROW_NOT_FOUND), kinds(d, "node2"));
    }

    private static NodeStatus mysqlReplicaStoppedByItsCoordinator(ReplicationError worker) {
        NodeStatus n = node("node1", "8.0.36", 100_000, row(
                "Source_Host: node2", "Source_Log_File: binlog.000406", "Read_Source_Log_Pos: 906700000",
                "Relay_Source_Log_File: binlog.000406", "Exec_Source_Log_Pos: 906634000",
                "Relay_Log_File: relay.000012", "Relay_Log_Pos: 4000",
                "Replica_IO_Running: Yes", "Replica_SQL_Running: No",
                "Last_SQL_Errno: 1032", "Last_SQL_Error: " + MYSQL_COORDINATOR_STOP, "Seconds_Behind_Source: NULL"),
                binlog("binlog.000001", 100));
        return new NodeStatus(n.node(), n.readAt(), n.unreachableReason(), n.version(), n.serverId(),
                n.uptimeSeconds(), n.readOnly(), n.gtidEnabled(), n.gtidExecuted(), n.binaryLogs(),
                n.ownBinlogHead(), List.of(n.channels().get(0).withWorkerError(worker)));
    }

    private static NodeStatus healthyMysqlNode2() {
        return node("node2", "8.0.36", 100_000, row(
                "Source_Host: node1", "Source_Log_File: binlog.000001", "Read_Source_Log_Pos: 100",
                "Relay_Source_Log_File: binlog.000001", "Exec_Source_Log_Pos: 100",
                "Relay_Log_File: relay.000002", "Relay_Log_Pos: 300",
                "Replica_IO_Running: Yes", "Replica_SQL_Running: Yes", "Seconds_Behind_Source: 0"),
                binlog("binlog.000406", 906700000));
    }

    @Test
    void aMultithreadedApplierStopQuotesTheFailingWorkersOwnError() {
        ReplicationError worker = new ReplicationError(1032, "Worker 2 failed executing transaction "
                + "'c7258e28-4c06-11e7-b189-0a26f8645d98:242101388' at source log binlog.000406, end_log_pos "
                + "906634781; Could not execute Delete_rows event on table shop.orders; Can't find record in "
                + "'orders', Error_code: 1032; handler error HA_ERR_KEY_NOT_FOUND", "2026-11-25 06:40:12.123456");
        Diagnosis d = diagnoser.diagnose(pair(mysqlReplicaStoppedByItsCoordinator(worker), healthyMysqlNode2()));

        Finding f = d.on("node1").get(0);
        assertEquals(FindingKind.ROW_NOT_FOUND, f.kind());
        String quoted = evidence(f, ThreadError.WORKER_ERROR_EVIDENCE);
        assertTrue(quoted.startsWith("1032: Worker 2 failed"), quoted);
        assertTrue(quoted.contains("table shop.orders"), quoted);
        assertTrue(evidence(f, "Last_SQL_Error").startsWith("Coordinator stopped"), "the coordinator's text stays");
    }

    @Test
    void withoutTheWorkersErrorTheCoordinatorsErrorNumberStillDecides() {
        Diagnosis d = diagnoser.diagnose(pair(mysqlReplicaStoppedByItsCoordinator(ReplicationError.NONE),
                healthyMysqlNode2()));

        Finding f = d.on("node1").get(0);
        assertEquals(FindingKind.ROW_NOT_FOUND, f.kind());
        assertTrue(f.evidence().stream().noneMatch(e -> e.field().equals(ThreadError.WORKER_ERROR_EVIDENCE)));
    }

    @Test
    void accessDeniedIsAnAuthenticationFailure() {
        Diagnosis d = diagnoser.diagnose(withNode2(node2("Slave_IO_Running: Connecting", "Slave_SQL_Running: Yes",
                "Last_IO_Errno: 1045",
                "Last_IO_Error: error connecting to master 'repl@127.0.0.1:3306' - retry-time: 60  maximum-retries: 86400  message: Access denied for user 'repl'@'localhost' (using password: YES)")));
        Finding f = d.on("node2").get(0);
        assertEquals(FindingKind.REPLICATION_AUTH_FAILURE, f.kind());
        assertTrue(f.summary().contains("repl"));
    }

    @Test
    void connectionRefusedMeansTheSourceIsUnreachable() {
        Diagnosis d = diagnoser.diagnose(withNode2(node2("Slave_IO_Running: Connecting", "Slave_SQL_Running: Yes",
                "Last_IO_Errno: 2003",
                "Last_IO_Error: error connecting to master 'repl@127.0.0.1:3306' - retry-time: 60  message: Can't connect to server on '127.0.0.1' (111)")));
        assertEquals(List.of(FindingKind.SOURCE_UNREACHABLE), kinds(d, "node2"));
    }

    @Test
    void stoppedThreadsWithoutAnErrorWereStoppedByAnOperator() {
        Diagnosis d = diagnoser.diagnose(withNode2(node2("Slave_IO_Running: No", "Slave_SQL_Running: No",
                "Last_IO_Errno: 0", "Last_SQL_Errno: 0")));
        assertEquals(List.of(FindingKind.THREADS_STOPPED_BY_OPERATOR), kinds(d, "node2"));
        assertTrue(d.broken(), "nobody replicates while it is stopped");
    }

    @Test
    void lagAboveTheThresholdIsLagging() {
        Diagnosis d = diagnoser.diagnose(withNode2(node2("Slave_IO_Running: Yes", "Slave_SQL_Running: Yes",
                "Seconds_Behind_Master: 4000")));
        assertEquals(List.of(FindingKind.LAGGING), kinds(d, "node2"));
        assertFalse(d.broken());
        assertFalse(d.inSync());
    }

    @Test
    void purgedBinlogsNeedARebuild() {
        Diagnosis d = diagnoser.diagnose(withNode2(node2("Slave_IO_Running: No", "Slave_SQL_Running: Yes",
                "Last_IO_Errno: 1236",
                "Last_IO_Error: Got fatal error 1236 from master when reading data from binary log: 'Could not find first log file name in binary log index file'")));
        assertEquals(List.of(FindingKind.SOURCE_BINLOGS_PURGED), kinds(d, "node2"));
    }

    @Test
    void aSourceRefusingItsBinlogForAnUnknownReasonIsQuotedNotTakenForALoginProblem() {
        // Rules ask in order: a 1236 no binlog rule recognises stops at UnknownError, even when its
        // text happens to contain words the login and connection rules look for.
        Diagnosis d = diagnoser.diagnose(withNode2(node2("Slave_IO_Running: No", "Slave_SQL_Running: Yes",
                "Last_IO_Errno: 1236",
                "Last_IO_Error: Got fatal error 1236 from master when reading data from binary log: 'access denied while error connecting to the binlog dump'")));
        Finding f = d.on("node2").get(0);
        assertEquals(FindingKind.UNKNOWN_ERROR, f.kind());
        assertEquals("node2's IO thread stopped with error 1236", f.summary());
    }

    @Test
    void unknownErrorsAreReportedVerbatimNotGuessed() {
        Diagnosis d = diagnoser.diagnose(withNode2(node2("Slave_IO_Running: Yes", "Slave_SQL_Running: No",
                "Last_SQL_Errno: 1677", "Last_SQL_Error: Column 2 of table 'demo.orders' cannot be converted from type 'int' to type 'bigint(20)'")));
        Finding f = d.on("node2").get(0);
        assertEquals(FindingKind.UNKNOWN_ERROR, f.kind());
        assertTrue(f.explanation().contains("Column 2 of table 'demo.orders' cannot be converted from type 'int' to type 'bigint(20)'"));
    }

    @Test
    void anUnreachableNodeDoesNotHideTheOtherOne() {
        NodeStatus n1 = NodeStatus.unreachable("node1", NOW, "Communications link failure (connect timed out)");
        ClusterStatus c = withNode2(node2("Slave_IO_Running: Connecting", "Slave_SQL_Running: Yes",
                "Last_IO_Errno: 2003", "Last_IO_Error: error connecting to master"));
        Diagnosis d = diagnoser.diagnose(pair(n1, c.node("node2").orElseThrow()));
        assertEquals(List.of(FindingKind.NODE_UNREACHABLE), kinds(d, "node1"));
        assertEquals(List.of(FindingKind.SOURCE_UNREACHABLE), kinds(d, "node2"));
    }

    @Test
    void aStaleErrorOnARunningThreadIsIgnored() {
        Diagnosis d = diagnoser.diagnose(withNode2(node2("Slave_IO_Running: Yes", "Slave_SQL_Running: Yes",
                "Last_IO_Errno: 2003", "Last_IO_Error: old", "Seconds_Behind_Master: 0")));
        assertEquals(List.of(FindingKind.HEALTHY), kinds(d, "node2"));
        assertTrue(d.inSync());
    }
}
