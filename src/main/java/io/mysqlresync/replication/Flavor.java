package io.mysqlresync.replication;

/** The server families whose replication syntax and status columns differ. */
public enum Flavor {
    /** MySQL before 8.0.22: SHOW SLAVE STATUS, CHANGE MASTER TO, Master_* columns. */
    MYSQL_LEGACY,
    /** MySQL 8.0.22 and later (8.0.x, 8.4 LTS, 9.x): SHOW REPLICA STATUS, Source_* columns. */
    MYSQL,
    /** MariaDB: CHANGE MASTER TO, Master_* columns, its own GTID (domain-server-seqno). */
    MARIADB
}
