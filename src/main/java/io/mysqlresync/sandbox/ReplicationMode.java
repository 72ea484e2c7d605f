package io.mysqlresync.sandbox;

/** How each node of a sandbox pair finds its place in the other node's binlog. */
public enum ReplicationMode {
    /** Binlog file name and byte position, as in the seed incident (MASTER_LOG_FILE/MASTER_LOG_POS). */
    FILE_POS,
    /** MariaDB: MASTER_USE_GTID=slave_pos. MySQL: SOURCE_AUTO_POSITION=1 (gtid_mode is always ON there). */
    GTID
}
