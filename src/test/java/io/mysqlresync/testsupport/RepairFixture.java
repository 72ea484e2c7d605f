package io.mysqlresync.testsupport;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.incident.ApprovalPolicy;
import io.mysqlresync.incident.RepairService;
import io.mysqlresync.mysql.JdbcDataVerifier;
import io.mysqlresync.mysql.JdbcRowRepairs;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.repair.RepairPlanner;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.sandbox.SandboxCluster;
import io.mysqlresync.store.JdbcRepairPlans;
import io.mysqlresync.store.JdbcVerificationLog;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.ProgressListener;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyOptions;
import io.mysqlresync.verify.VerifyRequest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A repair service over a real pair and a private state database, as the app wires it: the
 * bot's least-privilege login, JDBC verifier and row repairs, repair plans and verifications in
 * the state store. Approvers: {@link #APPROVER} and {@link #REQUESTER}, who asks for plans (so the
 * two-person rule, not the approver list, is what stops the requester); {@link #STRANGER} is neither.
 */
public final class RepairFixture implements AutoCloseable {

    public static final String APPROVER = "U0APPROVER";
    public static final String REQUESTER = "U0REQUESTER";
    public static final String STRANGER = "U0STRANGER";

    public final StateFixture state = StateFixture.fresh();
    public final ClusterConfig cluster;
    public final NodeConnections connections;
    public final JdbcVerificationLog verifications;
    public final JdbcDataVerifier verifier;
    public final RepairService service;

    public RepairFixture(LocalPair pair, Clock clock, long maxRows) {
        cluster = SandboxCluster.of("shop", pair);
        connections = new NodeConnections(List.of(cluster));
        verifications = new JdbcVerificationLog(state.database.dataSource());
        verifier = new JdbcDataVerifier(connections, VerifyOptions.defaults(), Clock.systemUTC());
        service = new RepairService(verifications, verifier, new JdbcRowRepairs(connections, Duration.ofSeconds(10)),
                new JdbcRepairPlans(state.database.dataSource()), new RepairPlanner(maxRows),
                new ApprovalPolicy(Set.of(APPROVER, REQUESTER), false, true), Duration.ofMinutes(15), state.store, clock);
    }

    /** Verifies the named tables and stores the result like `verify` does; returns its id. */
    public String verify(String... tables) {
        VerificationResult r = verifier.verify("shop", VerifyRequest.of(List.of(tables)), ProgressListener.NONE,
                CancelToken.none());
        String id = "v-" + UUID.randomUUID().toString().substring(0, 8);
        verifications.record(id, REQUESTER, r);
        return id;
    }

    public VerificationResult verifyNow(String... tables) {
        return verifier.verify("shop", VerifyRequest.of(List.of(tables)), ProgressListener.NONE, CancelToken.none());
    }

    /** What the README asks for repairs: binary logging off for a session, and the row changes. Replicates. */
    public static void grantRepair(LocalPair pair) throws SQLException {
        String bot = "'" + Account.BOT.user() + "'@'" + LocalServer.HOST + "'";
        pair.node1().execute("GRANT BINLOG ADMIN ON *.* TO " + bot,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO " + bot);
        pair.awaitInSync();
    }

    public static void revokeRepair(LocalPair pair) throws SQLException {
        String bot = "'" + Account.BOT.user() + "'@'" + LocalServer.HOST + "'";
        pair.node1().execute("REVOKE BINLOG ADMIN ON *.* FROM " + bot,
                "REVOKE INSERT, UPDATE, DELETE ON shop.* FROM " + bot);
        pair.awaitInSync();
    }

    /**
     * Plants {@code count} differing orders on {@code node} behind replication's back, in rows the
     * ShopLoad leaves alone (ids divisible by 7): half updated, a quarter deleted, a quarter
     * inserted with negative ids: an id above the table's highest would move the node's
     * auto-increment counter, and the load's next insert there would take a planted id or, on the
     * other node, collide with one. Returns the planted ids by kind.
     */
    public static Map<String, List<Long>> plantOrders(LocalPair pair, Node node, int orders, int count)
            throws SQLException {
        List<Long> updated = new ArrayList<>();
        List<Long> deleted = new ArrayList<>();
        List<Long> inserted = new ArrayList<>();
        int updates = count / 2;
        int deletes = count / 4;
        int inserts = count - updates - deletes;
        if ((updates + deletes) * 7L > orders) {
            throw new IllegalArgumentException(orders + " orders hold too few reserved rows for " + count);
        }
        try (Connection c = pair.server(node).connect(); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_log_bin = 0");
            c.setAutoCommit(false);
            try (PreparedStatement u = c.prepareStatement("UPDATE shop.orders SET status = 'planted',"
                    + " amount = amount + 0.01 WHERE id = ?");
                 PreparedStatement d = c.prepareStatement("DELETE FROM shop.orders WHERE id = ?");
                 PreparedStatement i = c.prepareStatement("INSERT INTO shop.orders (id, customer, status, amount, note,"
                         + " updated) VALUES (?, 1, 'planted', 9.99, 'it''s \\\\ planted', '2026-01-02 03:04:05')")) {
                long id = 7;
                for (int n = 0; n < updates; n++, id += 7) {
                    u.setLong(1, id);
                    u.addBatch();
                    updated.add(id);
                }
                for (int n = 0; n < deletes; n++, id += 7) {
                    d.setLong(1, id);
                    d.addBatch();
                    deleted.add(id);
                }
                for (int n = 0; n < inserts; n++) {
                    i.setLong(1, -1L - n);
                    i.addBatch();
                    inserted.add(-1L - n);
                }
                u.executeBatch();
                d.executeBatch();
                i.executeBatch();
            }
            c.commit();
        }
        return Map.of("updated", updated, "deleted", deleted, "inserted", inserted);
    }

    /** Replication healthy on a node: both threads running, no error. */
    public static String replicationHealth(LocalPair pair, Node node) throws SQLException {
        Map<String, String> s = pair.replicaStatus(node).orElseThrow();
        return s.get("Slave_IO_Running") + "/" + s.get("Slave_SQL_Running") + " errno " + s.get("Last_Errno")
                + " " + s.get("Last_Error");
    }

    @Override
    public void close() {
        connections.close();
        state.close();
    }
}
