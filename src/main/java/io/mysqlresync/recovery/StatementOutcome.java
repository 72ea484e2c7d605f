package io.mysqlresync.recovery;

/** What happened when one statement of a plan ran on one node. */
public record StatementOutcome(String node, String sql, boolean succeeded, int errorCode, String errorMessage,
                               long millis) {
}
