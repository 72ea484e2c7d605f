package io.mysqlresync.sandbox;

import io.mysqlresync.sandbox.LocalPair.Node;

import java.sql.SQLException;

/**
 * A small shop on a pair, for drift verification: tables with each kind of key the verifier
 * handles, seeded on node1 and replicated to node2.
 * <ul>
 *   <li>{@code shop.orders}: a BIGINT primary key;</li>
 *   <li>{@code shop.order_lines}: a composite primary key (order_id, line);</li>
 *   <li>{@code shop.customers}: no primary key, only a NOT NULL unique key (email);</li>
 *   <li>{@code shop.audit_log}: no key at all (written by nobody during the tests).</li>
 * </ul>
 * Row {@code n} of orders has id {@code n}; order_lines has two lines per order for the first
 * half of the orders; customer {@code n} has email {@code c<n>@example.com}.
 */
public final class ShopSchema {

    public static final String SCHEMA = "shop";

    private ShopSchema() {
    }

    /** Drops and recreates the schema on both nodes (through replication), seeds it, and waits until node2 has it all. */
    public static void create(LocalPair pair, int orders) throws SQLException {
        LocalServer node1 = pair.node1();
        String seq = node1.binary().isMariaDb() ? "shop.seq_1_to_" + orders + " s"
                : "(WITH RECURSIVE q(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM q WHERE seq < " + orders + ") SELECT seq FROM q) s";
        node1.execute(
                node1.binary().isMariaDb() ? "DO 1" : "SET SESSION cte_max_recursion_depth = 10000000",
                "DROP DATABASE IF EXISTS " + SCHEMA,
                "CREATE DATABASE " + SCHEMA,
                "CREATE TABLE shop.orders (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, customer INT NOT NULL,"
                        + " status VARCHAR(16) NOT NULL, amount DECIMAL(10,2) NOT NULL, note TEXT NULL,"
                        + " updated DATETIME(6) NOT NULL) ENGINE=InnoDB",
                "CREATE TABLE shop.order_lines (order_id BIGINT NOT NULL, line INT NOT NULL, sku VARCHAR(32) NOT NULL,"
                        + " qty INT NOT NULL, PRIMARY KEY (order_id, line)) ENGINE=InnoDB",
                "CREATE TABLE shop.customers (email VARCHAR(64) NOT NULL, name VARCHAR(64) NULL, visits INT NOT NULL,"
                        + " photo VARBINARY(64) NULL, UNIQUE KEY email (email), KEY visits (visits)) ENGINE=InnoDB",
                "CREATE TABLE shop.audit_log (at VARCHAR(32) NOT NULL, message VARCHAR(64) NULL) ENGINE=InnoDB",
                "INSERT INTO shop.orders (id, customer, status, amount, note, updated) SELECT s.seq, s.seq % 997, 'new',"
                        + " s.seq / 100, IF(s.seq % 5 = 0, NULL, REPEAT('x', s.seq % 300)), '2026-01-01 00:00:00' FROM " + seq,
                "INSERT INTO shop.order_lines SELECT s.seq, l.line, CONCAT('sku-', s.seq % 50), 1"
                        + " FROM " + seq + " JOIN (SELECT 1 AS line UNION ALL SELECT 2) l WHERE s.seq <= " + orders / 2,
                "INSERT INTO shop.customers SELECT CONCAT('c', s.seq, '@example.com'), IF(s.seq % 3 = 0, NULL, CONCAT('name ', s.seq)),"
                        + " 0, UNHEX(MD5(s.seq)) FROM " + seq + " WHERE s.seq <= " + orders / 3,
                "INSERT INTO shop.audit_log SELECT CONCAT('t', s.seq), 'seeded' FROM " + seq + " WHERE s.seq <= 2000");
        pair.awaitInSync();
    }

    /** SELECT on the shop for the bot's account, on both nodes (the grant replicates). */
    public static void grantBotSelect(LocalPair pair) throws SQLException {
        pair.server(Node.NODE1).execute("GRANT SELECT ON shop.* TO '" + Account.BOT.user() + "'@'" + LocalServer.HOST + "'");
        pair.awaitInSync();
    }
}
