package io.mysqlresync.testsupport.mysqlwire;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What differs between the MySQL versions the stand-in plays: version string, default
 * authentication plugin, the column sets and statement forms. Sources:
 * <ul>
 * <li>SHOW REPLICA STATUS columns, in order: MySQL 8.4 Reference Manual, 15.7.7.35 "SHOW REPLICA
 *     STATUS Statement" (dev.mysql.com/doc/refman/8.4/en/show-replica-status.html; the same 60
 *     fields since 8.0.22, built by show_replica_status_metadata() in sql/rpl_replica.cc). From
 *     8.0.22 SHOW SLAVE STATUS is an alias with the same output ("only the terminology used for
 *     the statement and its output has changed", 8.0 manual, SHOW SLAVE | REPLICA STATUS).</li>
 * <li>SHOW SLAVE STATUS columns of 5.7: MySQL 5.7 Reference Manual, 13.7.5.34 "SHOW SLAVE STATUS
 *     Statement" (sql/rpl_slave.cc show_slave_status_metadata()): 57 fields, Master_TLS_Version last.</li>
 * <li>SHOW BINARY LOGS: Log_name, File_size; Encrypted since 8.0.14 (binary log encryption).</li>
 * <li>Removed in 8.4 (8.4 manual, "What Is New in MySQL 8.4 since 8.0", Features Removed):
 *     START/STOP SLAVE, SHOW SLAVE STATUS, SHOW MASTER STATUS, CHANGE MASTER TO, RESET SLAVE,
 *     RESET MASTER, SHOW SLAVE HOSTS; they now fail to parse: error 1064 (ER_PARSE_ERROR, SQLSTATE
 *     42000). SHOW BINARY LOG STATUS exists since 8.2; START/STOP REPLICA, SHOW REPLICA STATUS
 *     since 8.0.22; CHANGE REPLICATION SOURCE TO since 8.0.23.</li>
 * </ul>
 */
public enum MySqlVersion {
    MYSQL_5_7("5.7.44-log", "MySQL Community Server (GPL)", "mysql_native_password", 33),
    MYSQL_8_0("8.0.36", "MySQL Community Server - GPL", "caching_sha2_password", 255),
    MYSQL_8_4("8.4.3", "MySQL Community Server - GPL", "caching_sha2_password", 255);

    /** 5.7's SHOW SLAVE STATUS, in the server's order. */
    static final List<String> SLAVE_STATUS_57 = List.of(
            "Slave_IO_State", "Master_Host", "Master_User", "Master_Port", "Connect_Retry", "Master_Log_File",
            "Read_Master_Log_Pos", "Relay_Log_File", "Relay_Log_Pos", "Relay_Master_Log_File", "Slave_IO_Running",
            "Slave_SQL_Running", "Replicate_Do_DB", "Replicate_Ignore_DB", "Replicate_Do_Table",
            "Replicate_Ignore_Table", "Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table", "Last_Errno",
            "Last_Error", "Skip_Counter", "Exec_Master_Log_Pos", "Relay_Log_Space", "Until_Condition",
            "Until_Log_File", "Until_Log_Pos", "Master_SSL_Allowed", "Master_SSL_CA_File", "Master_SSL_CA_Path",
            "Master_SSL_Cert", "Master_SSL_Cipher", "Master_SSL_Key", "Seconds_Behind_Master",
            "Master_SSL_Verify_Server_Cert", "Last_IO_Errno", "Last_IO_Error", "Last_SQL_Errno", "Last_SQL_Error",
            "Replicate_Ignore_Server_Ids", "Master_Server_Id", "Master_UUID", "Master_Info_File", "SQL_Delay",
            "SQL_Remaining_Delay", "Slave_SQL_Running_State", "Master_Retry_Count", "Master_Bind",
            "Last_IO_Error_Timestamp", "Last_SQL_Error_Timestamp", "Master_SSL_Crl", "Master_SSL_Crlpath",
            "Retrieved_Gtid_Set", "Executed_Gtid_Set", "Auto_Position", "Replicate_Rewrite_DB", "Channel_Name",
            "Master_TLS_Version");

    /** 8.0.22+ and 8.4's SHOW REPLICA STATUS, in the server's order. */
    static final List<String> REPLICA_STATUS_80 = List.of(
            "Replica_IO_State", "Source_Host", "Source_User", "Source_Port", "Connect_Retry", "Source_Log_File",
            "Read_Source_Log_Pos", "Relay_Log_File", "Relay_Log_Pos", "Relay_Source_Log_File", "Replica_IO_Running",
            "Replica_SQL_Running", "Replicate_Do_DB", "Replicate_Ignore_DB", "Replicate_Do_Table",
            "Replicate_Ignore_Table", "Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table", "Last_Errno",
            "Last_Error", "Skip_Counter", "Exec_Source_Log_Pos", "Relay_Log_Space", "Until_Condition",
            "Until_Log_File", "Until_Log_Pos", "Source_SSL_Allowed", "Source_SSL_CA_File", "Source_SSL_CA_Path",
            "Source_SSL_Cert", "Source_SSL_Cipher", "Source_SSL_Key", "Seconds_Behind_Source",
            "Source_SSL_Verify_Server_Cert", "Last_IO_Errno", "Last_IO_Error", "Last_SQL_Errno", "Last_SQL_Error",
            "Replicate_Ignore_Server_Ids", "Source_Server_Id", "Source_UUID", "Source_Info_File", "SQL_Delay",
            "SQL_Remaining_Delay", "Replica_SQL_Running_State", "Source_Retry_Count", "Source_Bind",
            "Last_IO_Error_Timestamp", "Last_SQL_Error_Timestamp", "Source_SSL_Crl", "Source_SSL_Crlpath",
            "Retrieved_Gtid_Set", "Executed_Gtid_Set", "Auto_Position", "Replicate_Rewrite_DB", "Channel_Name",
            "Source_TLS_Version", "Source_public_key_path", "Get_Source_public_key", "Network_Namespace");

    /**
     * performance_schema.replication_applier_status_by_worker: 5.7 has LAST_SEEN_TRANSACTION; 8.0
     * replaced it with LAST_APPLIED_TRANSACTION and APPLYING_TRANSACTION (8.0 manual, 29.12.11.9;
     * storage/perfschema/table_replication_applier_status_by_worker.cc).
     */
    static final List<String> WORKER_COLUMNS_57 = List.of("CHANNEL_NAME", "WORKER_ID", "THREAD_ID",
            "SERVICE_STATE", "LAST_SEEN_TRANSACTION", "LAST_ERROR_NUMBER", "LAST_ERROR_MESSAGE",
            "LAST_ERROR_TIMESTAMP");
    static final List<String> WORKER_COLUMNS_80 = List.of("CHANNEL_NAME", "WORKER_ID", "THREAD_ID",
            "SERVICE_STATE", "LAST_ERROR_NUMBER", "LAST_ERROR_MESSAGE", "LAST_ERROR_TIMESTAMP",
            "LAST_APPLIED_TRANSACTION", "APPLYING_TRANSACTION");

    final String version;
    final String comment;
    final String authPlugin;
    final int collation;

    MySqlVersion(String version, String comment, String authPlugin, int collation) {
        this.version = version;
        this.comment = comment;
        this.authPlugin = authPlugin;
        this.collation = collation;
    }

    public String versionString() {
        return version;
    }

    List<String> replicaStatusColumns() {
        return this == MYSQL_5_7 ? SLAVE_STATUS_57 : REPLICA_STATUS_80;
    }

    List<String> workerColumns() {
        return this == MYSQL_5_7 ? WORKER_COLUMNS_57 : WORKER_COLUMNS_80;
    }

    List<String> binaryLogColumns() {
        return this == MYSQL_5_7 ? List.of("Log_name", "File_size") : List.of("Log_name", "File_size", "Encrypted");
    }

    /** Statement starts (after SHOW/START/...) this version's parser rejects: the token error 1064 points at. */
    Pattern removedForm() {
        return switch (this) {
            case MYSQL_5_7 -> Pattern.compile("^(?:SHOW|START|STOP|RESET)\\s+(REPLICA\\b.*)$"
                    + "|^CHANGE\\s+(REPLICATION\\s+SOURCE\\b.*)$|^SHOW\\s+BINARY\\s+(LOG\\s+STATUS.*)$",
                    Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
            case MYSQL_8_0 -> Pattern.compile("^SHOW\\s+BINARY\\s+(LOG\\s+STATUS.*)$",
                    Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
            case MYSQL_8_4 -> Pattern.compile("^(?:SHOW|START|STOP|RESET)\\s+(SLAVE\\b.*)$"
                    + "|^(?:SHOW|RESET)\\s+(MASTER\\b.*)$|^CHANGE\\s+(MASTER\\b.*)$",
                    Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        };
    }
}
