package io.mysqlresync.incident;

/**
 * Marks a failure of the state database that is an outage (no connection), not a bad row: the
 * bot keeps reading and diagnosing, pauses what needs the database (approvals, plans, the audit
 * trail) and says so in those words rather than with the driver's message.
 */
public interface StateUnreachable {

    /** What a person is told when they ask for something that needs the state database. */
    String APPROVALS_PAUSED = "the state database is unreachable: approvals are paused (nothing was run); "
            + "diagnose and status still work, and the bot carries on by itself when the database is back";

    /** Whether {@code e} or one of its causes is a state database outage. */
    static boolean in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StateUnreachable) {
                return true;
            }
        }
        return false;
    }
}
