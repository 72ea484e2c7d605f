package io.mysqlresync.mysql;

import io.mysqlresync.recovery.StatementOutcome;
import io.mysqlresync.recovery.StatementRunner;

import java.sql.SQLException;
import java.sql.Statement;

/** Runs plan statements over the same per-node connections the reader uses. */
public final class JdbcStatementRunner implements StatementRunner {

    private final NodeConnections connections;

    public JdbcStatementRunner(NodeConnections connections) {
        this.connections = connections;
    }

    @Override
    public StatementOutcome run(String cluster, String node, String sql) {
        long start = System.nanoTime();
        synchronized (connections.lockFor(cluster, node)) {
            try (Statement st = connections.connection(cluster, node).createStatement()) {
                st.execute(sql);
                return new StatementOutcome(node, sql, true, 0, "", elapsedMillis(start));
            } catch (SQLException e) {
                // The plan stops here: a fresh session for whatever comes next, so no session
                // setting the plan made before its reset (@@default_master_connection) outlives it.
                // Without a server error code the connection itself failed anyway.
                connections.discard(cluster, node);
                return new StatementOutcome(node, sql, false, e.getErrorCode(),
                        JdbcClusterReader.describe(e), elapsedMillis(start));
            }
        }
    }

    private static long elapsedMillis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
