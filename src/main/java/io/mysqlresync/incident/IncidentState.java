package io.mysqlresync.incident;

/** Life of an incident: one per problem on a cluster, not one per poll. */
public enum IncidentState {
    /** The monitor saw a problem and alerted. */
    OPEN,
    /** A recovery plan was approved and ran; replication is catching up. */
    CATCHING_UP,
    /** Replication caught up; the two nodes' rows are being compared. */
    VERIFYING,
    /**
     * Replication back and the data of both nodes verified identical. Closed. The stronger
     * successor of IN_SYNC.
     */
    IDENTICAL,
    /** Rows differ between the nodes (after a recovery, a restart or a scheduled check): a repair is next. */
    DRIFT_FOUND,
    /**
     * Replication back, but the data was not verified: the check was off, did not finish or could
     * not settle. Closed, and its message says why; never read as "in sync".
     */
    UNVERIFIED,
    /** Replication back in sync, from before data verification: kept so older incidents still read. Closed. */
    IN_SYNC,
    /** The problem went away without a recovery. Closed. */
    CLEARED;

    public boolean closed() {
        return this == IN_SYNC || this == CLEARED || this == IDENTICAL || this == UNVERIFIED;
    }

    /** The recovery (lag watch, then its verification) owns the incident: the monitor does not alert about it. */
    public boolean inRecovery() {
        return this == CATCHING_UP || this == VERIFYING;
    }
}
