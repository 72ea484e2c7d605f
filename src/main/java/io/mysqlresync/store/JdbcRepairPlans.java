package io.mysqlresync.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.RepairPlans;
import io.mysqlresync.incident.RepairRequest;
import io.mysqlresync.repair.RepairPlan;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Repair plans in the state database (V7__repairs.sql). Like recovery plans, a repair moves on
 * with one {@code UPDATE ... WHERE id = ? AND state = ? [AND revision = ?]}: of two clicks, two
 * retries or two replicas, the database lets one through.
 */
public final class JdbcRepairPlans implements RepairPlans {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final String COLUMNS = "plan_json, revision, requested_by, expires_at, state, decided_by,"
            + " decided_at, channel, message_ts, missing_grants";

    private final DataSource dataSource;
    private final ObjectMapper json = StateJson.mapper();

    public JdbcRepairPlans(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void insert(RepairRequest r) {
        run("save repair plan " + r.id(), "INSERT INTO resync_repair (id, cluster, verification_id, state, revision,"
                        + " requested_by, created_at, expires_at, decided_by, decided_at, channel, message_ts,"
                        + " missing_grants, plan_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.id(), r.cluster(), r.plan().verificationId(), r.state().name(), r.revision(), r.requestedBy(),
                JdbcResyncStore.text(r.plan().createdAt()), JdbcResyncStore.text(r.expiresAt()), r.decidedBy(),
                JdbcResyncStore.text(r.decidedAt()), r.channel(), r.messageTs(), write(r.missingGrants()),
                write(r.plan()));
    }

    @Override
    public boolean replace(RepairRequest r, int revision) {
        return run("change repair plan " + r.id(), "UPDATE resync_repair SET plan_json = ?, revision = ?,"
                        + " missing_grants = ? WHERE id = ? AND state = ? AND revision = ?",
                write(r.plan()), r.revision(), write(r.missingGrants()), r.id(), PlanState.PROPOSED.name(),
                revision) == 1;
    }

    @Override
    public Optional<RepairRequest> find(String id) {
        return query("SELECT " + COLUMNS + " FROM resync_repair WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public boolean transition(String id, PlanState from, PlanState to, int revision, String actor, Instant at) {
        String sql = "UPDATE resync_repair SET state = ?, decided_by = ?, decided_at = ? WHERE id = ? AND state = ?";
        if (revision >= 0) {
            return run("move repair plan " + id, sql + " AND revision = ?", to.name(), actor,
                    JdbcResyncStore.text(at), id, from.name(), revision) == 1;
        }
        return run("move repair plan " + id, sql, to.name(), actor, JdbcResyncStore.text(at), id, from.name()) == 1;
    }

    @Override
    public void setMessage(String id, String channel, String messageTs) {
        run("set the message of repair plan " + id, "UPDATE resync_repair SET channel = ?, message_ts = ? WHERE id = ?",
                channel, messageTs, id);
    }

    @Override
    public List<RepairRequest> pending() {
        return query("SELECT " + COLUMNS + " FROM resync_repair WHERE state = ? ORDER BY created_at, id",
                PlanState.PROPOSED.name());
    }

    private List<RepairRequest> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<RepairRequest> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RepairRequest(json.readValue(rs.getString("plan_json"), RepairPlan.class),
                            rs.getInt("revision"), rs.getString("requested_by"),
                            JdbcResyncStore.instant(rs.getString("expires_at")), PlanState.valueOf(rs.getString("state")),
                            rs.getString("decided_by"), JdbcResyncStore.instant(rs.getString("decided_at")),
                            rs.getString("channel"), rs.getString("message_ts"),
                            json.readValue(rs.getString("missing_grants"), STRINGS)));
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new StateStoreException("state database: cannot read repair plans: " + e.getMessage(), e);
        }
    }

    private int run(String what, String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateStoreException("state database: cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, (String) args[i]);
            }
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StateStoreException("state database: cannot write a repair plan as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
