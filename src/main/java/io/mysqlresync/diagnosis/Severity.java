package io.mysqlresync.diagnosis;

/** Ordered from harmless to broken, so the worst of several findings is the max. */
public enum Severity {
    OK, INFO, WARNING, CRITICAL;

    public String emoji() {
        return switch (this) {
            case OK -> ":large_green_circle:";
            case INFO -> ":information_source:";
            case WARNING -> ":large_yellow_circle:";
            case CRITICAL -> ":red_circle:";
        };
    }
}
