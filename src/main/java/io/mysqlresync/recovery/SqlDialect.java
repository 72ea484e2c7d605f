package io.mysqlresync.recovery;

import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.ServerVersion;

/**
 * The replication statements in one server's own dialect. Statements only ever change positions
 * or start/stop threads: host, user and password are never restated, so a plan cannot point a
 * node at the wrong source (the seed incident's MASTER_HOST='node1' on node1). Values come from
 * validated {@link BinlogCoordinates}; nothing typed in chat reaches these strings.
 */
public final class SqlDialect {

    private final ServerVersion version;

    private SqlDialect(ServerVersion version) {
        this.version = version;
    }

    public static SqlDialect of(ServerVersion version) {
        return new SqlDialect(version);
    }

    private boolean replicaWords() {
        // 8.0.22 renamed START/STOP SLAVE and SHOW SLAVE STATUS; 8.4 dropped the old words for some forms.
        return version.flavor() == Flavor.MYSQL;
    }

    public String stopReplica() {
        return replicaWords() ? "STOP REPLICA" : "STOP SLAVE";
    }

    public String startReplica() {
        return replicaWords() ? "START REPLICA" : "START SLAVE";
    }

    public String stopIoThread() {
        return stopReplica() + " IO_THREAD";
    }

    public String startIoThread() {
        return startReplica() + " IO_THREAD";
    }

    public String showReplicaStatus() {
        return switch (version.flavor()) {
            case MYSQL -> "SHOW REPLICA STATUS";
            // SHOW ALL SLAVES STATUS also lists named (multi-source) connections.
            case MARIADB -> "SHOW ALL SLAVES STATUS";
            case MYSQL_LEGACY -> "SHOW SLAVE STATUS";
        };
    }

    public String showBinlogHead() {
        return version.hasShowBinaryLogStatus() ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
    }

    /**
     * Re-point the replica at a position of its (unchanged) source. Without RELAY_LOG_FILE the
     * server discards the relay logs, which is exactly what a corrupt relay log needs.
     */
    public String changeSourcePosition(BinlogCoordinates at) {
        String file = quoteFileName(at.file());
        if (version.hasChangeReplicationSource()) {
            return "CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE=" + file + ", SOURCE_LOG_POS=" + at.position();
        }
        return "CHANGE MASTER TO MASTER_LOG_FILE=" + file + ", MASTER_LOG_POS=" + at.position();
    }

    /** Re-fetch from the GTIDs already applied: the GTID form of "restart from the executed position". */
    public String changeSourceToGtidPosition() {
        return switch (version.flavor()) {
            case MARIADB -> "CHANGE MASTER TO MASTER_USE_GTID=slave_pos";
            case MYSQL -> version.hasChangeReplicationSource()
                    ? "CHANGE REPLICATION SOURCE TO SOURCE_AUTO_POSITION=1"
                    : "CHANGE MASTER TO MASTER_AUTO_POSITION=1";
            case MYSQL_LEGACY -> "CHANGE MASTER TO MASTER_AUTO_POSITION=1";
        };
    }

    /** Whether one event can be skipped with the skip counter (MySQL refuses it under GTID auto-position). */
    public boolean canSkipWithCounter(boolean usesGtid) {
        return version.flavor() == Flavor.MARIADB || !usesGtid;
    }

    public String skipOneEvent() {
        // 8.0.26 renamed sql_slave_skip_counter; the old name is gone in later releases.
        if (version.flavor() == Flavor.MYSQL && version.atLeast(8, 0, 26)) {
            return "SET GLOBAL sql_replica_skip_counter = 1";
        }
        return "SET GLOBAL sql_slave_skip_counter = 1";
    }

    private static String quoteFileName(String file) {
        if (!BinlogCoordinates.isValidFileName(file)) {
            throw new IllegalArgumentException("Refusing to put '" + file + "' in SQL: not a binlog file name");
        }
        return "'" + file + "'";
    }
}
