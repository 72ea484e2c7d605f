package io.mysqlresync.ledger;

/**
 * Why part of a ledger could not be read, in words a DBA acts on.
 *
 * @param what  what is missing, e.g. "the primary keys" or "the transactions"
 * @param node  the node it was to be read from
 * @param why   the reason, e.g. "node2's relay log and binlog no longer hold them (purged)"
 * @param grant the exact statement that fixes it when a privilege is missing, else empty
 */
public record CouldNotRead(Reason reason, String what, String node, String why, String grant) {

    public enum Reason {
        MISSING_PRIVILEGE, LOGS_PURGED, NOT_ROW_FORMAT, NODE_UNREACHABLE, UNSUPPORTED, READ_FAILED
    }

    public CouldNotRead {
        grant = grant == null ? "" : grant;
    }

    public String sentence() {
        String text = what + " on " + node + ": " + why + (grant.isEmpty() ? "" : " (" + grant + ")");
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
