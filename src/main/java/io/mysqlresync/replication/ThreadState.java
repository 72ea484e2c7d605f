package io.mysqlresync.replication;

/** State of a replica's IO (receiver) or SQL (applier) thread, as Slave_IO_Running reports it. */
public enum ThreadState {
    RUNNING,
    /** IO thread only: started but not (yet) connected to its source. */
    CONNECTING,
    STOPPED;

    /** Maps "Yes" / "No" / "Connecting" (every flavor uses these words). */
    public static ThreadState fromStatusValue(String value) {
        if (value == null) return STOPPED;
        return switch (value.trim().toLowerCase()) {
            case "yes" -> RUNNING;
            case "connecting", "preparing" -> CONNECTING;
            default -> STOPPED;
        };
    }

    public String statusWord() {
        return switch (this) {
            case RUNNING -> "Yes";
            case CONNECTING -> "Connecting";
            case STOPPED -> "No";
        };
    }
}
