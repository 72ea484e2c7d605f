package io.mysqlresync.replication;

/**
 * The MySQL and MariaDB error numbers the bot acts on, named once. Each comment gives the
 * server's own symbol (mysqld_error.h / errmsg.h, MariaDB's include/mysqld_error.h) so that a
 * number can be looked up in the manual's error reference. Numbers below 2000 are server errors
 * (the same in MySQL and MariaDB), 2000-2999 client errors the replica's IO thread reports as a
 * client of its source, 13000+ MySQL 8.0's error log numbers that replace some older ones.
 */
public final class ServerErrors {

    private ServerErrors() {
    }

    // Applier (SQL thread) errors: the rows differ between the nodes.

    /** ER_DUP_ENTRY: "Duplicate entry '%s' for key '%s'" (handler error HA_ERR_FOUND_DUPP_KEY). */
    public static final int DUPLICATE_ENTRY = 1062;
    /** ER_KEY_NOT_FOUND: "Can't find record in '%s'" (handler error HA_ERR_KEY_NOT_FOUND). */
    public static final int ROW_NOT_FOUND = 1032;
    /** ER_NO_SUCH_TABLE: "Table '%s.%s' doesn't exist": the replica lacks a table the source changes. */
    public static final int NO_SUCH_TABLE = 1146;
    /**
     * ER_REPLICA_WORKER_STOPPED_PREVIOUS_THD_ERROR (MySQL 8.0; ER_SLAVE_..._THD_ERROR in 5.7): a worker
     * rolled back because an earlier one failed while commit order is preserved. Never the root cause
     * (sql/rpl_replica_commit_order_manager.cc raises it in every worker queued after the failed one).
     */
    public static final int WORKER_STOPPED_AFTER_PREVIOUS_ERROR = 3030;
    /** ER_GTID_STRICT_OUT_OF_ORDER (MariaDB): a GTID older than the domain's last one under gtid_strict_mode. */
    public static final int GTID_STRICT_OUT_OF_ORDER = 1950;

    // Statements a recovery plan must avoid (the server would refuse them).

    /** ER_SQL_REPLICA_SKIP_COUNTER_NOT_SETTABLE_IN_GTID_MODE (MySQL): the skip counter is refused when gtid_mode=ON. */
    public static final int SKIP_COUNTER_REFUSED_IN_GTID_MODE = 1858;
    /** ER_SLAVE_SKIP_NOT_IN_GTID (MariaDB): the skip counter with parallel replication and several GTID domains. */
    public static final int SKIP_COUNTER_REFUSED_PARALLEL_MULTI_DOMAIN = 1966;
    /** ER_MTS_CHANGE_SOURCE_CANT_RUN_WITH_GAPS: CHANGE ... TO while the multithreaded applier left gaps. */
    public static final int CHANGE_SOURCE_WITH_MTS_GAPS = 1802;
    /** ER_BAD_REPLICA_AUTO_POSITION: SOURCE_LOG_FILE/POS cannot be set while SOURCE_AUTO_POSITION=1. */
    public static final int POSITION_WITH_AUTO_POSITION = 1776;

    // Relay log and source binlog.

    /** ER_SLAVE_RELAY_LOG_READ_FAILURE (5.7, MariaDB): "Relay log read failure: Could not parse relay log event entry". */
    public static final int RELAY_LOG_READ_FAILURE = 1594;
    /** ER_REPLICA_RELAY_LOG_READ_FAILURE: MySQL 8.0's number for the same failure. */
    public static final int REPLICA_RELAY_LOG_READ_FAILURE = 13121;
    /** ER_MASTER_FATAL_ERROR_READING_BINLOG: "Got fatal error 1236 from master when reading data from binary log". */
    public static final int FATAL_ERROR_READING_BINLOG = 1236;
    /** ER_SERVER_SOURCE_FATAL_ERROR_READING_BINLOG (formerly ..._MASTER_...): MySQL 8.0's number for 1236. */
    public static final int SOURCE_FATAL_ERROR_READING_BINLOG = 13114;
    /** ER_NET_PACKET_TOO_LARGE: "Got a packet bigger than 'max_allowed_packet' bytes" (the IO thread's: slave_max_allowed_packet). */
    public static final int PACKET_TOO_LARGE = 1153;
    /** ER_NO_BINARY_LOGGING: "You are not using binary logging" (SHOW BINARY LOGS on a node without binlogs). */
    public static final int NO_BINARY_LOGGING = 1381;

    // The replication user cannot log in to the source, or may not replicate.

    /** ER_ACCESS_DENIED_ERROR: "Access denied for user '%s'@'%s' (using password: %s)". */
    public static final int ACCESS_DENIED = 1045;
    /** ER_DBACCESS_DENIED_ERROR: "Access denied for user '%s'@'%s' to database '%s'". */
    public static final int DATABASE_ACCESS_DENIED = 1044;
    /** ER_SPECIFIC_ACCESS_DENIED_ERROR: "Access denied; you need (at least one of) the %s privilege(s)". */
    public static final int PRIVILEGE_MISSING = 1227;
    /** ER_ACCESS_DENIED_NO_PASSWORD_ERROR: "Access denied for user '%s'@'%s'" (no password given). */
    public static final int ACCESS_DENIED_NO_PASSWORD = 1698;
    /** ER_NOT_SUPPORTED_AUTH_MODE: "Client does not support authentication protocol requested by server". */
    public static final int AUTH_PROTOCOL_NOT_SUPPORTED = 1251;
    /** CR_AUTH_PLUGIN_ERR: "Authentication plugin '%s' reported error: %s". */
    public static final int AUTH_PLUGIN_ERROR = 2061;
    /** CR_SSL_CONNECTION_ERROR: "SSL connection error: %s": a TLS configuration fault, it never clears by itself. */
    public static final int SSL_CONNECTION_ERROR = 2026;
    /** ER_HOST_NOT_PRIVILEGED: "Host '%s' is not allowed to connect to this server". */
    public static final int HOST_NOT_PRIVILEGED = 1130;

    // The replica cannot reach its source.

    /** CR_CONNECTION_ERROR: "Can't connect to local server through socket '%s'". */
    public static final int CONNECTION_ERROR = 2002;
    /** CR_CONN_HOST_ERROR: "Can't connect to server on '%s' (%d)". */
    public static final int CONNECT_HOST_ERROR = 2003;
    /** CR_UNKNOWN_HOST: "Unknown server host '%s' (%d)". */
    public static final int UNKNOWN_HOST = 2005;
    /** CR_SERVER_GONE_ERROR: "Server has gone away". */
    public static final int SERVER_GONE = 2006;
    /** CR_SERVER_LOST: "Lost connection to server during query". */
    public static final int SERVER_LOST = 2013;
    /** ER_HOST_IS_BLOCKED: "Host '%s' is blocked because of many connection errors". */
    public static final int HOST_BLOCKED = 1129;
    /** ER_CON_COUNT_ERROR: "Too many connections". */
    public static final int TOO_MANY_CONNECTIONS = 1040;
}
