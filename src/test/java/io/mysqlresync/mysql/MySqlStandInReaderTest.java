package io.mysqlresync.mysql;

import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ThreadState;
import io.mysqlresync.testsupport.mysqlwire.MySqlVersion;
import io.mysqlresync.testsupport.mysqlwire.ScriptedMySql;
import io.mysqlresync.testsupport.mysqlwire.StandInPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader over a real connection, through Connector/J, against the MySQL stand-in playing
 * 5.7, 8.0 and 8.4 (column sets and removed statements: see {@link MySqlVersion}'s sources).
 */
class MySqlStandInReaderTest {

    private static NodeStatus read(StandInPair pair, String node) {
        try (NodeConnections c = new NodeConnections(List.of(pair.cluster()));
             JdbcClusterReader r = new JdbcClusterReader(c, 2, Clock.systemUTC())) {
            return r.readNode(StandInPair.CLUSTER, node);
        }
    }

    private static Connection connect(ScriptedMySql server) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.port() + "/?sslMode=PREFERRED"
                + "&allowPublicKeyRetrieval=true", "resync", "standin-secret");
    }

    /** A crashed 5.7-style channel, given in 5.7's words; the stand-in prints each version's own. */
    private static void brokenChannel(ScriptedMySql node) {
        node.binlog("mysql-bin.000252", 1073742000L).binlog("mysql-bin.000253", 600000000L)
                .channel("Slave_IO_State: Waiting for source to send event", "Master_Host: node2", "Master_User: repl",
                        "Master_Port: 3307", "Master_Log_File: mysql-bin.000253", "Read_Master_Log_Pos: 569975131",
                        "Relay_Log_File: relay-bin.000198", "Relay_Log_Pos: 179576569",
                        "Relay_Master_Log_File: mysql-bin.000253", "Slave_IO_Running: Yes", "Slave_SQL_Running: No",
                        "Exec_Master_Log_Pos: 419130498", "Last_SQL_Errno: 13121",
                        "Last_SQL_Error: Relay log read failure: Could not parse relay log event entry.",
                        "Last_SQL_Error_Timestamp: 261130 03:12:09", "Master_Server_Id: 2", "Auto_Position: 0");
    }

    @ParameterizedTest
    @EnumSource(MySqlVersion.class)
    void eachVersionIsReadInItsOwnDialectWithoutOneRefusedStatement(MySqlVersion version) throws Exception {
        try (StandInPair pair = StandInPair.start(version)) {
            brokenChannel(pair.node1);
            NodeStatus n = read(pair, "node1");
            assertTrue(n.reachable(), n.unreachableReason());
            assertEquals(version.versionString(), n.version().raw());
            String workers = version == MySqlVersion.MYSQL_5_7
                    ? "@@slave_parallel_workers, @@slave_preserve_commit_order"
                    : "@@replica_parallel_workers, @@replica_preserve_commit_order";
            String head = version == MySqlVersion.MYSQL_8_4 ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
            String status = version == MySqlVersion.MYSQL_5_7 ? "SHOW SLAVE STATUS" : "SHOW REPLICA STATUS";
            List<String> sent = pair.node1.readerStatements();
            List<String> all = List.of("SELECT @@version, @@version_comment",
                    "SELECT @@server_id, @@read_only, @@gtid_mode, @@gtid_executed, " + workers,
                    "SHOW GLOBAL STATUS LIKE 'Uptime'", "SHOW BINARY LOGS", head, status);
            assertEquals(all, sent.subList(0, all.size()), sent.toString());
        }
    }

    /** MySQL 8.4 removed the SLAVE/MASTER forms: they fail to parse, 1064 / 42000, as the real server does. */
    @Test
    void theStandInRefusesWhatEachVersionRemovedWithTheRealParseError() throws Exception {
        try (ScriptedMySql mysql84 = ScriptedMySql.start(MySqlVersion.MYSQL_8_4, 1);
             Connection c = connect(mysql84); Statement st = c.createStatement()) {
            for (String removed : List.of("SHOW SLAVE STATUS", "SHOW MASTER STATUS", "START SLAVE", "STOP SLAVE",
                    "CHANGE MASTER TO MASTER_LOG_FILE='binlog.000002', MASTER_LOG_POS=4")) {
                SQLException e = assertThrows(SQLException.class, () -> st.execute(removed), removed);
                assertEquals(1064, e.getErrorCode());
                assertEquals("42000", e.getSQLState());
                String near = removed.substring(removed.indexOf(' ') + 1);
                assertEquals("You have an error in your SQL syntax; check the manual that corresponds to your MySQL "
                        + "server version for the right syntax to use near '" + near + "' at line 1", e.getMessage());
            }
            st.execute("STOP REPLICA FOR CHANNEL 'eu'"); // the 8.4 form is accepted
        }
        try (ScriptedMySql mysql57 = ScriptedMySql.start(MySqlVersion.MYSQL_5_7, 1);
             Connection c = connect(mysql57); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.execute("SHOW REPLICA STATUS"));
            assertEquals(1064, e.getErrorCode());
        }
    }

    /** Full column sets, in the server's order: 57 on 5.7, 60 on 8.0.22+ and 8.4. */
    @ParameterizedTest
    @EnumSource(MySqlVersion.class)
    void everyVersionsFullStatusRowMapsToTheSameChannel(MySqlVersion version) throws Exception {
        try (StandInPair pair = StandInPair.start(version)) {
            brokenChannel(pair.node1);
            String show = version == MySqlVersion.MYSQL_5_7 ? "SHOW SLAVE STATUS" : "SHOW REPLICA STATUS";
            try (Connection c = connect(pair.node1); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(show)) {
                ResultSetMetaData md = rs.getMetaData();
                assertEquals(version == MySqlVersion.MYSQL_5_7 ? 57 : 60, md.getColumnCount());
                assertEquals(version == MySqlVersion.MYSQL_5_7 ? "Slave_IO_State" : "Replica_IO_State", md.getColumnLabel(1));
                assertEquals("Channel_Name", md.getColumnLabel(56));
            }
            ReplicaChannel ch = read(pair, "node1").replica().orElseThrow();
            assertEquals("node2", ch.sourceHost());
            assertEquals(3307, ch.sourcePort());
            assertEquals("repl", ch.sourceUser());
            assertEquals(2, ch.sourceServerId());
            assertEquals(ThreadState.RUNNING, ch.ioThread());
            assertEquals(ThreadState.STOPPED, ch.sqlThread());
            assertEquals("mysql-bin.000253:569975131", ch.received().toString());
            assertEquals("mysql-bin.000253:419130498", ch.executed().toString());
            assertEquals("relay-bin.000198:179576569", ch.relayLog().toString());
            assertEquals(13121, ch.sqlError().code());
            assertEquals("261130 03:12:09", ch.sqlError().timestamp());
            assertFalse(ch.usesGtid());
            assertTrue(ch.secondsBehindSource().isEmpty(), "NULL stays unknown, not 0");
        }
    }

    /**
     * With commit order preserved, workers queued after the failing one stop later with 3030
     * (ER_REPLICA_WORKER_STOPPED_PREVIOUS_THD_ERROR, raised in sql/rpl_replica_commit_order_manager.cc):
     * the reader keeps the earliest real error and the GTID that worker was applying.
     */
    @Test
    void theRootWorkerErrorIsKeptNotTheNewest3030() throws Exception {
        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        try (StandInPair pair = StandInPair.start(MySqlVersion.MYSQL_8_0)) {
            pair.node1.gtid(uuid + ":1-99").binlog("binlog.000001", 500).channel("Source_Host: node2",
                    "Replica_IO_Running: Yes", "Replica_SQL_Running: No", "Last_SQL_Errno: 1062",
                    "Last_SQL_Error: Coordinator stopped because there were error(s) in the worker(s). The most recent "
                            + "failure being: Worker 3 failed executing transaction '" + uuid + ":102' at source log "
                            + "binlog.000001, end_log_pos 480. See error log and/or "
                            + "performance_schema.replication_applier_status_by_worker table for more details about "
                            + "this failure or others, if any.")
                    .worker("CHANNEL_NAME: ", "WORKER_ID: 1", "LAST_ERROR_NUMBER: 1062",
                            "LAST_ERROR_MESSAGE: Worker 1 failed executing transaction '" + uuid + ":100' at source log "
                                    + "binlog.000001, end_log_pos 300; Could not execute Write_rows event on table shop.orders; "
                                    + "Duplicate entry '7' for key 'orders.PRIMARY', Error_code: 1062",
                            "LAST_ERROR_TIMESTAMP: 2026-11-30 03:12:09.100000", "APPLYING_TRANSACTION: " + uuid + ":100",
                            "LAST_APPLIED_TRANSACTION: " + uuid + ":99")
                    .worker("CHANNEL_NAME: ", "WORKER_ID: 3", "LAST_ERROR_NUMBER: 3030",
                            "LAST_ERROR_MESSAGE: Worker 3 failed executing transaction '" + uuid + ":102'",
                            "LAST_ERROR_TIMESTAMP: 2026-11-30 03:12:09.300000", "APPLYING_TRANSACTION: " + uuid + ":102")
                    .worker("CHANNEL_NAME: ", "WORKER_ID: 2", "LAST_ERROR_NUMBER: 3030",
                            "LAST_ERROR_MESSAGE: Worker 2 failed executing transaction '" + uuid + ":101'",
                            "LAST_ERROR_TIMESTAMP: 2026-11-30 03:12:09.200000", "APPLYING_TRANSACTION: " + uuid + ":101")
                    .worker("CHANNEL_NAME: other", "WORKER_ID: 1", "LAST_ERROR_NUMBER: 1032",
                            "LAST_ERROR_MESSAGE: another channel's error", "LAST_ERROR_TIMESTAMP: 2026-11-30 03:00:00.000000",
                            "APPLYING_TRANSACTION: " + uuid + ":5");
            NodeStatus n = read(pair, "node1");
            assertTrue(n.gtidEnabled());
            ReplicaChannel ch = n.replica().orElseThrow();
            assertEquals(1062, ch.workerError().code());
            assertTrue(ch.workerError().message().contains("Duplicate entry '7'"), ch.workerError().message());
            assertEquals(uuid + ":100", ch.applier().failingTransaction());
            assertEquals(4, ch.applier().parallelWorkers());
            assertTrue(ch.applier().preservesCommitOrder());
        }
    }

    /** 5.7's worker table has LAST_SEEN_TRANSACTION, not APPLYING_TRANSACTION (asking for it is error 1054). */
    @Test
    void onMysql57TheWorkersLastSeenTransactionIsRead() throws Exception {
        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        try (StandInPair pair = StandInPair.start(MySqlVersion.MYSQL_5_7)) {
            pair.node1.set("slave_parallel_workers", "4").set("slave_preserve_commit_order", "0")
                    .binlog("mysql-bin.000001", 500).channel("Master_Host: node2", "Slave_IO_Running: Yes",
                            "Slave_SQL_Running: No", "Last_SQL_Errno: 1032", "Last_SQL_Error: Coordinator stopped because "
                                    + "there were error(s) in the worker(s). The most recent failure being: Worker 1 failed")
                    .worker("CHANNEL_NAME: ", "WORKER_ID: 1", "LAST_ERROR_NUMBER: 1032",
                            "LAST_ERROR_MESSAGE: Worker 1 failed executing transaction; Can't find record in 'orders'",
                            "LAST_ERROR_TIMESTAMP: 2026-11-30 03:12:09", "LAST_SEEN_TRANSACTION: " + uuid + ":7");
            ReplicaChannel ch = read(pair, "node1").replica().orElseThrow();
            assertEquals(1032, ch.workerError().code());
            assertEquals(uuid + ":7", ch.applier().failingTransaction());
            assertEquals(4, ch.applier().parallelWorkers());
            assertFalse(ch.applier().preservesCommitOrder());
        }
    }

    /** The reason a node cannot be read comes out in the DBA's words, with the server's error number. */
    @Test
    void failuresAreClassifiedInTheDbasWords() throws Exception {
        try (StandInPair pair = StandInPair.start(MySqlVersion.MYSQL_8_4)) {
            pair.node1.failing("^SHOW BINARY LOGS$", 1227, "42000",
                    "Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT privilege(s) for this operation");
            NodeStatus denied = read(pair, "node1");
            assertEquals("error 1227: Access denied; you need (at least one of) the SUPER, REPLICATION CLIENT "
                    + "privilege(s) for this operation", denied.unreachableReason());

            pair.node2.close();
            NodeStatus gone = read(pair, "node2");
            assertTrue(gone.unreachableReason().startsWith("connection refused"), gone.unreachableReason());
        }
    }

    /**
     * Connector/J 9.x supports MySQL 8.0 and later only (its release notes). Against a server that
     * announces 5.7 it still connects and the reader gets every answer it needs: 5.7 users get
     * the same diagnosis, proven here over the protocol, not on a real 5.7 server.
     */
    @Test
    void connectorJ9ConnectsToAServerAnnouncingMysql57() throws Exception {
        try (StandInPair pair = StandInPair.start(MySqlVersion.MYSQL_5_7)) {
            brokenChannel(pair.node1);
            NodeStatus n = read(pair, "node1");
            assertTrue(n.reachable(), n.unreachableReason());
            assertEquals("5.7.44-log", n.version().raw());
            assertEquals(List.of("resync"), pair.node1.users().subList(0, 1));
            assertTrue(pair.node1.statements().get(0).contains("@@query_cache_type"),
                    "the driver treats 5.7 as a pre-8.0.3 server: " + pair.node1.statements().get(0));
        }
    }
}
