package io.mysqlresync.sandbox;

import io.mysqlresync.sandbox.LocalPair.Node;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Drift planted in a {@link ShopSchema} on one node with {@code SET sql_log_bin = 0}: rows
 * updated, deleted and inserted where replication never hears of it. Only rows the
 * {@link ShopLoad} leaves alone are touched, so replication keeps running. {@link #heal()} puts
 * every planted row back as it was.
 */
public final class ShopDrift {

    /** One planted row: its table, key and the row as it was before (null: it did not exist). */
    private record Planted(String table, List<String> keyColumns, List<Object> key, List<String> columns,
                           List<Object> before) {
    }

    private final LocalServer server;
    private final List<Planted> planted = new ArrayList<>();

    private ShopDrift(LocalServer server) {
        this.server = server;
    }

    /**
     * On {@code node}: in orders 3 updates, 2 deletes, 2 inserts; in order_lines and customers 2
     * updates, 1 delete, 1 insert each. Keys are picked at random from the reserved rows.
     */
    public static ShopDrift plant(LocalPair pair, Node node, int orders, long seed) throws SQLException {
        ShopDrift d = new ShopDrift(pair.server(node));
        Random random = new Random(seed);
        List<Long> reservedOrders = reserved(orders, random);
        List<Long> reservedLines = reserved(orders / 2, random);
        List<Long> reservedCustomers = reserved(orders / 3, random);
        try (Connection c = d.server.connect(); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_log_bin = 0");
            for (int i = 0; i < 3; i++) {
                d.change(c, "orders", List.of("id"), List.of(reservedOrders.get(i)),
                        "UPDATE shop.orders SET status = 'planted', amount = amount + 0.01 WHERE id = ?");
            }
            for (int i = 3; i < 5; i++) {
                d.change(c, "orders", List.of("id"), List.of(reservedOrders.get(i)), "DELETE FROM shop.orders WHERE id = ?");
            }
            for (int i = 0; i < 2; i++) {
                long id = 9_000_000 + random.nextInt(1_000_000);
                d.change(c, "orders", List.of("id"), List.of(id), "INSERT INTO shop.orders (id, customer, status, amount,"
                        + " note, updated) VALUES (?, 1, 'planted', 9.99, NULL, '2026-01-02 03:04:05')");
            }
            for (int i = 0; i < 2; i++) {
                d.change(c, "order_lines", List.of("order_id", "line"), List.of(reservedLines.get(i), 1 + i),
                        "UPDATE shop.order_lines SET qty = qty + 100 WHERE order_id = ? AND line = ?");
            }
            d.change(c, "order_lines", List.of("order_id", "line"), List.of(reservedLines.get(2), 2),
                    "DELETE FROM shop.order_lines WHERE order_id = ? AND line = ?");
            d.change(c, "order_lines", List.of("order_id", "line"), List.of(reservedLines.get(3), 9),
                    "INSERT INTO shop.order_lines VALUES (?, ?, 'planted', 1)");
            for (int i = 0; i < 2; i++) {
                d.change(c, "customers", List.of("email"), List.of("c" + reservedCustomers.get(i) + "@example.com"),
                        "UPDATE shop.customers SET name = 'planted' WHERE email = ?");
            }
            d.change(c, "customers", List.of("email"), List.of("c" + reservedCustomers.get(2) + "@example.com"),
                    "DELETE FROM shop.customers WHERE email = ?");
            d.change(c, "customers", List.of("email"), List.of("planted-" + random.nextInt(1_000_000) + "@example.com"),
                    "INSERT INTO shop.customers VALUES (?, 'planted', 1, NULL)");
        }
        return d;
    }

    private static List<Long> reserved(int max, Random random) {
        Set<Long> picked = new LinkedHashSet<>();
        while (picked.size() < 6) {
            long n = 7L * (1 + random.nextInt(max / 7));
            picked.add(n);
        }
        return new ArrayList<>(picked);
    }

    private void change(Connection c, String table, List<String> keyColumns, List<Object> key, String sql)
            throws SQLException {
        List<String> columns = new ArrayList<>();
        List<Object> before = null;
        String where = keyColumns.stream().map(k -> k + " = ?").collect(Collectors.joining(" AND "));
        try (PreparedStatement read = c.prepareStatement("SELECT * FROM shop." + table + " WHERE " + where)) {
            bind(read, key);
            try (ResultSet rs = read.executeQuery()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    columns.add(rs.getMetaData().getColumnLabel(i));
                }
                if (rs.next()) {
                    before = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        before.add(rs.getObject(i));
                    }
                }
            }
        }
        try (PreparedStatement write = c.prepareStatement(sql)) {
            bind(write, key);
            if (write.executeUpdate() != 1) {
                throw new IllegalStateException("planting '" + sql + "' with " + key + " changed no row");
            }
        }
        planted.add(new Planted(table, keyColumns, key, columns, before));
    }

    private static void bind(PreparedStatement ps, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setObject(i + 1, values.get(i));
        }
    }

    /** "shop.orders [14]", "shop.order_lines [21, 1]": how a test compares them with what verify found. */
    public Set<String> keys() {
        Set<String> out = new java.util.TreeSet<>();
        for (Planted p : planted) {
            out.add("shop." + p.table() + " " + p.key().stream().map(String::valueOf).toList());
        }
        return Collections.unmodifiableSet(out);
    }

    /** Every planted row back as it was, again without the binlog. */
    public void heal() throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_log_bin = 0");
            for (Planted p : planted) {
                String where = p.keyColumns().stream().map(k -> k + " = ?").collect(Collectors.joining(" AND "));
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM shop." + p.table() + " WHERE " + where)) {
                    bind(delete, p.key());
                    delete.executeUpdate();
                }
                if (p.before() != null) {
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO shop." + p.table() + " ("
                            + String.join(", ", p.columns()) + ") VALUES ("
                            + String.join(", ", Collections.nCopies(p.columns().size(), "?")) + ")")) {
                        bind(insert, p.before());
                        insert.executeUpdate();
                    }
                }
            }
        }
        planted.clear();
    }
}
