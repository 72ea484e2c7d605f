package io.mysqlresync.sandbox;

import io.mysqlresync.sandbox.LocalPair.Node;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Application writes on both masters of a {@link ShopSchema} at once: inserts, updates and
 * deletes on every keyed table, autocommit, one thread per node. Each node only updates and
 * deletes its own half of the rows (odd ids on node1, even on node2), so the load itself never
 * makes conflicting writes; and it never touches a row whose number is a multiple of 7, which
 * are the rows a test may plant drift in without replication tripping over them.
 */
public final class ShopLoad implements AutoCloseable {

    /** Rows a test may change behind replication's back: the load leaves them alone. */
    public static boolean reserved(long n) {
        return n % 7 == 0;
    }

    private final Map<Node, AtomicLong> writes = new EnumMap<>(Node.class);
    private final Writers writers;

    /** @param orders how many orders {@link ShopSchema#create} seeded */
    public ShopLoad(LocalPair pair, int orders) {
        List<Node> nodes = List.of(Node.NODE1, Node.NODE2);
        nodes.forEach(node -> writes.put(node, new AtomicLong()));
        writers = new Writers("shop-load", nodes, (node, stopping) -> run(pair.server(node), node, orders, stopping));
    }

    private void run(LocalServer server, Node node, int orders, BooleanSupplier stopping)
            throws SQLException, InterruptedException {
        int parity = node == Node.NODE1 ? 1 : 0;
        try (Connection c = server.connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO shop.orders (customer, status, amount, note, updated)"
                     + " VALUES (?, 'new', 1.00, ?, NOW(6))");
             PreparedStatement update = c.prepareStatement("UPDATE shop.orders SET status = ?, amount = amount + 1,"
                     + " updated = NOW(6) WHERE id = ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM shop.orders WHERE id = ?");
             PreparedStatement line = c.prepareStatement("UPDATE shop.order_lines SET qty = qty + 1 WHERE order_id = ? AND line = ?");
             PreparedStatement visit = c.prepareStatement("UPDATE shop.customers SET visits = visits + 1, name = ? WHERE email = ?")) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!stopping.getAsBoolean()) {
                long n = own(random.nextLong(1, orders + 1), parity, orders);
                int op = random.nextInt(100);
                if (op < 35) {
                    insert.setInt(1, random.nextInt(1000));
                    insert.setString(2, node.label() + " " + random.nextLong());
                    insert.executeUpdate();
                } else if (op < 65) {
                    update.setString(1, "s" + random.nextInt(1_000_000));
                    update.setLong(2, n);
                    update.executeUpdate();
                } else if (op < 70) {
                    delete.setLong(1, n);
                    delete.executeUpdate();
                } else if (op < 85) {
                    line.setLong(1, own(random.nextLong(1, orders / 2 + 1), parity, orders / 2));
                    line.setInt(2, 1 + random.nextInt(2));
                    line.executeUpdate();
                } else {
                    visit.setString(1, "visitor " + random.nextInt(1_000_000));
                    visit.setString(2, "c" + own(random.nextLong(1, orders / 3 + 1), parity, orders / 3) + "@example.com");
                    visit.executeUpdate();
                }
                writes.get(node).incrementAndGet();
                if (random.nextInt(4) == 0) {
                    // About a thousand writes a second per node: a busy shop, not a benchmark of the sandbox.
                    Thread.sleep(1);
                }
            }
        }
    }

    /** A number of this node's parity that is not reserved, near {@code n}. */
    private static long own(long n, int parity, long max) {
        long m = n;
        while (m % 2 != parity || reserved(m)) {
            m = m + 1 > max ? 1 : m + 1;
        }
        return m;
    }

    public long writes(Node node) {
        return writes.get(node).get();
    }

    /** Why a writer stopped early (replication broke a node, a node died), or null. */
    public Exception endedBy(Node node) {
        return writers.endedBy(node);
    }

    @Override
    public void close() {
        writers.stop();
    }
}
