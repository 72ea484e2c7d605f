package io.mysqlresync.diagnosis;

/**
 * What is wrong (or right) with a node's replication, in a DBA's words. The names are stored and
 * shown as they are. Each kind has its rule, registered in {@link Rules}, and its recovery recipe,
 * registered in the recovery package's {@code Recipes}.
 */
public enum FindingKind {
    HEALTHY(Severity.OK, "Replication healthy"),
    LAGGING(Severity.WARNING, "Replica lagging"),
    RECENTLY_RESTARTED(Severity.INFO, "Server restarted recently"),
    NODE_UNREACHABLE(Severity.CRITICAL, "Node unreachable"),
    NOT_A_REPLICA(Severity.CRITICAL, "Replication not configured"),
    THREADS_STOPPED_BY_OPERATOR(Severity.WARNING, "Replication stopped without an error"),
    SOURCE_UNREACHABLE(Severity.CRITICAL, "Source unreachable"),
    WRONG_SOURCE(Severity.CRITICAL, "Replica points at another server than its source"),
    RELAY_LOG_CORRUPT(Severity.CRITICAL, "Relay log corrupt"),
    SOURCE_BINLOG_TRUNCATED(Severity.CRITICAL, "Source binlog truncated by a crash"),
    SOURCE_BINLOGS_PURGED(Severity.CRITICAL, "Source binlogs purged"),
    REPLICA_AHEAD_OF_SOURCE(Severity.CRITICAL, "Replica has transactions its source lost"),
    DUPLICATE_KEY(Severity.CRITICAL, "Duplicate key (1062)"),
    ROW_NOT_FOUND(Severity.CRITICAL, "Row not found (1032)"),
    REPLICATION_AUTH_FAILURE(Severity.CRITICAL, "Replication user cannot log in"),
    SOURCE_LOGIN_NEEDS_SECURE_CONNECTION(Severity.CRITICAL, "Source login needs a secure connection"),
    SOURCE_TLS_FAILURE(Severity.CRITICAL, "TLS connection to the source fails"),
    EVENT_LARGER_THAN_PACKET_LIMIT(Severity.CRITICAL, "Event larger than the replica's packet limit"),
    TABLE_MISSING(Severity.CRITICAL, "Table missing on the replica (1146)"),
    GTID_OUT_OF_ORDER(Severity.CRITICAL, "Out-of-order GTID under gtid_strict_mode (1950)"),
    GTID_POSITION_NOT_ON_SOURCE(Severity.CRITICAL, "Replica's GTID position is not in the source's binlog"),
    UNKNOWN_ERROR(Severity.CRITICAL, "Unrecognised replication error");

    private final Severity severity;
    private final String title;

    FindingKind(Severity severity, String title) {
        this.severity = severity;
        this.title = title;
    }

    public Severity severity() {
        return severity;
    }

    public String title() {
        return title;
    }
}
