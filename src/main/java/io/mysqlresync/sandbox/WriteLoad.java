package io.mysqlresync.sandbox;

import io.mysqlresync.sandbox.LocalPair.Node;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Application writes running against one or more nodes until closed: one thread per node,
 * single-row autocommit INSERTs into demo.items, as fast as the node takes them. A node that
 * dies under the load just ends its thread; that is the point of a crash test.
 */
public final class WriteLoad implements AutoCloseable {

    private final Map<Node, AtomicLong> rows = new EnumMap<>(Node.class);
    private final Writers writers;

    WriteLoad(LocalPair pair, List<Node> nodes) {
        for (Node node : nodes) {
            rows.put(node, new AtomicLong());
        }
        writers = new Writers("write-load", nodes, (node, stopping) -> write(pair.server(node), node, stopping));
    }

    private void write(LocalServer server, Node node, BooleanSupplier stopping) throws SQLException {
        try (Connection c = server.connect();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO demo.items (origin, payload) VALUES (?, 'write load')")) {
            insert.setString(1, node.label());
            while (!stopping.getAsBoolean()) {
                insert.executeUpdate();
                rows.get(node).incrementAndGet();
            }
        }
    }

    /** Rows committed on {@code node} so far (as acknowledged to the client). */
    public long rowsWritten(Node node) {
        AtomicLong n = rows.get(node);
        return n == null ? 0 : n.get();
    }

    /** Why the load on {@code node} ended early (the node went away), or null. */
    public SQLException endedBy(Node node) {
        return (SQLException) writers.endedBy(node); // its writer throws nothing else
    }

    /** Waits until at least {@code count} rows are committed on {@code node}, at most 30 s. */
    public void awaitRows(Node node, long count) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (rowsWritten(node) < count) {
            if (System.nanoTime() > deadline || endedBy(node) != null) {
                throw new IllegalStateException("write load on " + node.label() + " reached only "
                        + rowsWritten(node) + " of " + count + " rows"
                        + (endedBy(node) == null ? "" : ": " + endedBy(node).getMessage()));
            }
            LocalServer.sleep(Duration.ofMillis(10));
        }
    }

    /** Stops every writer; each finishes at most its current statement (bounded by the socket timeout). */
    @Override
    public void close() {
        writers.stop();
    }
}
