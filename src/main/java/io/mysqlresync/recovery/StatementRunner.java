package io.mysqlresync.recovery;

/** Runs one replication statement on one node of a cluster. Implemented by the JDBC adapter. */
public interface StatementRunner {
    StatementOutcome run(String cluster, String node, String sql);
}
