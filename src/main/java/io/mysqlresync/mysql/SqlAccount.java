package io.mysqlresync.mysql;

/** The bot's account as a GRANT names it. */
final class SqlAccount {

    private SqlAccount() {
    }

    /** CURRENT_USER()'s "user@host" as 'user'@'host', for a GRANT the DBA can paste; the host is after the last '@'. */
    static String quoted(String currentUser) {
        int at = currentUser.lastIndexOf('@');
        return at < 0 ? "'" + currentUser + "'"
                : "'" + currentUser.substring(0, at) + "'@'" + currentUser.substring(at + 1) + "'";
    }
}
