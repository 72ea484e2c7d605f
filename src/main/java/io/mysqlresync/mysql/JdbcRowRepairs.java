package io.mysqlresync.mysql;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.ServerVersion;
import io.mysqlresync.repair.RepairPlan;
import io.mysqlresync.repair.RowFix;
import io.mysqlresync.repair.RowOutcome;
import io.mysqlresync.repair.RowRepairs;
import io.mysqlresync.repair.TableRepair;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.TableRef;
import io.mysqlresync.verify.VerifyException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies a repair on the drifted node with binary logging off for that session
 * ({@code SET SESSION sql_log_bin = 0}).
 *
 * <p>Why this mechanism: in an active-active pair every logged write on one node is applied by
 * the other. A repair written with binary logging on would replicate to the source of truth,
 * where the row already is as wanted: an INSERT stops its applier with 1062, a DELETE or UPDATE
 * of a row it lacks with 1032, and an UPDATE it can apply comes back again (echo). Writing on the
 * source of truth instead, so that the change replicates, needs a no-op change that still
 * carries the whole row, which ROW format does not log for an UPDATE that changes nothing, and
 * it would race the application there. With binary logging off the change stays on the node that
 * needs it and nothing else sees it. The price is a privilege: MariaDB 10.5.2+ BINLOG ADMIN (older:
 * SUPER), MySQL 8 SYSTEM_VARIABLES_ADMIN or SESSION_VARIABLES_ADMIN (5.7: SUPER), plus SELECT,
 * INSERT, UPDATE, DELETE on the repaired tables.
 *
 * <p>Each row: locked on the drifted node (SELECT ... FOR UPDATE, so the applier and the
 * application wait for the repair's short transaction), read again on the source of truth, and
 * changed only when both still hold what the verification saw. A write on the source after the
 * read replicates after the commit and applies on top, as it would have anyway.
 */
public final class JdbcRowRepairs implements RowRepairs {

    private static final String COMMENT = "/* mysql-resync repair */ ";

    private final NodeConnections connections;
    private final Duration queryTimeout;

    public JdbcRowRepairs(NodeConnections connections, Duration queryTimeout) {
        this.connections = connections;
        this.queryTimeout = queryTimeout;
    }

    @Override
    public List<String> missingGrants(String cluster, String target, RepairPlan plan) {
        ClusterConfig cfg = connections.cluster(cluster);
        try (Connection c = NodeConnections.open(cfg, node(cfg, target))) {
            ServerVersion v;
            String user;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT @@version, @@version_comment, CURRENT_USER()")) {
                rs.next();
                v = ServerVersion.parse(rs.getString(1), rs.getString(2));
                user = rs.getString(3);
            }
            List<String> grants = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
                while (rs.next()) {
                    grants.add(rs.getString(1));
                }
            }
            int at = user.lastIndexOf('@');
            String account = "'" + user.substring(0, at) + "'@'" + user.substring(at + 1) + "'";
            Set<TableRef> tables = plan.tables().stream().filter(t -> target.equals(t.target()))
                    .map(TableRepair::table).collect(Collectors.toCollection(LinkedHashSet::new));
            return missing(v, grants, tables, account);
        } catch (SQLException e) {
            return List.of("-- " + target + ": could not read the grants: " + e.getMessage());
        }
    }

    /** The admin privilege that lets a session set sql_log_bin, per flavor and version. */
    static List<String> binlogOff(ServerVersion v) {
        if (v.flavor() == Flavor.MARIADB) {
            return v.atLeast(10, 5, 2) ? List.of("BINLOG ADMIN", "SUPER") : List.of("SUPER");
        }
        return v.atLeast(8, 0, 0) ? List.of("SYSTEM_VARIABLES_ADMIN", "SESSION_VARIABLES_ADMIN", "SUPER")
                : List.of("SUPER");
    }

    static List<String> missing(ServerVersion v, List<String> grants, Set<TableRef> tables, String account) {
        List<String> out = new ArrayList<>();
        List<String> admin = binlogOff(v);
        if (admin.stream().noneMatch(p -> has(grants, p, null, null))) {
            out.add("GRANT " + admin.get(0) + " ON *.* TO " + account + ";");
        }
        Set<String> schemas = new LinkedHashSet<>();
        for (TableRef t : tables) {
            for (String p : List.of("SELECT", "INSERT", "UPDATE", "DELETE")) {
                if (!has(grants, p, t.schema(), t.table())) {
                    schemas.add(t.schema());
                }
            }
        }
        for (String s : schemas) {
            out.add("GRANT SELECT, INSERT, UPDATE, DELETE ON " + ChunkChecksums.quote(s) + ".* TO " + account + ";");
        }
        return out;
    }

    /** Whether a SHOW GRANTS line gives {@code privilege} on *.*, on the schema, or on the table. */
    static boolean has(List<String> grants, String privilege, String schema, String table) {
        for (String g : grants) {
            String line = g.trim();
            if (!line.toUpperCase(Locale.ROOT).startsWith("GRANT ")) continue;
            int on = line.indexOf(" ON ");
            int to = line.lastIndexOf(" TO ");
            if (on < 0 || to < on) continue;
            String privileges = line.substring(6, on).toUpperCase(Locale.ROOT);
            String object = line.substring(on + 4, to).trim().replace("`", "").replace("\\", "");
            boolean listed = privileges.contains("ALL PRIVILEGES") || java.util.Arrays.stream(privileges.split(","))
                    .map(String::trim).anyMatch(privilege::equals);
            if (!listed) continue;
            if (object.equals("*.*")
                    || (schema != null && (object.equals(schema + ".*") || object.equals(schema + "." + table)))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Session open(String cluster, String source, String target) {
        ClusterConfig cfg = connections.cluster(cluster);
        Duration socket = queryTimeout.plusSeconds(5);
        ClusterConfig slow = new ClusterConfig(cfg.name(), cfg.user(), cfg.password(), cfg.connectTimeout(),
                socket.compareTo(cfg.readTimeout()) > 0 ? socket : cfg.readTimeout(), cfg.nodes());
        VerifySession read = null;
        Connection write = null;
        try {
            read = new VerifySession(source, NodeConnections.open(slow, node(slow, source)), queryTimeout,
                    new CancelToken());
            VerifyCatalog catalog = VerifyCatalog.read(read, List.of());
            write = NodeConnections.open(slow, node(slow, target));
            try (Statement s = write.createStatement()) {
                // The change must stay on this node: see the class comment.
                s.execute("SET SESSION sql_log_bin = 0");
                // The verifier reads TIMESTAMPs in UTC; the re-read must print them the same way.
                s.execute("SET SESSION time_zone = '+00:00'");
            }
            write.setAutoCommit(false);
            return new JdbcSession(source, target, read, write, catalog);
        } catch (SQLException | VerifyException e) {
            if (read != null) read.close();
            closeQuietly(write);
            throw new IllegalStateException(target + ": cannot open a repair session: " + e.getMessage(), e);
        }
    }

    private static NodeConfig node(ClusterConfig cfg, String name) {
        return cfg.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node '" + name + "' in cluster " + cfg.name()));
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a broken connection
        }
    }

    private final class JdbcSession implements Session {
        private final String source;
        private final String target;
        private final VerifySession read;
        private final Connection write;
        private final VerifyCatalog catalog;

        JdbcSession(String source, String target, VerifySession read, Connection write, VerifyCatalog catalog) {
            this.source = source;
            this.target = target;
            this.read = read;
            this.write = write;
            this.catalog = catalog;
        }

        @Override
        public RowOutcome apply(RowFix fix, ChangeCheck changed) {
            long t0 = System.nanoTime();
            CatalogTable t = catalog.tables.get(fix.table());
            if (t == null || !t.shape().columns().equals(fix.columns()) || !t.shape().keyColumns().equals(fix.keyColumns())) {
                return new RowOutcome(fix, RowOutcome.Result.FAILED, fix.table() + " on " + source
                        + " no longer has the columns and key the verification read; verify again", ms(t0));
            }
            try {
                List<String> targetNow = lockedRow(t, fix);
                ChunkChecksums.Query q = ChunkChecksums.rowsByKey(t, List.of(fix.key()));
                List<List<String>> found = read.query(q.sql(), q.params(), types(t, t.shape().columns()),
                        "reading " + fix.where() + " again");
                List<String> sourceNow = found.isEmpty() ? null : found.get(0);
                Optional<String> why = changed.changedSince(fix, sourceNow, targetNow);
                if (why.isPresent()) {
                    write.rollback();
                    return new RowOutcome(fix, RowOutcome.Result.SKIPPED_CHANGED, why.get(), ms(t0));
                }
                int n = execute(t, fix, sourceNow);
                if (n != 1) {
                    write.rollback();
                    return new RowOutcome(fix, RowOutcome.Result.FAILED, n + " rows would change, not 1; rolled back",
                            ms(t0));
                }
                write.commit();
                return new RowOutcome(fix, RowOutcome.Result.APPLIED, "", ms(t0));
            } catch (SQLException | RuntimeException e) {
                try {
                    write.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone; the server rolls back
                }
                return new RowOutcome(fix, RowOutcome.Result.FAILED, target + ": " + e.getMessage(), ms(t0));
            }
        }

        private List<String> lockedRow(CatalogTable t, RowFix fix) throws SQLException {
            ChunkChecksums.Query q = ChunkChecksums.rowsByKey(t, List.of(fix.key()));
            try (PreparedStatement ps = write.prepareStatement(q.sql().replace("/* mysql-resync verify */ ", COMMENT)
                    + " FOR UPDATE")) {
                VerifySession.bind(ps, q.params());
                ps.setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? VerifySession.canonical(rs, t.shape().columns().size(),
                            types(t, t.shape().columns())) : null;
                }
            }
        }

        /** The statement with the source's values as read just now (the plan shows them cut when long). */
        private int execute(CatalogTable t, RowFix fix, List<String> sourceNow) throws SQLException {
            List<ChunkChecksums.KeyParam> params = new ArrayList<>();
            String table = ChunkChecksums.table(t);
            String sql;
            switch (fix.kind()) {
                case INSERT -> {
                    sql = "INSERT INTO " + table + " (" + fix.columns().stream().map(ChunkChecksums::quote)
                            .collect(Collectors.joining(", ")) + ") VALUES ("
                            + String.join(", ", java.util.Collections.nCopies(fix.columns().size(), "?")) + ")";
                    for (int i = 0; i < fix.columns().size(); i++) {
                        params.add(new ChunkChecksums.KeyParam(sourceNow.get(i), t.type(fix.columns().get(i))));
                    }
                }
                case DELETE -> sql = "DELETE FROM " + table + " WHERE " + keyWhere(t, fix, params);
                case UPDATE -> {
                    List<String> sets = new ArrayList<>();
                    for (String c : fix.changed()) {
                        sets.add(ChunkChecksums.quote(c) + " = ?");
                        params.add(new ChunkChecksums.KeyParam(sourceNow.get(fix.columns().indexOf(c)), t.type(c)));
                    }
                    sql = "UPDATE " + table + " SET " + String.join(", ", sets) + " WHERE " + keyWhere(t, fix, params);
                }
                default -> throw new IllegalStateException(String.valueOf(fix.kind()));
            }
            try (PreparedStatement ps = write.prepareStatement(COMMENT + sql)) {
                VerifySession.bind(ps, params);
                ps.setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
                return ps.executeUpdate();
            }
        }

        private String keyWhere(CatalogTable t, RowFix fix, List<ChunkChecksums.KeyParam> params) {
            List<String> eq = new ArrayList<>();
            for (int i = 0; i < fix.keyColumns().size(); i++) {
                String c = fix.keyColumns().get(i);
                eq.add(ChunkChecksums.quote(c) + " = ?");
                params.add(new ChunkChecksums.KeyParam(fix.key().values().get(i), t.type(c)));
            }
            return String.join(" AND ", eq);
        }

        private List<String> types(CatalogTable t, List<String> columns) {
            return columns.stream().map(t::type).toList();
        }

        private long ms(long t0) {
            return (System.nanoTime() - t0) / 1_000_000;
        }

        @Override
        public void close() {
            try {
                write.rollback();
            } catch (SQLException ignored) {
                // nothing open, or the connection is gone
            }
            closeQuietly(write);
            read.close();
        }
    }

    @Override
    public java.util.Map<TableRef, java.util.Map<String, String>> columnTypes(String cluster, String node) {
        ClusterConfig cfg = connections.cluster(cluster);
        try (VerifySession s = new VerifySession(node, NodeConnections.open(cfg, node(cfg, node)), queryTimeout,
                new CancelToken())) {
            java.util.Map<TableRef, java.util.Map<String, String>> out = new java.util.LinkedHashMap<>();
            VerifyCatalog.read(s, List.of()).tables.forEach((t, c) -> out.put(t, c.dataTypes()));
            return out;
        } catch (SQLException | VerifyException e) {
            return java.util.Map.of();
        }
    }

    @Override
    public ServerVersion version(String cluster, String node) {
        ClusterConfig cfg = connections.cluster(cluster);
        try (Connection c = NodeConnections.open(cfg, node(cfg, node)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@version, @@version_comment")) {
            rs.next();
            return ServerVersion.parse(rs.getString(1), rs.getString(2));
        } catch (SQLException e) {
            return null;
        }
    }
}
