package io.mysqlresync.config;

import java.util.regex.Pattern;

/**
 * Where incidents, plans, approvals, the audit trail and Quartz jobs live.
 * Default: an embedded H2 file, so one command runs the bot with no server.
 */
public record StateSettings(String jdbcUrl, Secret user, Secret password, boolean clustered) {
    public static final String DEFAULT_URL = "jdbc:h2:file:./state/mysql-resync;AUTO_SERVER=TRUE";

    private static final Pattern URL_USERINFO = Pattern.compile("//[^/?#]*@");
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password|pwd)=[^&;]*");

    /** A JDBC URL (or a message quoting one) without credentials, for logs and error messages. */
    public static String redact(String url) {
        String s = URL_USERINFO.matcher(url).replaceAll("//****@");
        return URL_PASSWORD.matcher(s).replaceAll("$1=****");
    }
}
