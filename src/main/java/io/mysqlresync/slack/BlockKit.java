package io.mysqlresync.slack;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Slack's Block Kit limits and text rules, in one place. Slack rejects a whole message
 * ({@code invalid_blocks}) when one block breaks a limit, which at 3 a.m. would mean no plan at
 * all, so every text is cut to size here rather than hoping it fits.
 */
final class BlockKit {

    static final int MAX_BLOCKS = 50;
    static final int MAX_SECTION_TEXT = 3000;
    static final int MAX_HEADER_TEXT = 150;
    static final int MAX_CONTEXT_TEXT = 2000;
    static final int MAX_BUTTON_TEXT = 75;
    static final int MAX_BUTTON_VALUE = 2000;
    static final int MAX_ACTION_ID = 255;
    static final int MAX_CONFIRM_TITLE = 100;
    static final int MAX_CONFIRM_TEXT = 300;
    static final int MAX_CONFIRM_BUTTON = 30;
    /** Slack truncates fallback texts at 40,000; notifications show far less, so keep it short. */
    static final int MAX_FALLBACK_TEXT = 1000;

    static final String ELLIPSIS = "…";

    private static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,20}");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private BlockKit() {
    }

    /** Slack's three control characters in mrkdwn and plain text; everything else is literal. */
    static String escape(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** For text inside ``` fences: escaped, and a fence inside the text cannot close ours. */
    static String escapeCode(String s) {
        return escape(s).replace("```", "'''");
    }

    /** For text inside single backticks. */
    static String escapeInline(String s) {
        return escape(s).replace('`', '\'').replace('\n', ' ');
    }

    static String truncate(String s, int max) {
        if (s == null) return "";
        if (s.length() <= max) return s;
        return s.substring(0, Math.max(0, max - ELLIPSIS.length())) + ELLIPSIS;
    }

    /** A user mention for Slack user IDs; anything else ("bot", "console:ann") as plain text. */
    static String who(String actor) {
        if (actor == null || actor.isBlank()) return "someone";
        return USER_ID.matcher(actor).matches() ? "<@" + actor + ">" : escape(actor);
    }

    /** Shown in each reader's own time zone, with UTC as the fallback for old clients. */
    static String time(Instant at) {
        if (at == null) return "?";
        return "<!date^" + at.getEpochSecond() + "^{date_short_pretty} {time_secs}|" + UTC.format(at) + ">";
    }

    static String utc(Instant at) {
        return at == null ? "?" : UTC.format(at);
    }
}
