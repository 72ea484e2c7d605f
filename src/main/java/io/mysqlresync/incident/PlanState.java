package io.mysqlresync.incident;

/** Life of a proposed plan. Only PROPOSED can move on, and only once: that is the execute-once guard. */
public enum PlanState {
    PROPOSED, EXECUTING, SUCCEEDED, FAILED, STALE, REJECTED, EXPIRED;

    public boolean decided() {
        return this != PROPOSED;
    }
}
