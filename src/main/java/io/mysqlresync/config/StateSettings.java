package io.mysqlresync.config;

/**
 * Where incidents, plans, approvals, the audit trail and Quartz jobs live.
 * Default: an embedded H2 file, so one command runs the bot with no server.
 */
public record StateSettings(String jdbcUrl, Secret user, Secret password, boolean clustered) {
    public static final String DEFAULT_URL = "jdbc:h2:file:./state/mysql-resync;AUTO_SERVER=TRUE";
}
