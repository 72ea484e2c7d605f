package io.mysqlresync.sandbox;

/**
 * The few replication statements whose spelling differs between MariaDB and MySQL. MariaDB is
 * what the test suite runs on; the MySQL spelling (8.0.23 and later) is best effort.
 */
final class ReplicationSql {

    private final ServerBinary binary;

    private ReplicationSql(ServerBinary binary) {
        this.binary = binary;
    }

    static ReplicationSql of(ServerBinary binary) {
        return new ReplicationSql(binary);
    }

    boolean mariadb() {
        return binary.isMariaDb();
    }

    String replicaStatus() {
        return mariadb() ? "SHOW ALL SLAVES STATUS" : "SHOW REPLICA STATUS";
    }

    String binlogHead() {
        return mariadb() || !binary.atLeast(8, 2) ? "SHOW MASTER STATUS" : "SHOW BINARY LOG STATUS";
    }

    /** Points the replica at its source. In GTID mode the file and position are ignored. */
    String changeSource(LocalServer source, ReplicationMode mode, String file, long position) {
        Account repl = Account.REPLICATION;
        if (mariadb()) {
            // MASTER_CONNECT_RETRY=1: the default 60 s would keep a replica away from a restarted
            // source for a minute, longer than any test should wait.
            String sql = "CHANGE MASTER TO MASTER_HOST='" + source.host() + "', MASTER_PORT=" + source.port()
                    + ", MASTER_USER='" + repl.user() + "', MASTER_PASSWORD='" + repl.password()
                    + "', MASTER_CONNECT_RETRY=1";
            return mode == ReplicationMode.GTID
                    ? sql + ", MASTER_USE_GTID=slave_pos"
                    : sql + ", MASTER_USE_GTID=no, MASTER_LOG_FILE='" + file + "', MASTER_LOG_POS=" + position;
        }
        String sql = "CHANGE REPLICATION SOURCE TO SOURCE_HOST='" + source.host() + "', SOURCE_PORT=" + source.port()
                + ", SOURCE_USER='" + repl.user() + "', SOURCE_PASSWORD='" + repl.password()
                + "', SOURCE_CONNECT_RETRY=1, GET_SOURCE_PUBLIC_KEY=1";
        return mode == ReplicationMode.GTID
                ? sql + ", SOURCE_AUTO_POSITION=1"
                : sql + ", SOURCE_AUTO_POSITION=0, SOURCE_LOG_FILE='" + file + "', SOURCE_LOG_POS=" + position;
    }

    String startReplica() {
        return mariadb() ? "START SLAVE" : "START REPLICA";
    }

    String stopReplica() {
        return mariadb() ? "STOP SLAVE" : "STOP REPLICA";
    }

    String stopSqlThread() {
        return stopReplica() + " SQL_THREAD";
    }

    String startSqlThread() {
        return startReplica() + " SQL_THREAD";
    }

    String stopIoThread() {
        return stopReplica() + " IO_THREAD";
    }

    String startIoThread() {
        return startReplica() + " IO_THREAD";
    }

    String resetReplicaAll() {
        return mariadb() ? "RESET SLAVE ALL" : "RESET REPLICA ALL";
    }

    /** Forgets every binlog and the GTID history: a fresh start for the pair. */
    String[] resetBinaryLogs() {
        if (mariadb()) {
            return new String[] {"RESET MASTER", "SET GLOBAL gtid_slave_pos = ''"};
        }
        return new String[] {binary.atLeast(8, 2) ? "RESET BINARY LOGS AND GTIDS" : "RESET MASTER"};
    }

    String ioRunningColumn() {
        return mariadb() ? "Slave_IO_Running" : "Replica_IO_Running";
    }

    String sqlRunningColumn() {
        return mariadb() ? "Slave_SQL_Running" : "Replica_SQL_Running";
    }

    String sourceLogFileColumn() {
        return mariadb() ? "Master_Log_File" : "Source_Log_File";
    }

    String readPositionColumn() {
        return mariadb() ? "Read_Master_Log_Pos" : "Read_Source_Log_Pos";
    }

    String execPositionColumn() {
        return mariadb() ? "Exec_Master_Log_Pos" : "Exec_Source_Log_Pos";
    }

    String relaySourceLogFileColumn() {
        return mariadb() ? "Relay_Master_Log_File" : "Relay_Source_Log_File";
    }

    String secondsBehindColumn() {
        return mariadb() ? "Seconds_Behind_Master" : "Seconds_Behind_Source";
    }
}
