package io.mysqlresync.replication;

/**
 * The replica status fields we read, with the column name each flavor uses. This is the one
 * place that knows column names: the status reader reads by them and the diagnosis quotes them
 * as evidence, so a DBA sees the exact name their server prints.
 */
public enum StatusField {
    CHANNEL_NAME("Channel_Name", "Channel_Name", "Connection_name"),
    SOURCE_HOST("Master_Host", "Source_Host", "Master_Host"),
    SOURCE_PORT("Master_Port", "Source_Port", "Master_Port"),
    SOURCE_USER("Master_User", "Source_User", "Master_User"),
    SOURCE_SERVER_ID("Master_Server_Id", "Source_Server_Id", "Master_Server_Id"),
    IO_RUNNING("Slave_IO_Running", "Replica_IO_Running", "Slave_IO_Running"),
    SQL_RUNNING("Slave_SQL_Running", "Replica_SQL_Running", "Slave_SQL_Running"),
    SOURCE_LOG_FILE("Master_Log_File", "Source_Log_File", "Master_Log_File"),
    READ_SOURCE_LOG_POS("Read_Master_Log_Pos", "Read_Source_Log_Pos", "Read_Master_Log_Pos"),
    RELAY_LOG_FILE("Relay_Log_File", "Relay_Log_File", "Relay_Log_File"),
    RELAY_LOG_POS("Relay_Log_Pos", "Relay_Log_Pos", "Relay_Log_Pos"),
    RELAY_SOURCE_LOG_FILE("Relay_Master_Log_File", "Relay_Source_Log_File", "Relay_Master_Log_File"),
    EXEC_SOURCE_LOG_POS("Exec_Master_Log_Pos", "Exec_Source_Log_Pos", "Exec_Master_Log_Pos"),
    LAST_IO_ERRNO("Last_IO_Errno", "Last_IO_Errno", "Last_IO_Errno"),
    LAST_IO_ERROR("Last_IO_Error", "Last_IO_Error", "Last_IO_Error"),
    LAST_IO_ERROR_TIMESTAMP("Last_IO_Error_Timestamp", "Last_IO_Error_Timestamp", null),
    LAST_SQL_ERRNO("Last_SQL_Errno", "Last_SQL_Errno", "Last_SQL_Errno"),
    LAST_SQL_ERROR("Last_SQL_Error", "Last_SQL_Error", "Last_SQL_Error"),
    LAST_SQL_ERROR_TIMESTAMP("Last_SQL_Error_Timestamp", "Last_SQL_Error_Timestamp", null),
    SECONDS_BEHIND_SOURCE("Seconds_Behind_Master", "Seconds_Behind_Source", "Seconds_Behind_Master"),
    SQL_DELAY("SQL_Delay", "SQL_Delay", "SQL_Delay"),
    SQL_THREAD_STATE("Slave_SQL_Running_State", "Replica_SQL_Running_State", "Slave_SQL_Running_State"),
    AUTO_POSITION("Auto_Position", "Auto_Position", null),
    USING_GTID(null, null, "Using_Gtid"),
    RETRIEVED_GTIDS("Retrieved_Gtid_Set", "Retrieved_Gtid_Set", "Gtid_IO_Pos"),
    /** MariaDB's SHOW ALL SLAVES STATUS repeats @@gtid_slave_pos on every connection's row. */
    GTID_SLAVE_POS(null, null, "Gtid_Slave_Pos");

    private final String mysqlLegacy;
    private final String mysql;
    private final String mariadb;

    StatusField(String mysqlLegacy, String mysql, String mariadb) {
        this.mysqlLegacy = mysqlLegacy;
        this.mysql = mysql;
        this.mariadb = mariadb;
    }

    /** The column name on this flavor, or null when the flavor has no such column. */
    public String columnName(Flavor flavor) {
        return switch (flavor) {
            case MYSQL_LEGACY -> mysqlLegacy;
            case MYSQL -> mysql;
            case MARIADB -> mariadb;
        };
    }

    /** For evidence when the flavor is unknown (an unreachable node): the classic name. */
    public String classicName() {
        return mysqlLegacy != null ? mysqlLegacy : mariadb;
    }
}
