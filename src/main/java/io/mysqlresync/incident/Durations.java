package io.mysqlresync.incident;

import java.time.Duration;

/** How the bot says a duration, in every channel: one place, so messages and tables agree. */
public final class Durations {

    private Durations() {
    }

    /** In words, for sentences and the terminal: "45 s", "12 min", "3 h 5 min". */
    public static String words(Duration d) {
        long s = d.toSeconds();
        if (s < 120) return s + " s";
        if (s < 7200) return d.toMinutes() + " min";
        return d.toHours() + " h " + d.toMinutesPart() + " min";
    }

    /** Compact, for table cells where width is scarce: "59s", "2m 5s", "13h 36m", "2d 0h". */
    public static String compact(long seconds) {
        if (seconds < 120) return seconds + "s";
        Duration d = Duration.ofSeconds(seconds);
        if (seconds < 7200) return d.toMinutes() + "m" + (d.toSecondsPart() == 0 ? "" : " " + d.toSecondsPart() + "s");
        if (seconds < 172800) return d.toHours() + "h " + d.toMinutesPart() + "m";
        return d.toDays() + "d " + d.toHoursPart() + "h";
    }
}
