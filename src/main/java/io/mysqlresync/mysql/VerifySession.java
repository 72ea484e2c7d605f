package io.mysqlresync.mysql;

import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.ServerVersion;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.InconclusiveReason;
import io.mysqlresync.verify.VerifyException;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * One node's connection for a verification: read-only, every statement bounded by the server
 * (max_statement_time / max_execution_time) and by the driver (query timeout), cancellable, and
 * every failure turned into a {@link VerifyException} that names the node and what to do.
 */
final class VerifySession implements AutoCloseable {

    /** SELECT (1142) or column (1143) command denied; access denied to a database (1044). */
    private static final Set<Integer> DENIED = Set.of(1142, 1143, 1044);
    /** MariaDB max_statement_time (1969), MySQL max_execution_time (3024). */
    private static final Set<Integer> TIMED_OUT = Set.of(1969, 3024);
    private static final int INTERRUPTED = 1317;

    final String node;
    final Connection connection;
    final ServerVersion version;
    /** 'user'@'host' as the server knows the bot, for the GRANT it should run. */
    final String account;
    private final Duration queryTimeout;
    private final CancelToken cancel;
    private volatile Statement running;

    /** Owns {@code connection} from here on: closes it when the session cannot be set up. */
    VerifySession(String node, Connection connection, Duration queryTimeout, CancelToken cancel) throws SQLException {
        this.node = node;
        this.connection = connection;
        this.queryTimeout = queryTimeout;
        this.cancel = cancel;
        try {
            String v;
            String comment;
            String user;
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("SELECT @@version, @@version_comment, CURRENT_USER()")) {
                rs.next();
                v = rs.getString(1);
                comment = rs.getString(2);
                user = rs.getString(3);
            }
            this.version = ServerVersion.parse(v, comment);
            this.account = SqlAccount.quoted(user);
            try (Statement s = connection.createStatement()) {
                // The verifier only reads; a read-only session makes any write a bug that fails loudly.
                s.execute("SET SESSION TRANSACTION READ ONLY");
                // TIMESTAMP values are printed (and cast) in the session's time zone: two nodes with
                // different default zones would differ in every TIMESTAMP column without this.
                s.execute("SET SESSION time_zone = '+00:00'");
            }
            limitStatements(queryTimeout);
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The server's own bound on each statement (MariaDB max_statement_time, MySQL 5.7.8+ max_execution_time). */
    private void limitStatements(Duration limit) throws SQLException {
        long ms = Math.max(1000, limit.toMillis());
        try (Statement s = connection.createStatement()) {
            if (version.flavor() == Flavor.MARIADB) {
                s.execute("SET SESSION max_statement_time = " + (ms / 1000.0));
            } else if (version.atLeast(5, 7, 8)) {
                s.execute("SET SESSION max_execution_time = " + ms);
            }
        }
    }

    /**
     * A catch-up wait (MASTER_GTID_WAIT, WAIT_FOR_EXECUTED_GTID_SET, MASTER_POS_WAIT): bounded by
     * its own timeout argument, so the per-query timeout, sized for a chunk, must not cut it short.
     */
    List<List<String>> await(String sql, List<ChunkChecksums.KeyParam> params, Duration wait, String what) {
        Duration limit = wait.plusSeconds(5);
        try {
            limitStatements(limit);
        } catch (SQLException e) {
            throw failure(e, what);
        }
        List<List<String>> rows;
        try {
            rows = query(sql, params, null, what, limit, 1);
        } catch (VerifyException e) {
            try {
                limitStatements(queryTimeout);
            } catch (SQLException ignored) {
                // the wait's own failure is the one to report
            }
            throw e;
        }
        try {
            limitStatements(queryTimeout);
        } catch (SQLException e) {
            throw failure(e, "restoring its statement timeout after " + what);
        }
        return rows;
    }

    boolean mariadb() {
        return version.flavor() == Flavor.MARIADB;
    }

    /** Rows as canonical text: binary columns as 0x-hex, everything else as the server prints it. */
    List<List<String>> query(String sql, List<ChunkChecksums.KeyParam> params, List<String> columnTypes, String what) {
        return query(sql, params, columnTypes, what, queryTimeout, 1);
    }

    /** Only every {@code nth} row of the result (the nth, the 2nth, ...), the rest skipped unread. */
    List<List<String>> query(String sql, List<ChunkChecksums.KeyParam> params, List<String> columnTypes, String what,
                             long nth) {
        return query(sql, params, columnTypes, what, queryTimeout, nth);
    }

    private List<List<String>> query(String sql, List<ChunkChecksums.KeyParam> params, List<String> columnTypes,
                                     String what, Duration timeout, long nth) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, params);
            ps.setQueryTimeout((int) Math.max(1, timeout.toSeconds() + 1));
            running = ps;
            try (AutoCloseable onCancel = cancel.onCancel(() -> cancelRunning(ps)); ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                List<List<String>> rows = new ArrayList<>();
                for (long i = 1; rs.next(); i++) {
                    if (i % nth == 0) {
                        rows.add(canonical(rs, n, columnTypes));
                    }
                }
                return rows;
            } finally {
                running = null;
            }
        } catch (SQLException e) {
            throw failure(e, what);
        } catch (VerifyException e) {
            throw e;
        } catch (Exception e) {
            throw new VerifyException(InconclusiveReason.ERROR, node + ": " + what + ": " + e.getMessage(), e);
        }
    }

    /** One row as canonical text: binary columns as 0x-hex, everything else as the server prints it. */
    static List<String> canonical(ResultSet rs, int n, List<String> columnTypes) throws SQLException {
        List<String> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            String type = columnTypes == null || i > columnTypes.size() ? "" : columnTypes.get(i - 1);
            if (CatalogTable.isBinary(type)) {
                byte[] b = rs.getBytes(i);
                row.add(b == null ? null : "0x" + HexFormat.of().formatHex(b));
            } else {
                row.add(rs.getString(i));
            }
        }
        return row;
    }

    List<List<String>> query(String sql, String what) {
        return query(sql, List.of(), null, what);
    }

    static void bind(PreparedStatement ps, List<ChunkChecksums.KeyParam> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ChunkChecksums.KeyParam p = params.get(i);
            if (p.value() == null) {
                ps.setNull(i + 1, java.sql.Types.VARCHAR);
            } else if (CatalogTable.isBinary(p.dataType()) && p.value().startsWith("0x")) {
                ps.setBytes(i + 1, HexFormat.of().parseHex(p.value().substring(2)));
            } else if (CatalogTable.isExactNumber(p.dataType())) {
                // A number, not a quoted string: '9007199254740993' would be compared as a double.
                ps.setBigDecimal(i + 1, new BigDecimal(p.value()));
            } else {
                ps.setString(i + 1, p.value());
            }
        }
    }

    Duration queryTimeout() {
        return queryTimeout;
    }

    /**
     * Cancels the statement running now, if any (the session stays usable). Nothing happens when
     * it has not reached the server yet: the driver cancels only an executing statement.
     */
    void stopRunning() {
        Statement s = running;
        if (s != null) {
            cancelRunning(s);
        }
    }

    private void cancelRunning(Statement s) {
        try {
            s.cancel();
        } catch (SQLException | RuntimeException ignored) {
            // the statement may have just finished
        }
    }

    VerifyException failure(SQLException e, String what) {
        if (cancel.isCancelled()) {
            return new VerifyException(InconclusiveReason.CANCELLED, "verification cancelled while " + what + " on " + node, e);
        }
        if (DENIED.contains(e.getErrorCode())) {
            return new VerifyException(InconclusiveReason.MISSING_PRIVILEGE, node + " refused " + what + ": "
                    + e.getMessage(), e);
        }
        if (e instanceof SQLTimeoutException || TIMED_OUT.contains(e.getErrorCode()) || e.getErrorCode() == INTERRUPTED) {
            return new VerifyException(InconclusiveReason.TIMEOUT, node + ": " + what + " took longer than the query timeout ("
                    + queryTimeout.toSeconds() + " s)", e);
        }
        return new VerifyException(InconclusiveReason.ERROR, node + ": " + what + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // a broken connection is closed enough
        }
    }
}
