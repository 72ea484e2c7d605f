package io.mysqlresync.verify;

/** Why a table could not be called identical or different. */
public enum InconclusiveReason {
    /** Rows kept changing through every re-check, or replication did not catch up to settle them. */
    UNSETTLED,
    /** A query or the whole verification ran out of time. */
    TIMEOUT,
    /** The bot may not read the table on some node. */
    MISSING_PRIVILEGE,
    CANCELLED,
    /** Rows the loss ledger names exist on neither node, so they could not be compared. */
    NOT_FOUND,
    /** A node failed or went away mid-check. */
    ERROR
}
