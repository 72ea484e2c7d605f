package io.mysqlresync.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationLog;
import io.mysqlresync.verify.VerificationResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Verifications in the state database (V4__verifications.sql), each with its audit entry. */
public final class JdbcVerificationLog implements VerificationLog {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private final DataSource dataSource;
    private final ObjectMapper json = StateJson.mapper();

    public JdbcVerificationLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void record(String id, String requestedBy, VerificationResult r) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO resync_verification (id, cluster, started_at,"
                        + " took_ms, verdict, headline, rows_compared, requested_by, tables_json)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setString(2, r.cluster());
                    ps.setString(3, JdbcResyncStore.text(r.started()));
                    ps.setLong(4, r.took().toMillis());
                    ps.setString(5, r.verdict().name());
                    ps.setString(6, r.headline());
                    ps.setLong(7, r.rowsCompared());
                    ps.setString(8, requestedBy);
                    ps.setString(9, write(r.tables().stream().map(TableResult::summary).toList()));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO resync_verification_row (verification_id, seq,"
                        + " table_name, row_key, difference_json) VALUES (?, ?, ?, ?, ?)")) {
                    int seq = 0;
                    for (RowDifference d : r.differences()) {
                        ps.setString(1, id);
                        ps.setInt(2, seq++);
                        ps.setString(3, d.table().toString());
                        ps.setString(4, d.key().display(d.keyColumns()));
                        ps.setString(5, write(d));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                // In the same transaction: a verification is never stored without its audit entry, nor the reverse.
                JdbcResyncStore.audit(c, new AuditEntry(r.started().plus(r.took()), r.cluster(), id, requestedBy,
                        "verify", r.verdict().name().toLowerCase() + ": " + r.headline()));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StateStoreException("state database: cannot store verification " + id + " of " + r.cluster()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Stored> recent(String cluster, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, cluster, started_at, took_ms, verdict, headline,"
                     + " rows_compared, requested_by, tables_json FROM resync_verification WHERE cluster = ?"
                     + " ORDER BY started_at DESC, id DESC LIMIT ?")) {
            ps.setString(1, cluster);
            ps.setInt(2, limit);
            List<Stored> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Stored(rs.getString(1), rs.getString(2), JdbcResyncStore.instant(rs.getString(3)),
                            Duration.ofMillis(rs.getLong(4)), TableVerdict.valueOf(rs.getString(5)), rs.getString(6),
                            rs.getLong(7), rs.getString(8), json.readValue(rs.getString(9), STRINGS)));
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new StateStoreException("state database: cannot read the verifications of " + cluster + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public java.util.Optional<Stored> find(String verificationId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, cluster, started_at, took_ms, verdict, headline,"
                     + " rows_compared, requested_by, tables_json FROM resync_verification WHERE id = ?")) {
            ps.setString(1, verificationId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(new Stored(rs.getString(1), rs.getString(2),
                        JdbcResyncStore.instant(rs.getString(3)), Duration.ofMillis(rs.getLong(4)),
                        TableVerdict.valueOf(rs.getString(5)), rs.getString(6), rs.getLong(7), rs.getString(8),
                        json.readValue(rs.getString(9), STRINGS)));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new StateStoreException("state database: cannot read verification " + verificationId + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<RowDifference> differences(String verificationId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT difference_json FROM resync_verification_row"
                     + " WHERE verification_id = ? ORDER BY seq")) {
            ps.setString(1, verificationId);
            List<RowDifference> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(json.readValue(rs.getString(1), RowDifference.class));
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new StateStoreException("state database: cannot read the rows of verification " + verificationId
                    + ": " + e.getMessage(), e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StateStoreException("state database: cannot write a verification as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
