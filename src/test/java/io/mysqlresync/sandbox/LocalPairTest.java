package io.mysqlresync.sandbox;

import static io.mysqlresync.sandbox.LocalPair.Node.NODE1;
import static io.mysqlresync.sandbox.LocalPair.Node.NODE2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlresync.testsupport.RealServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each fault of {@link LocalPair} produces the error a real server reports, read from the real
 * SHOW ALL SLAVES STATUS columns of MariaDB.
 */
@ExtendWith(RealServers.class)
class LocalPairTest {

    @BeforeEach
    void healthyFileAndPositionPair(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
    }

    @Test
    void eachNodeAppliesTheOtherNodesWritesByFileAndPosition(LocalPair pair) throws Exception {
        pair.writeRows(NODE1, 20);
        pair.writeRows(NODE2, 20);
        pair.awaitInSync();

        assertEquals(40, pair.rowCount(NODE1));
        assertEquals(40, pair.rowCount(NODE2));
        assertEquals(pair.checksum(NODE1), pair.checksum(NODE2));
        for (var node : LocalPair.Node.values()) {
            Map<String, String> status = pair.replicaStatus(node).orElseThrow();
            assertEquals("No", status.get("Using_Gtid"));
            assertEquals("0", status.get("Seconds_Behind_Master"));
            assertEquals(String.valueOf(pair.server(node.other()).serverId()), status.get("Master_Server_Id"));
        }
        // auto_increment_increment=2 with offsets 1 and 2: the nodes never hand out the same id.
        assertEquals("0", pair.node1().query(
                "SELECT COUNT(*) AS n FROM demo.items WHERE (origin = 'node1') <> (id % 2 = 1)").get(0).get("n"));
    }

    @Test
    void eachNodeAppliesTheOtherNodesWritesByGtid(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.GTID);
        pair.writeRows(NODE1, 20);
        pair.writeRows(NODE2, 20);
        pair.awaitInSync();

        assertEquals(pair.checksum(NODE1), pair.checksum(NODE2));
        assertEquals("Slave_Pos", pair.replicaStatus(NODE1).orElseThrow().get("Using_Gtid"));
        assertEquals("Slave_Pos", pair.replicaStatus(NODE2).orElseThrow().get("Using_Gtid"));
        // One GTID domain per node (gtid_domain_id = server_id).
        String gtids = pair.node1().query("SELECT @@gtid_current_pos AS g").get(0).get("g");
        assertEquals("1-1-20,2-2-20", gtids);
        assertEquals(gtids, pair.node2().query("SELECT @@gtid_current_pos AS g").get(0).get("g"));
    }

    @Test
    void aRowTheReplicaAlreadyHasStopsItsSqlThreadWith1062(LocalPair pair) throws Exception {
        Map<String, String> node2 = pair.causeDuplicateKey(NODE2);

        assertEquals("Yes", node2.get("Slave_IO_Running"));
        assertEquals("No", node2.get("Slave_SQL_Running"));
        assertEquals("1062", node2.get("Last_SQL_Errno"));
        assertEquals("1062", node2.get("Last_Errno"));
        assertTrue(node2.get("Last_SQL_Error").startsWith("Could not execute Write_rows_v1 event on table demo.items; "
                + "Duplicate entry '"), node2.get("Last_SQL_Error"));
        assertNull(node2.get("Seconds_Behind_Master"));
        assertHealthy(pair.replicaStatus(NODE1).orElseThrow());
    }

    @Test
    void aRowTheReplicaLostStopsItsSqlThreadWith1032(LocalPair pair) throws Exception {
        Map<String, String> node2 = pair.causeRowNotFound(NODE2);

        assertEquals("Yes", node2.get("Slave_IO_Running"));
        assertEquals("No", node2.get("Slave_SQL_Running"));
        assertEquals("1032", node2.get("Last_SQL_Errno"));
        assertTrue(node2.get("Last_SQL_Error").startsWith("Could not execute Update_rows_v1 event on table demo.items; "
                + "Can't find record in 'items', Error_code: 1032; handler error HA_ERR_KEY_NOT_FOUND"),
                node2.get("Last_SQL_Error"));
        assertHealthy(pair.replicaStatus(NODE1).orElseThrow());
    }

    @Test
    void aWrongReplicationPasswordLeavesTheIoThreadConnectingWith1045(LocalPair pair) throws Exception {
        Map<String, String> node2 = pair.breakReplicationAuth(NODE2);

        assertEquals("Connecting", node2.get("Slave_IO_Running"));
        assertEquals("Yes", node2.get("Slave_SQL_Running"));
        assertEquals("1045", node2.get("Last_IO_Errno"));
        assertEquals("error connecting to master 'repl@127.0.0.1:" + pair.node1().port() + "' - retry-time: 1  "
                + "maximum-retries: 100000  message: Access denied for user 'repl'@'127.0.0.1' (using password: YES)",
                node2.get("Last_IO_Error"));
        assertHealthy(pair.replicaStatus(NODE1).orElseThrow());

        // The IO thread keeps retrying, so giving the password back is all it takes.
        pair.restoreReplicationAuth(NODE2);
        pair.writeRows(NODE1, 5);
        pair.awaitInSync();
    }

    @Test
    void anOperatorsStopSlaveStopsBothThreadsWithoutAnError(LocalPair pair) throws Exception {
        pair.stopReplicationByOperator(NODE1);
        Map<String, String> node1 = pair.replicaStatus(NODE1).orElseThrow();

        assertEquals("No", node1.get("Slave_IO_Running"));
        assertEquals("No", node1.get("Slave_SQL_Running"));
        assertEquals("0", node1.get("Last_IO_Errno"));
        assertEquals("0", node1.get("Last_SQL_Errno"));
        assertEquals("", node1.get("Slave_IO_State"));
        assertNull(node1.get("Seconds_Behind_Master"));
    }

    @Test
    void aStoppedSqlThreadLetsTheOtherNodesWritesPileUpInTheRelayLog(LocalPair pair) throws Exception {
        pair.stopSqlThread(NODE1);
        pair.writeRows(NODE2, 30);
        long node2Head = Long.parseLong(pair.node2().binlogHead().get("Position"));
        Map<String, String> node1 = pair.awaitReplica(NODE1, "all of node2's writes are relayed",
                s -> Long.parseLong(s.get("Read_Master_Log_Pos")) == node2Head);

        assertEquals("Yes", node1.get("Slave_IO_Running"));
        assertEquals("No", node1.get("Slave_SQL_Running"));
        assertEquals("0", node1.get("Last_SQL_Errno"));
        assertTrue(Long.parseLong(node1.get("Exec_Master_Log_Pos")) < node2Head);
        assertEquals(0, pair.rowCount(NODE1));

        pair.startSqlThread(NODE1);
        pair.awaitInSync();
        assertEquals(30, pair.rowCount(NODE1));
    }

    @Test
    void aLockedRowMakesTheReplicaLagWithBothThreadsRunning(LocalPair pair) throws Exception {
        try (AutoCloseable lag = pair.startLag(NODE2, Duration.ofSeconds(2))) {
            Map<String, String> node2 = pair.replicaStatus(NODE2).orElseThrow();
            assertEquals("Yes", node2.get("Slave_IO_Running"));
            assertEquals("Yes", node2.get("Slave_SQL_Running"));
            assertTrue(Long.parseLong(node2.get("Seconds_Behind_Master")) >= 2, node2.get("Seconds_Behind_Master"));
            assertTrue(Long.parseLong(node2.get("Exec_Master_Log_Pos")) < Long.parseLong(node2.get("Read_Master_Log_Pos")));
        }
        pair.awaitInSync();
        assertEquals(pair.checksum(NODE1), pair.checksum(NODE2));
    }

    @Test
    void aKilledSourceLeavesTheReplicaConnectingWith2003UntilItIsBack(LocalPair pair) throws Exception {
        pair.writeRows(NODE2, 5);
        pair.awaitInSync();
        Map<String, String> node1 = pair.makeSourceUnreachable(NODE1);

        assertEquals("Connecting", node1.get("Slave_IO_Running"));
        assertEquals("Yes", node1.get("Slave_SQL_Running"));
        assertEquals("2003", node1.get("Last_IO_Errno"));
        assertEquals("error reconnecting to master 'repl@127.0.0.1:" + pair.node2().port() + "' - retry-time: 1  "
                + "maximum-retries: 100000  message: Can't connect to server on '127.0.0.1' (111 \"Connection refused\")",
                node1.get("Last_IO_Error"));

        pair.startNode(NODE2);
        pair.writeRows(NODE2, 5);
        pair.awaitInSync();
        assertEquals(10, pair.rowCount(NODE1));
    }

    @Test
    void theSeedIncidentBreaksBothDirectionsLikeTheBlogPost(LocalPair pair) throws Exception {
        SeedIncident incident = pair.reproduceSeedIncident();
        Map<String, String> node1 = incident.node1Replica();
        Map<String, String> node2 = incident.node2Replica();

        assertEquals("Yes", node1.get("Slave_IO_Running"));
        assertEquals("No", node1.get("Slave_SQL_Running"));
        assertEquals("1594", node1.get("Last_SQL_Errno"));
        assertTrue(node1.get("Last_SQL_Error").startsWith("Relay log read failure: Could not parse relay log event entry."),
                node1.get("Last_SQL_Error"));
        assertEquals(incident.corruptedRelayLog(), node1.get("Relay_Log_File"));
        assertEquals(incident.corruptedEventAt(), Long.parseLong(node1.get("Relay_Log_Pos")),
                "the SQL thread applied everything up to the corrupt event");
        assertTrue(Long.parseLong(node1.get("Exec_Master_Log_Pos")) < Long.parseLong(node1.get("Read_Master_Log_Pos")));

        assertEquals("No", node2.get("Slave_IO_Running"));
        assertEquals("Yes", node2.get("Slave_SQL_Running"));
        assertEquals("1236", node2.get("Last_IO_Errno"));
        assertEquals("Got fatal error 1236 from master when reading data from binary log: 'Client requested master "
                + "to start replication from impossible position; the first event '" + incident.truncatedBinlog()
                + "' at " + incident.node2ReadPosition() + ", the last event read from '" + incident.truncatedBinlog()
                + "' at 4, the last byte read from '" + incident.truncatedBinlog() + "' at 4.'", node2.get("Last_IO_Error"));
        assertEquals(incident.truncatedBinlog(), node2.get("Master_Log_File"));
        assertEquals(String.valueOf(incident.node2ReadPosition()), node2.get("Read_Master_Log_Pos"));

        // node1 started a new binlog on restart and still has the truncated one, shorter than node2's position.
        assertEquals("mysql-bin.000002", incident.node1NewBinlog());
        List<Map<String, String>> binlogs = pair.node1().binaryLogs();
        assertEquals(List.of("mysql-bin.000001", "mysql-bin.000002"), binlogs.stream().map(b -> b.get("Log_name")).toList());
        assertEquals(String.valueOf(incident.binlogTruncatedTo()), binlogs.get(0).get("File_size"));
        assertTrue(incident.binlogTruncatedTo() < incident.node2ReadPosition());
    }

    @Test
    void theBlogPostsRecipeRunByTheBotAccountRestartsReplicationAfterTheSeedIncident(LocalPair pair) throws Exception {
        SeedIncident incident = pair.reproduceSeedIncident();
        Map<String, String> node1 = incident.node1Replica();

        // node2 resumes at the head of node1's new binlog.
        try (Connection c = pair.node2().connect(Account.BOT); Statement s = c.createStatement()) {
            s.execute("STOP SLAVE");
            s.execute("CHANGE MASTER TO MASTER_LOG_FILE='" + incident.node1NewBinlog() + "', MASTER_LOG_POS=4");
            s.execute("START SLAVE");
        }
        // node1 refetches from node2 where its SQL thread stopped, discarding the corrupt relay log.
        try (Connection c = pair.node1().connect(Account.BOT); Statement s = c.createStatement()) {
            s.execute("STOP SLAVE");
            s.execute("CHANGE MASTER TO MASTER_LOG_FILE='" + node1.get("Relay_Master_Log_File") + "', MASTER_LOG_POS="
                    + node1.get("Exec_Master_Log_Pos"));
            s.execute("START SLAVE");
        }
        pair.writeRows(NODE1, 5);
        pair.writeRows(NODE2, 5);
        // Replication runs again both ways. The data need not match: node2 never got what node1
        // wrote past node2's read position, and node1's crash recovery rolled back prepared
        // transactions whose events were cut from its binlog after node2 had applied them.
        pair.awaitInSync();
    }

    @Test
    void theBotAccountCanReadStatusAndRepairButNotSkipOrReadData(LocalPair pair) throws Exception {
        LocalServer node1 = pair.node1();
        for (String read : List.of("SHOW SLAVE STATUS", "SHOW ALL SLAVES STATUS", "SHOW REPLICA STATUS",
                "SHOW BINARY LOGS", "SHOW MASTER STATUS", "SELECT @@version, @@server_id, @@read_only, @@gtid_current_pos",
                "SHOW GLOBAL STATUS LIKE 'Uptime'")) {
            assertFalse(node1.query(Account.BOT, read).isEmpty(), read);
        }
        Map<String, String> status = node1.replicaStatus().orElseThrow();
        try (Connection c = node1.connect(Account.BOT); Statement s = c.createStatement()) {
            s.execute("STOP SLAVE");
            s.execute("CHANGE MASTER TO MASTER_LOG_FILE='" + status.get("Relay_Master_Log_File") + "', MASTER_LOG_POS="
                    + status.get("Exec_Master_Log_Pos"));
            s.execute("SET GLOBAL gtid_slave_pos = @@gtid_slave_pos");
            s.execute("START SLAVE");
            SQLException skip = assertThrows(SQLException.class, () -> s.execute("SET GLOBAL sql_slave_skip_counter = 1"));
            assertEquals(1227, skip.getErrorCode(), "sql_slave_skip_counter needs SUPER on MariaDB 10.11");
            SQLException data = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM demo.items"));
            assertEquals(1142, data.getErrorCode());
        }
        pair.writeRows(NODE2, 3);
        pair.awaitInSync();
    }

    @Test
    void eachOfTheBotsPrivilegesIsNeededAndReplicationClientDoesNotReplaceSlaveMonitor(LocalPair pair)
            throws Exception {
        LocalServer node1 = pair.node1();
        Account probe = new Account("probe", "probe-password");
        // privileges granted -> a statement they must not allow
        Map<String, String> withoutOne = Map.of(
                "BINLOG MONITOR, REPLICATION SLAVE ADMIN", "SHOW SLAVE STATUS",
                "REPLICATION CLIENT, BINLOG MONITOR, REPLICATION SLAVE ADMIN", "SHOW ALL SLAVES STATUS",
                "SLAVE MONITOR, REPLICATION SLAVE ADMIN", "SHOW BINARY LOGS",
                "SLAVE MONITOR, BINLOG MONITOR", "STOP SLAVE");
        try {
            for (var grant : withoutOne.entrySet()) {
                node1.execute("SET sql_log_bin = 0",
                        "CREATE OR REPLACE USER 'probe'@'127.0.0.1' IDENTIFIED BY '" + probe.password() + "'",
                        "GRANT " + grant.getKey() + " ON *.* TO 'probe'@'127.0.0.1'");
                try (Connection c = node1.connect(probe); Statement s = c.createStatement()) {
                    SQLException denied = assertThrows(SQLException.class, () -> s.execute(grant.getValue()),
                            grant.getValue() + " with only " + grant.getKey());
                    assertEquals(1227, denied.getErrorCode(), denied.getMessage());
                }
            }
        } finally {
            node1.execute("SET sql_log_bin = 0", "DROP USER IF EXISTS 'probe'@'127.0.0.1'");
        }
        assertHealthy(pair.replicaStatus(NODE1).orElseThrow());
    }

    @Test
    void mariadbNamesTheColumnsSlaveAndMasterWhicheverStatementIsUsed(LocalPair pair) throws Exception {
        LocalServer node1 = pair.node1();
        var slaveStatus = node1.query("SHOW SLAVE STATUS").get(0).keySet();
        assertEquals(List.copyOf(slaveStatus), List.copyOf(node1.query("SHOW REPLICA STATUS").get(0).keySet()));
        var allSlaves = List.copyOf(node1.replicaStatus().orElseThrow().keySet());
        assertEquals(List.of("Connection_name", "Slave_SQL_State"), allSlaves.subList(0, 2));
        assertTrue(allSlaves.containsAll(slaveStatus));
        assertEquals(List.of("Retried_transactions", "Max_relay_log_size", "Executed_log_entries",
                "Slave_received_heartbeats", "Slave_heartbeat_period", "Gtid_Slave_Pos"),
                allSlaves.subList(allSlaves.size() - 6, allSlaves.size()));
        assertTrue(slaveStatus.containsAll(List.of("Slave_IO_Running", "Slave_SQL_Running", "Master_Log_File",
                "Read_Master_Log_Pos", "Relay_Master_Log_File", "Exec_Master_Log_Pos", "Seconds_Behind_Master",
                "Last_IO_Errno", "Last_IO_Error", "Last_SQL_Errno", "Last_SQL_Error", "Using_Gtid", "Gtid_IO_Pos")));
        assertFalse(slaveStatus.contains("Last_IO_Error_Timestamp"), "MariaDB has no error timestamps");
    }

    private static void assertHealthy(Map<String, String> status) {
        assertEquals("Yes", status.get("Slave_IO_Running"));
        assertEquals("Yes", status.get("Slave_SQL_Running"));
        assertEquals("0", status.get("Last_IO_Errno"));
        assertEquals("0", status.get("Last_SQL_Errno"));
    }
}
