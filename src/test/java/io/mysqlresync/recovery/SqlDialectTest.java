package io.mysqlresync.recovery;

import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.ServerVersion;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
