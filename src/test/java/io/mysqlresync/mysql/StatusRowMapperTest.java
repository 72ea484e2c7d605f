package io.mysqlresync.mysql;

import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ThreadState;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.mysqlresync.testsupport.Statuses.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Column names from the MySQL reference manual's SHOW REPLICA STATUS / SHOW SLAVE STATUS examples. */
class StatusRowMapperTest {

    /** MySQL 8.0/8.4 manual, "SHOW REPLICA STATUS Statement" example output (abridged). */
    static final Map<String, String> MYSQL_84_ROW = row(
            "Replica_IO_State: Waiting for source to send event",
            "Source_Host: 127.0.0.1",
            "Source_User: root",
            "Source_Port: 13000",
            "Connect_Retry: 1",
            "Source_Log_File: source-bin.000001",
            "Read_Source_Log_Pos: 927",
            "Relay_Log_File: replica-relay-bin.000002",
            "Relay_Log_Pos: 1145",
            "Relay_Source_Log_File: source-bin.000001",
            "Replica_IO_Running: Yes",
            "Replica_SQL_Running: Yes",
            "Last_Errno: 0",
            "Last_Error: ",
            "Skip_Counter: 0",
            "Exec_Source_Log_Pos: 927",
            "Relay_Log_Space: 1355",
            "Seconds_Behind_Source: 0",
            "Last_IO_Errno: 0",
            "Last_IO_Error: ",
            "Last_SQL_Errno: 0",
            "Last_SQL_Error: ",
            "Source_Server_Id: 1",
            "Source_UUID: 73f86016-978b-11ea-97b2-0242ac110002",
            "SQL_Delay: 0",
            "SQL_Remaining_Delay: NULL",
            "Replica_SQL_Running_State: Replica has read all relay log; waiting for more updates",
            "Retrieved_Gtid_Set: 73f86016-978b-11ea-97b2-0242ac110002:1-3",
            "Executed_Gtid_Set: 73f86016-978b-11ea-97b2-0242ac110002:1-3",
            "Auto_Position: 1",
            "Channel_Name: ");

    @Test
    void mysql8ReplicaColumnsMapToTheNeutralModel() {
        ReplicaChannel ch = StatusRowMapper.map(MYSQL_84_ROW, Flavor.MYSQL);
        assertEquals("127.0.0.1", ch.sourceHost());
        assertEquals(13000, ch.sourcePort());
        assertEquals(ThreadState.RUNNING, ch.ioThread());
        assertEquals(ThreadState.RUNNING, ch.sqlThread());
        assertEquals(new BinlogCoordinates("source-bin.000001", 927), ch.received());
        assertEquals(new BinlogCoordinates("source-bin.000001", 927), ch.executed());
        assertEquals(new BinlogCoordinates("replica-relay-bin.000002", 1145), ch.relayLog());
        assertEquals(0, ch.secondsBehindSource().getAsLong());
        assertEquals(1, ch.sourceServerId());
        assertTrue(ch.usesGtid(), "Auto_Position: 1 means GTID auto-positioning");
        assertEquals("73f86016-978b-11ea-97b2-0242ac110002:1-3", ch.retrievedGtids());
        assertEquals("", ch.channelName());
    }

    @Test
    void mysql57SlaveColumnsFromTheSeedIncidentMapToTheSameModel() {
        ReplicaChannel ch = StatusRowMapper.map(row(
                "Master_Host: node2", "Master_User: repl", "Master_Port: 3306",
                "Master_Log_File: mysql-bin.000253", "Read_Master_Log_Pos: 569975131",
                "Relay_Log_File: relay-bin.000198", "Relay_Log_Pos: 179576569",
                "Relay_Master_Log_File: mysql-bin.000253", "Exec_Master_Log_Pos: 419130498",
                "Slave_IO_Running: Yes", "Slave_SQL_Running: No",
                "Seconds_Behind_Master: NULL", "Last_SQL_Errno: 1594",
                "Last_SQL_Error: Relay log read failure: Could not parse relay log event entry.",
                "Auto_Position: 0"), Flavor.MYSQL_LEGACY);
        assertEquals(new BinlogCoordinates("mysql-bin.000253", 419130498), ch.executed());
        assertEquals(new BinlogCoordinates("mysql-bin.000253", 569975131), ch.received());
        assertEquals(ThreadState.STOPPED, ch.sqlThread());
        assertEquals(1594, ch.sqlError().code());
        assertTrue(ch.secondsBehindSource().isEmpty(), "NULL lag is unknown, not zero");
        assertFalse(ch.usesGtid());
    }

    @Test
    void mariadbUsingGtidAndConnectingIoThread() {
        ReplicaChannel ch = StatusRowMapper.map(row(
                "Connection_name: ", "Master_Host: 127.0.0.1", "Master_Port: 3307",
                "Master_Log_File: mysql-bin.000002", "Read_Master_Log_Pos: 342",
                "Relay_Master_Log_File: mysql-bin.000002", "Exec_Master_Log_Pos: 342",
                "Relay_Log_File: relay-bin.000004", "Relay_Log_Pos: 555",
                "Slave_IO_Running: Connecting", "Slave_SQL_Running: Yes",
                "Last_IO_Errno: 2003", "Last_IO_Error: error connecting to master 'repl@127.0.0.1:3307' - retry-time: 1  maximum-retries: 100000  message: Can't connect to server on '127.0.0.1' (111)",
                "Using_Gtid: Slave_Pos", "Gtid_IO_Pos: 0-1-12", "Seconds_Behind_Master: NULL"), Flavor.MARIADB);
        assertEquals(ThreadState.CONNECTING, ch.ioThread());
        assertTrue(ch.usesGtid());
        assertEquals("Slave_Pos", ch.gtidMode());
        assertEquals("0-1-12", ch.retrievedGtids());
        assertEquals(2003, ch.ioError().code());
    }

    @Test
    void aReplicaThatNeverConnectedHasNoCoordinates() {
        ReplicaChannel ch = StatusRowMapper.map(row("Master_Log_File: ", "Read_Master_Log_Pos: 4",
                "Slave_IO_Running: No", "Slave_SQL_Running: No"), Flavor.MARIADB);
        assertEquals(null, ch.received());
    }
}
