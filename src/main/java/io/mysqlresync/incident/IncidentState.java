package io.mysqlresync.incident;

/** Life of an incident: one per problem on a cluster, not one per poll. */
public enum IncidentState {
    /** The monitor saw a problem and alerted. */
    OPEN,
    /** A recovery plan was approved and ran; replication is catching up. */
    CATCHING_UP,
    /** Both nodes back in sync after a recovery. Closed. */
    IN_SYNC,
    /** The problem went away without a recovery. Closed. */
    CLEARED;

    public boolean closed() {
        return this == IN_SYNC || this == CLEARED;
    }
}
