package io.mysqlresync.config;

/**
 * The crash-safety audit.
 *
 * @param schedule a Quartz cron expression (seconds first, in the bot's time zone) for the
 *                 scheduled audit that posts what changed, or "off"
 */
public record AuditSettings(String schedule) {

    /** Mondays at 09:00: the week's changes in front of the people who start the week. */
    public static final String DEFAULT_SCHEDULE = "0 0 9 ? * MON";

    public static AuditSettings defaults() {
        return new AuditSettings(DEFAULT_SCHEDULE);
    }

    public boolean scheduled() {
        return !schedule.equalsIgnoreCase("off");
    }
}
