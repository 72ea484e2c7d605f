package io.mysqlresync.sandbox;

/**
 * A login on every sandbox server. All three exist on every node from the first start, created
 * in the template datadir, so a node never has to replicate its own accounts.
 */
public record Account(String user, String password) {

    /** All privileges, over TCP from 127.0.0.1 (the install tool only makes root@localhost, a socket login). */
    public static final Account ROOT = new Account("root", "sandbox-root");

    /** What each node's IO thread logs in with on the other node: REPLICATION SLAVE only. */
    public static final Account REPLICATION = new Account("repl", "sandbox-repl");

    /**
     * The bot's login: least privilege that lets it read status and repair replication.
     * See {@link #BOT_GRANTS} for what each privilege is for.
     */
    public static final Account BOT = new Account("resync", "sandbox-resync");

    /**
     * The bot's grants on MariaDB 10.11, each one proven necessary by a failing statement without it:
     * <ul>
     *   <li>SLAVE MONITOR: SHOW SLAVE STATUS, SHOW ALL SLAVES STATUS, SHOW REPLICA STATUS, SHOW RELAYLOG EVENTS.
     *       REPLICATION CLIENT is not enough on 10.5.9+: it became an alias of BINLOG MONITOR.</li>
     *   <li>BINLOG MONITOR: SHOW BINARY LOGS, SHOW MASTER STATUS, SHOW BINLOG EVENTS.</li>
     *   <li>REPLICATION SLAVE ADMIN: STOP/START SLAVE (and their thread and UNTIL forms),
     *       CHANGE MASTER TO, SET GLOBAL gtid_slave_pos.</li>
     * </ul>
     * Reading @@version, @@server_id, @@read_only, @@gtid_current_pos and SHOW GLOBAL STATUS needs
     * nothing. Not granted, on purpose: SET GLOBAL sql_slave_skip_counter needs SUPER on 10.11 (no
     * finer privilege covers it), and SET GLOBAL read_only needs READ_ONLY ADMIN.
     */
    public static final String BOT_GRANTS = "SLAVE MONITOR, BINLOG MONITOR, REPLICATION SLAVE ADMIN";

    /** MySQL names the same rights differently; best effort, not exercised by the test suite here. */
    public static final String BOT_GRANTS_MYSQL = "REPLICATION CLIENT, REPLICATION_SLAVE_ADMIN";

    @Override
    public String toString() {
        return user;
    }
}
