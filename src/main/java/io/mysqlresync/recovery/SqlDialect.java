package io.mysqlresync.recovery;

import io.mysqlresync.replication.Applier;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.ServerVersion;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The replication statements in one server's own dialect. Statements only ever change positions
 * or start/stop threads: host, user and password are never restated, so a plan cannot point a
 * node at the wrong source (the seed incident's MASTER_HOST='node1' on node1). Values come from
 * validated {@link BinlogCoordinates}; nothing typed in chat reaches these strings.
 */
public final class SqlDialect {

    /** MySQL channel names are up to 64 characters; MariaDB connection names are similar. Nothing else reaches SQL. */
    private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z0-9_.-]{0,64}");

    private final ServerVersion version;
    /** The channel the statements name; null: name none (the server's default channel, alone). */
    private final String channel;

    private SqlDialect(ServerVersion version, String channel) {
        this.version = version;
        this.channel = channel;
    }

    public static SqlDialect of(ServerVersion version) {
        return new SqlDialect(version, null);
    }

    /**
     * Statements that name one channel (MySQL FOR CHANNEL, MariaDB connection name): without a
     * name, STOP and START act on every channel of the node.
     */
    public SqlDialect forChannel(String name) {
        if (name == null || !CHANNEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Refusing to put channel name '" + name + "' in SQL");
        }
        return new SqlDialect(version, name);
    }

    private boolean mariadb() {
        return version.flavor() == Flavor.MARIADB;
    }

    /** MySQL: " FOR CHANNEL 'x'" at the end of STOP/START/CHANGE. */
    private String forChannel() {
        return channel == null || mariadb() ? "" : " FOR CHANNEL '" + channel + "'";
    }

    /** MariaDB: the connection name right after SLAVE / MASTER. */
    private String connection() {
        return channel == null || !mariadb() ? "" : " '" + channel + "'";
    }

    private boolean replicaWords() {
        // 8.0.22 renamed START/STOP SLAVE and SHOW SLAVE STATUS; 8.4 dropped the old words for some forms.
        return version.flavor() == Flavor.MYSQL;
    }

    private String replicaWord() {
        return replicaWords() ? "REPLICA" : "SLAVE";
    }

    public String stopReplica() {
        return "STOP " + replicaWord() + connection() + forChannel();
    }

    public String startReplica() {
        return "START " + replicaWord() + connection() + forChannel();
    }

    public String stopIoThread() {
        return "STOP " + replicaWord() + connection() + " IO_THREAD" + forChannel();
    }

    public String startIoThread() {
        return "START " + replicaWord() + connection() + " IO_THREAD" + forChannel();
    }

    /**
     * MySQL's multithreaded applier without commit order (5.7, 8.0 before 8.0.27 by default) can
     * stop with gaps, and then CHANGE ... TO fails with 1802: run the applier until they are filled.
     */
    public String fillApplierGaps() {
        return "START " + replicaWord() + " SQL_THREAD UNTIL SQL_AFTER_MTS_GAPS" + forChannel();
    }

    /** Both GTID forms of "skip this transaction": MySQL commits it empty under its own GTID. */
    public List<String> commitEmptyTransaction(String gtid) {
        if (!Applier.isMysqlGtid(gtid)) {
            throw new IllegalArgumentException("Refusing to put '" + gtid + "' in SQL: not a GTID");
        }
        return List.of("SET GTID_NEXT='" + gtid + "'", "BEGIN", "COMMIT", "SET GTID_NEXT='AUTOMATIC'");
    }

    /** MariaDB: a new @@gtid_slave_pos, which may only be set while every connection is stopped. */
    public String setGtidSlavePos(String position) {
        if (!position.matches("[0-9]+-[0-9]+-[0-9]+(,[0-9]+-[0-9]+-[0-9]+)*")) {
            throw new IllegalArgumentException("Refusing to put '" + position + "' in SQL: not a GTID position");
        }
        return "SET GLOBAL gtid_slave_pos = '" + position + "'";
    }

    /** MariaDB's form that stops or starts every connection, for statements that need them all stopped. */
    public String stopAllReplicas() {
        return mariadb() ? "STOP ALL SLAVES" : "STOP " + replicaWord();
    }

    public String startAllReplicas() {
        return mariadb() ? "START ALL SLAVES" : "START " + replicaWord();
    }

    /** The IO thread's packet limit, renamed in MySQL 8.0.26. */
    public String raiseReplicaPacketLimit() {
        String variable = version.flavor() == Flavor.MYSQL && version.atLeast(8, 0, 26)
                ? "replica_max_allowed_packet" : "slave_max_allowed_packet";
        return "SET GLOBAL " + variable + " = 1073741824";
    }

    /**
     * caching_sha2_password needs TLS (or the source's RSA key) to log in without the source's
     * in-memory cache, which a restart empties: turn TLS on for the channel.
     */
    public String requireSourceTls() {
        if (version.hasChangeReplicationSource()) {
            return "CHANGE REPLICATION SOURCE TO SOURCE_SSL=1" + forChannel();
        }
        return "CHANGE MASTER" + connection() + " TO MASTER_SSL=1" + forChannel();
    }

    /** The other fix for 2061: fetch the source's RSA public key to send the password encrypted. */
    public String fetchSourcePublicKey() {
        if (version.hasChangeReplicationSource()) {
            return "CHANGE REPLICATION SOURCE TO GET_SOURCE_PUBLIC_KEY=1" + forChannel();
        }
        return "CHANGE MASTER TO GET_MASTER_PUBLIC_KEY=1" + forChannel();
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
            return "CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE=" + file + ", SOURCE_LOG_POS=" + at.position() + forChannel();
        }
        return "CHANGE MASTER" + connection() + " TO MASTER_LOG_FILE=" + file + ", MASTER_LOG_POS=" + at.position()
                + forChannel();
    }

    /** Re-fetch from the GTIDs already applied: the GTID form of "restart from the executed position". */
    public String changeSourceToGtidPosition() {
        return changeSourceToGtidPosition("");
    }

    /**
     * The same, keeping a MariaDB channel's own mode: Current_Pos stays current_pos (switching
     * it to slave_pos would drop the transactions written locally from the position).
     */
    public String changeSourceToGtidPosition(String channelMode) {
        return switch (version.flavor()) {
            case MARIADB -> "CHANGE MASTER" + connection() + " TO MASTER_USE_GTID="
                    + ("current_pos".equalsIgnoreCase(channelMode) ? "current_pos" : "slave_pos");
            case MYSQL -> version.hasChangeReplicationSource()
                    ? "CHANGE REPLICATION SOURCE TO SOURCE_AUTO_POSITION=1" + forChannel()
                    : "CHANGE MASTER TO MASTER_AUTO_POSITION=1" + forChannel();
            case MYSQL_LEGACY -> "CHANGE MASTER TO MASTER_AUTO_POSITION=1" + forChannel();
        };
    }

    /**
     * Whether one event can be skipped with the skip counter. MySQL refuses it whenever gtid_mode
     * is ON (1858), auto-position or not; MariaDB refuses it with parallel replication and more
     * than one GTID domain (1966).
     */
    public boolean canSkipWithCounter(boolean gtidModeOn, boolean usesGtid, boolean parallelApplier, int gtidDomains) {
        if (mariadb()) {
            return !(usesGtid && parallelApplier && gtidDomains > 1);
        }
        return !gtidModeOn && !usesGtid;
    }

    /** The skip counter as MySQL 5.7 checked it: only auto-position. Kept for callers that know no more. */
    public boolean canSkipWithCounter(boolean usesGtid) {
        return canSkipWithCounter(usesGtid, usesGtid, false, 0);
    }

    /** Statements that skip one event group with the counter; a MariaDB connection is chosen first and unchosen after. */
    public List<String> skipOneEventStatements() {
        if (mariadb() && channel != null) {
            // The counter is per connection: it applies to @@default_master_connection's. That
            // setting outlives the statement on the node connection the reader and later plans
            // share, where STOP/START/CHANGE without a name would then act on this connection: reset.
            return List.of("SET @@default_master_connection = '" + channel + "'", skipOneEvent(),
                    "SET @@default_master_connection = ''");
        }
        return List.of(skipOneEvent());
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
