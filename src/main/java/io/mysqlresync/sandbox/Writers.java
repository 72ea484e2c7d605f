package io.mysqlresync.sandbox;

import io.mysqlresync.sandbox.LocalPair.Node;

import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * One daemon writer thread per node until stopped, and why a writer ended early: the lifecycle
 * {@link ShopLoad} and {@link WriteLoad} share.
 */
final class Writers {

    /** One node's writes, until {@code stopping} says so; a failure ends that node's writer. */
    interface Body {
        void run(Node node, BooleanSupplier stopping) throws SQLException, InterruptedException;
    }

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Map<Node, Exception> endedBy = new EnumMap<>(Node.class);
    private final List<Thread> threads;

    Writers(String name, List<Node> nodes, Body body) {
        threads = nodes.stream().map(node -> {
            Thread t = new Thread(() -> {
                try {
                    body.run(node, stopping::get);
                } catch (SQLException | InterruptedException e) {
                    synchronized (endedBy) {
                        endedBy.put(node, e);
                    }
                }
            }, name + "-" + node.label());
            t.setDaemon(true);
            t.start();
            return t;
        }).toList();
    }

    /** Why the writer on {@code node} stopped early (replication broke, the node died), or null. */
    Exception endedBy(Node node) {
        synchronized (endedBy) {
            return endedBy.get(node);
        }
    }

    /** Stops every writer; each finishes at most its current statement (bounded by the socket timeout). */
    void stop() {
        stopping.set(true);
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
