package io.mysqlresync.recovery;

import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.ServerVersion;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Syntax per the MySQL 5.7 / 8.0 / 8.4 and MariaDB manuals. */
class SqlDialectTest {

    private static final BinlogCoordinates AT = new BinlogCoordinates("mysql-bin.000253", 419130498);

    private static SqlDialect dialect(String version) {
        return SqlDialect.of(ServerVersion.parse(version, version.contains("MariaDB") ? "" : "MySQL Community Server"));
    }

    @Test
    void mysql57UsesChangeMasterAndSlaveWords() {
        SqlDialect d = dialect("5.7.44-log");
        assertEquals("STOP SLAVE", d.stopReplica());
        assertEquals("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000253', MASTER_LOG_POS=419130498",
                d.changeSourcePosition(AT));
        assertEquals("START SLAVE", d.startReplica());
        assertEquals("SHOW SLAVE STATUS", d.showReplicaStatus());
        assertEquals("SHOW MASTER STATUS", d.showBinlogHead());
        assertEquals("SET GLOBAL sql_slave_skip_counter = 1", d.skipOneEvent());
        assertEquals("CHANGE MASTER TO MASTER_AUTO_POSITION=1", d.changeSourceToGtidPosition());
    }

    @Test
    void mysql80UsesReplicationSourceSyntax() {
        SqlDialect d = dialect("8.0.36");
        assertEquals("STOP REPLICA", d.stopReplica());
        assertEquals("CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='mysql-bin.000253', SOURCE_LOG_POS=419130498",
                d.changeSourcePosition(AT));
        assertEquals("START REPLICA", d.startReplica());
        assertEquals("SHOW REPLICA STATUS", d.showReplicaStatus());
        assertEquals("SHOW MASTER STATUS", d.showBinlogHead());
        assertEquals("SET GLOBAL sql_replica_skip_counter = 1", d.skipOneEvent());
        assertEquals("CHANGE REPLICATION SOURCE TO SOURCE_AUTO_POSITION=1", d.changeSourceToGtidPosition());
    }

    @Test
    void mysql8022HasReplicaWordsButStillChangeMaster() {
        SqlDialect d = dialect("8.0.22");
        assertEquals("START REPLICA", d.startReplica());
        assertEquals("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000253', MASTER_LOG_POS=419130498",
                d.changeSourcePosition(AT));
        assertEquals("SET GLOBAL sql_slave_skip_counter = 1", d.skipOneEvent(), "renamed in 8.0.26");
    }

    @Test
    void mysql84ReadsTheBinlogHeadWithShowBinaryLogStatus() {
        SqlDialect d = dialect("8.4.3");
        assertEquals("SHOW BINARY LOG STATUS", d.showBinlogHead());
        assertEquals("SHOW REPLICA STATUS", d.showReplicaStatus());
    }

    @Test
    void mariadbKeepsChangeMasterAndUsesItsOwnGtid() {
        SqlDialect d = dialect("10.11.19-MariaDB-0+deb12u1");
        assertEquals("STOP SLAVE", d.stopReplica());
        assertEquals("CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000253', MASTER_LOG_POS=419130498",
                d.changeSourcePosition(AT));
        assertEquals("SHOW ALL SLAVES STATUS", d.showReplicaStatus());
        assertEquals("CHANGE MASTER TO MASTER_USE_GTID=slave_pos", d.changeSourceToGtidPosition());
        assertTrue(d.canSkipWithCounter(true), "MariaDB can skip with the counter even with GTID");
    }

    @Test
    void mysqlCannotSkipWithTheCounterUnderGtidAutoPosition() {
        assertFalse(dialect("8.0.36").canSkipWithCounter(true));
        assertTrue(dialect("8.0.36").canSkipWithCounter(false));
    }

    /** MySQL 8.4 manual, 19.2.2.2 "Commands for Operations on a Single Channel": FOR CHANNEL at the end. */
    @Test
    void mysqlStatementsNameTheirChannelAtTheEnd() {
        SqlDialect d = dialect("8.4.3").forChannel("eu");
        assertEquals("STOP REPLICA FOR CHANNEL 'eu'", d.stopReplica());
        assertEquals("START REPLICA IO_THREAD FOR CHANNEL 'eu'", d.startIoThread());
        assertEquals("CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='mysql-bin.000253', SOURCE_LOG_POS=419130498 "
                + "FOR CHANNEL 'eu'", d.changeSourcePosition(AT));
        assertEquals("START REPLICA SQL_THREAD UNTIL SQL_AFTER_MTS_GAPS FOR CHANNEL 'eu'", d.fillApplierGaps());
        assertEquals("STOP SLAVE FOR CHANNEL 'eu'", dialect("5.7.44-log").forChannel("eu").stopReplica());
    }

    /** MariaDB manual, "Multi-Source Replication": the connection name follows SLAVE / MASTER. */
    @Test
    void mariadbStatementsNameTheirConnectionAfterTheKeyword() {
        SqlDialect d = dialect("10.11.6-MariaDB-log").forChannel("eu");
        assertEquals("STOP SLAVE 'eu'", d.stopReplica());
        assertEquals("START SLAVE 'eu' IO_THREAD", d.startIoThread());
        assertEquals("CHANGE MASTER 'eu' TO MASTER_LOG_FILE='mysql-bin.000253', MASTER_LOG_POS=419130498",
                d.changeSourcePosition(AT));
        assertEquals("CHANGE MASTER 'eu' TO MASTER_USE_GTID=current_pos", d.changeSourceToGtidPosition("Current_Pos"));
        assertEquals(List.of("SET @@default_master_connection = 'eu'", "SET GLOBAL sql_slave_skip_counter = 1",
                        "SET @@default_master_connection = ''"),
                d.skipOneEventStatements());
    }

    @Test
    void aChannelNameThatIsNotANameNeverReachesSql() {
        SqlDialect d = dialect("8.0.36");
        assertThrows(IllegalArgumentException.class, () -> d.forChannel("eu' FOR CHANNEL 'x"));
        assertThrows(IllegalArgumentException.class,
                () -> d.commitEmptyTransaction("3e11fa47-71ca-11e1-9e33-c80aa9429562:1'; DROP TABLE t; --"));
    }
}
