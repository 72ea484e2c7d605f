package io.mysqlresync.incident;

/** Life of a proposed plan. Only PROPOSED can move on, and only once: that is the execute-once guard. */
public enum PlanState {
    PROPOSED, EXECUTING, SUCCEEDED, FAILED, STALE, REJECTED, EXPIRED,
    /** The bot running it died (SIGKILL, OOM, host loss) between statements: never run again by itself. */
    INTERRUPTED;

    public boolean decided() {
        return this != PROPOSED;
    }
}
