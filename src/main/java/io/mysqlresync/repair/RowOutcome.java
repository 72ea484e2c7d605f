package io.mysqlresync.repair;

/** What became of one statement of a repair. */
public record RowOutcome(RowFix fix, Result result, String detail, long millis) {

    public enum Result {
        APPLIED,
        /** The row changed on a node since the verification: left alone, never overwritten. */
        SKIPPED_CHANGED,
        FAILED
    }

    /** For the audit trail and the terminal: "node2: UPDATE ... -> applied (3 ms)". */
    public String line() {
        return fix.target() + ": " + fix.display() + " -> " + switch (result) {
            case APPLIED -> "applied";
            case SKIPPED_CHANGED -> "skipped, " + detail;
            case FAILED -> "failed: " + detail;
        } + " (" + millis + " ms)";
    }
}
