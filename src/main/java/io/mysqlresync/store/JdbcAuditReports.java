package io.mysqlresync.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.audit.AuditReports;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The last scheduled audit per cluster in the state database (V5__audit_reports.sql). */
public final class JdbcAuditReports implements AuditReports {

    private final DataSource dataSource;
    private final ObjectMapper json = StateJson.mapper();

    public JdbcAuditReports(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<AuditReport> last(String cluster) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT report_json FROM resync_audit_report WHERE cluster = ?")) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(json.readValue(rs.getString(1), AuditReport.class));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read the last audit of " + cluster + " from the state database: "
                    + e.getMessage(), e);
        }
    }

    /** Replaces the cluster's last report. Only the scheduled audit job writes it: one replica at a time. */
    @Override
    public void save(AuditReport report, Instant at) {
        try (Connection c = dataSource.getConnection()) {
            String text = json.writeValueAsString(report);
            try (PreparedStatement update = c.prepareStatement("UPDATE resync_audit_report SET audited_at = ?, worst = ?,"
                    + " report_json = ? WHERE cluster = ?")) {
                update.setString(1, JdbcResyncStore.text(at));
                update.setString(2, report.worst().name());
                update.setString(3, text);
                update.setString(4, report.cluster());
                if (update.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO resync_audit_report (audited_at, worst,"
                    + " report_json, cluster) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, JdbcResyncStore.text(at));
                insert.setString(2, report.worst().name());
                insert.setString(3, text);
                insert.setString(4, report.cluster());
                insert.executeUpdate();
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not save the audit of " + report.cluster() + " in the state database: "
                    + e.getMessage(), e);
        }
    }
}
