package io.mysqlresync.mysql;

import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ReplicationError;
import io.mysqlresync.replication.ServerVersion;
import io.mysqlresync.replication.ThreadState;
import io.mysqlresync.testsupport.Statuses;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The failing worker's error of a MySQL multithreaded applier. No MySQL server runs here (the
 * sandbox servers are MariaDB, whose parallel applier reports the worker's error itself), so
 * the JDBC calls are mocked: what is checked is the query, that the channel name is bound as a
 * parameter, and what happens without the grant.
 */
class WorkerErrorTest {

    private static final ServerVersion MYSQL_80 = ServerVersion.parse("8.0.36", "MySQL Community Server - GPL");

    private static ReplicaChannel stoppedByCoordinator(String channelName) {
        BinlogCoordinates at = new BinlogCoordinates("binlog.000406", 906634000);
        return new ReplicaChannel(channelName, "10.0.0.12", 3306, "repl", 2, ThreadState.RUNNING,
                ThreadState.STOPPED, at, at, new BinlogCoordinates("relay.000012", 4000), ReplicationError.NONE,
                new ReplicationError(1062, Statuses.MYSQL_COORDINATOR_STOP, ""), OptionalLong.empty(), false, "", "", 0, "",
                ReplicationError.NONE);
    }

    @Test
    void theFailingWorkersErrorIsReadForTheChannelAndKept() throws SQLException {
        Connection c = mock(Connection.class);
        PreparedStatement ps = mock(PreparedStatement.class);
        ResultSet rs = mock(ResultSet.class);
        when(c.prepareStatement(JdbcClusterReader.workerErrorQuery(MYSQL_80))).thenReturn(ps);
        when(ps.executeQuery()).thenReturn(rs);
        when(rs.next()).thenReturn(true, false);
        when(rs.getLong(1)).thenReturn(2L);
        when(rs.getInt(2)).thenReturn(1062);
        when(rs.getString(3)).thenReturn("Worker 2 failed executing transaction 'ANONYMOUS' at source log "
                + "binlog.000406, end_log_pos 906634781; Could not execute Write_rows event on table shop.orders; "
                + "Duplicate entry '7' for key 'orders.PRIMARY', Error_code: 1062");
        when(rs.getString(4)).thenReturn("2026-11-25 06:40:12.123456");
        ReplicaChannel ch = stoppedByCoordinator("eu'; DROP TABLE x; --");
        assertTrue(ch.sqlErrorIsCoordinatorStop());

        ReplicaChannel read = JdbcClusterReader.withWorkerError(c, "node1", MYSQL_80, ch);

        verify(ps).setString(1, "eu'; DROP TABLE x; --"); // bound, never spliced into the SQL
        assertEquals(1062, read.workerError().code());
        assertTrue(read.workerError().message().contains("Duplicate entry '7'"), read.workerError().message());
        assertEquals(ch.sqlError(), read.sqlError(), "the coordinator's error is kept as the server showed it");
        assertTrue(JdbcClusterReader.workerErrorQuery(MYSQL_80).contains("CHANNEL_NAME = ?"));
    }

    @Test
    void withoutTheGrantTheCoordinatorsErrorStandsAlone() throws SQLException {
        Connection c = mock(Connection.class);
        when(c.prepareStatement(JdbcClusterReader.workerErrorQuery(MYSQL_80))).thenThrow(new SQLSyntaxErrorException(
                "SELECT command denied to user 'mysql_resync'@'10.0.0.5' for table "
                        + "'replication_applier_status_by_worker'", "42000", 1142));
        ReplicaChannel ch = stoppedByCoordinator("");

        assertSame(ch, JdbcClusterReader.withWorkerError(c, "node1", MYSQL_80, ch));
    }
}
