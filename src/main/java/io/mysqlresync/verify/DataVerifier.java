package io.mysqlresync.verify;

/**
 * The port the rest of the bot asks "are the two nodes identical now, and if not, which rows
 * differ?". The JDBC implementation lives in the mysql package.
 */
public interface DataVerifier {

    /**
     * Compares the cluster's nodes. Never throws for a table that cannot be checked: that table
     * comes back INCONCLUSIVE with the reason; throws only for a request that names no real table
     * or an unknown cluster ({@link IllegalArgumentException}, with the message to show).
     */
    VerificationResult verify(String cluster, VerifyRequest request, ProgressListener progress, CancelToken cancel);
}
