package io.mysqlresync.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.ExecutingPlan;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.LagSample;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.incident.ShardPoll;
import io.mysqlresync.incident.WatchMemory;
import io.mysqlresync.recovery.RecoveryPlan;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ResyncStore} over JDBC: one code path and portable SQL for H2 and MySQL/MariaDB
 * (schema: db/migration/V1__state.sql, V3__poll_memory.sql, V6__shard_polls.sql). The execute-once guards are single statements that the
 * database decides, so they hold across retries, threads and bot replicas:
 * <ul>
 *   <li>a plan moves on with {@code UPDATE ... WHERE id = ? AND state = ?}: of two approvals at
 *       the same moment the row lock lets one update the row and the other finds 0 rows;</li>
 *   <li>a cluster's open incident is unique through the {@code open_cluster} unique index, so
 *       the second of two concurrent inserts fails with a duplicate key.</li>
 * </ul>
 * Every statement runs in auto-commit: nothing here needs more than one statement to be atomic.
 */
public final class JdbcResyncStore implements ResyncStore {

    /** Fixed width, so that the text sorts in time order (see V1__state.sql). */
    static final DateTimeFormatter INSTANT_TEXT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private static final TypeReference<List<LagSample>> SAMPLES = new TypeReference<>() { };

    private static final String PLAN_COLUMNS =
            "plan_json, requested_by, expires_at, state, decided_by, decided_at, channel, message_ts";
    private static final String INCIDENT_COLUMNS =
            "id, cluster, state, problem_key, headline, opened_at, updated_at, channel, message_ts";
    private static final String WATCH_COLUMNS =
            "cluster, channel, message_ts, thread_ts, started_at, samples_json, in_sync_streak, alerted, incident_id";

    private final DataSource dataSource;
    private final ObjectMapper json;

    public JdbcResyncStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.json = StateJson.mapper();
    }

    // ---- plans ---------------------------------------------------------------------------

    @Override
    public void savePlan(ProposedPlan p) {
        String planJson = write(p.plan(), "plan " + p.id());
        try (Connection c = dataSource.getConnection()) {
            if (updatePlan(c, p, planJson) == 1) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO resync_plan (cluster, state, requested_by, "
                    + "created_at, expires_at, decided_by, decided_at, channel, message_ts, plan_json, id) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                bindPlan(ps, p, planJson);
                ps.executeUpdate();
            } catch (SQLException e) {
                // Another replica saved the same plan between our UPDATE and INSERT.
                if (!isDuplicateKey(e) || updatePlan(c, p, planJson) != 1) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw failed("save plan " + p.id(), e);
        }
    }

    private int updatePlan(Connection c, ProposedPlan p, String planJson) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE resync_plan SET cluster = ?, state = ?, "
                + "requested_by = ?, created_at = ?, expires_at = ?, decided_by = ?, decided_at = ?, channel = ?, "
                + "message_ts = ?, plan_json = ? WHERE id = ?")) {
            bindPlan(ps, p, planJson);
            return ps.executeUpdate();
        }
    }

    private static void bindPlan(PreparedStatement ps, ProposedPlan p, String planJson) throws SQLException {
        ps.setString(1, p.cluster());
        ps.setString(2, p.state().name());
        ps.setString(3, p.requestedBy());
        ps.setString(4, text(p.plan().createdAt()));
        ps.setString(5, text(p.expiresAt()));
        ps.setString(6, p.decidedBy());
        ps.setString(7, text(p.decidedAt()));
        ps.setString(8, p.channel());
        ps.setString(9, p.messageTs());
        ps.setString(10, planJson);
        ps.setString(11, p.id());
    }

    @Override
    public Optional<ProposedPlan> plan(String planId) {
        List<ProposedPlan> found = queryPlans("SELECT " + PLAN_COLUMNS + " FROM resync_plan WHERE id = ?",
                "read plan " + planId, planId);
        return found.stream().findFirst();
    }

    @Override
    public boolean transitionPlan(String planId, PlanState from, PlanState to, String actor, Instant at) {
        return update("move plan " + planId + " from " + from + " to " + to,
                "UPDATE resync_plan SET state = ?, decided_by = ?, decided_at = ? WHERE id = ? AND state = ?",
                to.name(), actor, text(at), planId, from.name()) == 1;
    }

    @Override
    public void setPlanMessage(String planId, String channel, String messageTs) {
        update("set the message of plan " + planId,
                "UPDATE resync_plan SET channel = ?, message_ts = ? WHERE id = ?", channel, messageTs, planId);
    }

    @Override
    public void beatPlan(String planId, String executor, Instant at) {
        update("record the heartbeat of plan " + planId,
                "UPDATE resync_plan SET executor = ?, heartbeat_at = ? WHERE id = ? AND state = ?",
                executor, text(at), planId, PlanState.EXECUTING.name());
    }

    @Override
    public List<ExecutingPlan> executingPlans() {
        String what = "list executing plans";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, "SELECT " + PLAN_COLUMNS + ", executor, heartbeat_at FROM resync_plan "
                     + "WHERE state = ? ORDER BY created_at, id", PlanState.EXECUTING.name());
             ResultSet rs = ps.executeQuery()) {
            List<ExecutingPlan> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new ExecutingPlan(planOf(rs, what), rs.getString("executor"),
                        instant(rs.getString("heartbeat_at"))));
            }
            return out;
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    @Override
    public List<AuditEntry> planHistory(String planId) {
        String what = "read the audit trail of plan " + planId;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, "SELECT happened_at, cluster, plan_id, actor, action, detail "
                     + "FROM resync_audit WHERE plan_id = ? ORDER BY seq", planId);
             ResultSet rs = ps.executeQuery()) {
            List<AuditEntry> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new AuditEntry(instant(rs.getString("happened_at")), rs.getString("cluster"),
                        rs.getString("plan_id"), rs.getString("actor"), rs.getString("action"),
                        rs.getString("detail")));
            }
            return out;
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    @Override
    public List<ProposedPlan> pendingPlans() {
        return queryPlans("SELECT " + PLAN_COLUMNS + " FROM resync_plan WHERE state = ? ORDER BY created_at, id",
                "list pending plans", PlanState.PROPOSED.name());
    }

    private List<ProposedPlan> queryPlans(String sql, String what, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            List<ProposedPlan> out = new ArrayList<>();
            while (rs.next()) {
                out.add(planOf(rs, what));
            }
            return out;
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private ProposedPlan planOf(ResultSet rs, String what) throws SQLException {
        RecoveryPlan plan = read(rs.getString("plan_json"), RecoveryPlan.class, what);
        return new ProposedPlan(plan, rs.getString("requested_by"), instant(rs.getString("expires_at")),
                PlanState.valueOf(rs.getString("state")), rs.getString("decided_by"),
                instant(rs.getString("decided_at")), rs.getString("channel"), rs.getString("message_ts"));
    }

    // ---- incidents -----------------------------------------------------------------------

    @Override
    public Optional<Incident> openIncident(String cluster) {
        return oneIncident("read the open incident of cluster " + cluster, "open_cluster = ?", cluster);
    }

    @Override
    public Optional<Incident> incident(String incidentId) {
        return oneIncident("read incident " + incidentId, "id = ?", incidentId);
    }

    private Optional<Incident> oneIncident(String what, String where, String value) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, "SELECT " + INCIDENT_COLUMNS + " FROM resync_incident WHERE " + where, value);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Incident(rs.getString("id"), rs.getString("cluster"),
                    IncidentState.valueOf(rs.getString("state")), rs.getString("problem_key"),
                    rs.getString("headline"), instant(rs.getString("opened_at")),
                    instant(rs.getString("updated_at")), rs.getString("channel"), rs.getString("message_ts")));
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    @Override
    public boolean setAlertMessage(String incidentId, String channel, String messageTs) {
        return update("set the alert message of incident " + incidentId,
                "UPDATE resync_incident SET channel = ?, message_ts = ? WHERE id = ?"
                        + " AND (message_ts IS NULL OR message_ts = '')", channel, messageTs, incidentId) == 1;
    }

    @Override
    public boolean openIncidentIfNone(Incident i) {
        try {
            update("open incident " + i.id() + " on cluster " + i.cluster(),
                    "INSERT INTO resync_incident (open_cluster, state, problem_key, headline, updated_at, channel, "
                            + "message_ts, id, cluster, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    openCluster(i), i.state().name(), i.problemKey(), i.headline(), text(i.updatedAt()),
                    i.channel(), i.messageTs(), i.id(), i.cluster(), text(i.openedAt()));
            return true;
        } catch (StateStoreException e) {
            if (e.getCause() instanceof SQLException s && isDuplicateKey(s)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean updateIncident(Incident i, IncidentState expected) {
        try {
            return update("update incident " + i.id() + " from " + expected + " to " + i.state(),
                    // An empty channel or ts keeps the stored one: the alert may have been delivered
                    // (and recorded) after this incident was read.
                    "UPDATE resync_incident SET open_cluster = ?, state = ?, problem_key = ?, headline = ?, "
                            + "updated_at = ?, channel = COALESCE(NULLIF(?, ''), channel),"
                            + " message_ts = COALESCE(NULLIF(?, ''), message_ts)"
                            + " WHERE id = ? AND state = ?",
                    openCluster(i), i.state().name(), i.problemKey(), i.headline(), text(i.updatedAt()),
                    i.channel(), i.messageTs(), i.id(), expected.name()) == 1;
        } catch (StateStoreException e) {
            // Re-opening a closed incident while another one is open on the cluster.
            if (e.getCause() instanceof SQLException s && isDuplicateKey(s)) {
                return false;
            }
            throw e;
        }
    }

    /** The unique key that allows one open incident per cluster; NULL frees it. */
    private static String openCluster(Incident i) {
        return i.state().closed() ? null : i.cluster();
    }

    // ---- lag watches ---------------------------------------------------------------------

    @Override
    public void saveWatch(LagWatch w) {
        String samples = write(w.samples(), "lag samples of " + w.cluster());
        Object[] args = {w.channel(), w.messageTs(), w.threadTs(), text(w.startedAt()), samples,
                w.inSyncStreak(), w.alerted(), w.incidentId(), w.cluster()};
        String updateSql = "UPDATE resync_lag_watch SET channel = ?, message_ts = ?, thread_ts = ?, started_at = ?, "
                + "samples_json = ?, in_sync_streak = ?, alerted = ?, incident_id = ? WHERE cluster = ?";
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = prepare(c, updateSql, args)) {
                if (ps.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement ps = prepare(c, "INSERT INTO resync_lag_watch (channel, message_ts, thread_ts, "
                    + "started_at, samples_json, in_sync_streak, alerted, incident_id, cluster) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", args)) {
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!isDuplicateKey(e)) {
                    throw e;
                }
                // Another replica inserted the watch first: last writer wins, as for an update.
                try (PreparedStatement ps = prepare(c, updateSql, args)) {
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw failed("save the lag watch of cluster " + w.cluster(), e);
        }
    }

    @Override
    public boolean updateWatch(LagWatch w) {
        String samples = write(w.samples(), "lag samples of " + w.cluster());
        return update("save the lag watch of cluster " + w.cluster(), "UPDATE resync_lag_watch SET channel = ?, "
                + "message_ts = ?, thread_ts = ?, samples_json = ?, in_sync_streak = ?, alerted = ?, incident_id = ? "
                + "WHERE cluster = ? AND started_at = ?", w.channel(), w.messageTs(), w.threadTs(), samples,
                w.inSyncStreak(), w.alerted(), w.incidentId(), w.cluster(), text(w.startedAt())) == 1;
    }

    @Override
    public Optional<LagWatch> watch(String cluster) {
        return queryWatches("SELECT " + WATCH_COLUMNS + " FROM resync_lag_watch WHERE cluster = ?",
                "read the lag watch of cluster " + cluster, cluster).stream().findFirst();
    }

    @Override
    public List<LagWatch> watches() {
        return queryWatches("SELECT " + WATCH_COLUMNS + " FROM resync_lag_watch ORDER BY cluster",
                "list lag watches");
    }

    @Override
    public void deleteWatch(String cluster, Instant startedAt) {
        update("delete the lag watch of cluster " + cluster, "DELETE FROM resync_lag_watch WHERE cluster = ? "
                + "AND started_at = ?", cluster, text(startedAt));
        update("forget what the lag watch of cluster " + cluster + " said",
                "DELETE FROM resync_watch_memory WHERE cluster = ? AND watch_started_at = ?", cluster, text(startedAt));
    }

    private List<LagWatch> queryWatches(String sql, String what, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            List<LagWatch> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new LagWatch(rs.getString("cluster"), rs.getString("channel"), rs.getString("message_ts"),
                        rs.getString("thread_ts"), instant(rs.getString("started_at")),
                        read(rs.getString("samples_json"), SAMPLES, what), rs.getInt("in_sync_streak"),
                        rs.getBoolean("alerted"), rs.getString("incident_id")));
            }
            return out;
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    // ---- poll memory ---------------------------------------------------------------------

    @Override
    public Map<String, Instant> nodeStarts(String cluster) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, "SELECT node, started_at FROM resync_node_start WHERE cluster = ? "
                     + "ORDER BY node", cluster);
             ResultSet rs = ps.executeQuery()) {
            Map<String, Instant> out = new LinkedHashMap<>();
            while (rs.next()) {
                out.put(rs.getString("node"), instant(rs.getString("started_at")));
            }
            return out;
        } catch (SQLException e) {
            throw failed("read the node start times of cluster " + cluster, e);
        }
    }

    @Override
    public void rememberNodeStart(String cluster, String node, Instant startedAt) {
        String what = "remember the start time of " + cluster + "/" + node;
        // Fixed-width text sorts in time order, so "<" on the column is "earlier than".
        String forward = "UPDATE resync_node_start SET started_at = ? WHERE cluster = ? AND node = ? AND started_at < ?";
        if (update(what, forward, text(startedAt), cluster, node, text(startedAt)) == 1) {
            return;
        }
        try {
            update(what, "INSERT INTO resync_node_start (cluster, node, started_at) VALUES (?, ?, ?)",
                    cluster, node, text(startedAt));
        } catch (StateStoreException e) {
            // The row exists with the same or a later time, or another replica inserted it just now.
            if (!(e.getCause() instanceof SQLException s && isDuplicateKey(s))) {
                throw e;
            }
            update(what, forward, text(startedAt), cluster, node, text(startedAt));
        }
    }

    @Override
    public void retainNodeStarts(Collection<String> clusters) {
        String what = "forget the start times of clusters no longer configured";
        if (clusters.isEmpty()) {
            update(what, "DELETE FROM resync_node_start");
            return;
        }
        String marks = String.join(", ", Collections.nCopies(clusters.size(), "?"));
        update(what, "DELETE FROM resync_node_start WHERE cluster NOT IN (" + marks + ")", clusters.toArray());
    }

    @Override
    public Optional<String> pendingAlert(String cluster) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, "SELECT incident_id FROM resync_pending_alert WHERE cluster = ?",
                     cluster);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw failed("read the pending alert of cluster " + cluster, e);
        }
    }

    @Override
    public void setPendingAlert(String cluster, String incidentId, Instant claimedUntil) {
        String what = "remember the unposted alert of cluster " + cluster;
        String set = "UPDATE resync_pending_alert SET incident_id = ?, claimed_until = ? WHERE cluster = ?";
        if (update(what, set, incidentId, text(claimedUntil), cluster) == 1) {
            return;
        }
        try {
            update(what, "INSERT INTO resync_pending_alert (cluster, incident_id, claimed_until) VALUES (?, ?, ?)",
                    cluster, incidentId, text(claimedUntil));
        } catch (StateStoreException e) {
            if (!(e.getCause() instanceof SQLException s && isDuplicateKey(s))) {
                throw e;
            }
            update(what, set, incidentId, text(claimedUntil), cluster);
        }
    }

    @Override
    public boolean claimPendingAlert(String cluster, String incidentId, Instant now, Instant claimedUntil) {
        // Fixed-width text sorts in time order, so "<" on the column is "earlier than".
        return update("claim the unposted alert of cluster " + cluster,
                "UPDATE resync_pending_alert SET claimed_until = ? WHERE cluster = ? AND incident_id = ? "
                        + "AND (claimed_until IS NULL OR claimed_until < ?)",
                text(claimedUntil), cluster, incidentId, text(now)) == 1;
    }

    @Override
    public void clearPendingAlert(String cluster) {
        update("forget the pending alert of cluster " + cluster, "DELETE FROM resync_pending_alert WHERE cluster = ?",
                cluster);
    }

    @Override
    public WatchMemory watchMemory(String cluster, Instant watchStartedAt) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, "SELECT watch_started_at, shown, caught_up, not_falling, broken_checks "
                     + "FROM resync_watch_memory WHERE cluster = ?", cluster);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || !text(watchStartedAt).equals(rs.getString("watch_started_at"))) {
                return WatchMemory.fresh(watchStartedAt);
            }
            return new WatchMemory(watchStartedAt, rs.getString("shown"), nodes(rs.getString("caught_up")),
                    nodes(rs.getString("not_falling")), rs.getInt("broken_checks"));
        } catch (SQLException e) {
            throw failed("read what the lag watch of cluster " + cluster + " said", e);
        }
    }

    @Override
    public void saveWatchMemory(String cluster, WatchMemory m) {
        String what = "remember what the lag watch of cluster " + cluster + " said";
        Object[] values = {text(m.watchStartedAt()), m.shown(), String.join(",", m.caughtUp()),
                String.join(",", m.notFalling()), m.brokenChecks(), cluster};
        String updateSql = "UPDATE resync_watch_memory SET watch_started_at = ?, shown = ?, caught_up = ?, "
                + "not_falling = ?, broken_checks = ? WHERE cluster = ?";
        if (update(what, updateSql, values) == 1) {
            return;
        }
        try {
            update(what, "INSERT INTO resync_watch_memory (watch_started_at, shown, caught_up, not_falling, "
                    + "broken_checks, cluster) VALUES (?, ?, ?, ?, ?, ?)", values);
        } catch (StateStoreException e) {
            if (!(e.getCause() instanceof SQLException s && isDuplicateKey(s))) {
                throw e;
            }
            update(what, updateSql, values);
        }
    }

    /** Node names never contain commas (they are configuration keys). */
    private static Set<String> nodes(String joined) {
        return joined == null || joined.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(joined.split(",")));
    }

    // ---- audit trail ---------------------------------------------------------------------

    @Override
    public void audit(AuditEntry e) {
        try (Connection c = dataSource.getConnection()) {
            audit(c, e);
        } catch (SQLException ex) {
            throw failed("write audit entry '" + e.action() + "' by " + e.actor(), ex);
        }
    }

    /** The one writer of resync_audit; on the caller's connection, so an entry can share its transaction. */
    static void audit(Connection c, AuditEntry e) throws SQLException {
        try (PreparedStatement ps = prepare(c, "INSERT INTO resync_audit (happened_at, cluster, plan_id, actor, action,"
                + " detail) VALUES (?, ?, ?, ?, ?, ?)", text(e.at()), e.cluster(), e.planId(), e.actor(), e.action(),
                e.detail())) {
            ps.executeUpdate();
        }
    }

    @Override
    public List<AuditEntry> history(String cluster, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String sql = "SELECT happened_at, cluster, plan_id, actor, action, detail FROM resync_audit"
                + (cluster == null ? "" : " WHERE cluster = ?")
                + " ORDER BY happened_at DESC, seq DESC LIMIT ?";
        Object[] args = cluster == null ? new Object[]{limit} : new Object[]{cluster, limit};
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args);
             ResultSet rs = ps.executeQuery()) {
            List<AuditEntry> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new AuditEntry(instant(rs.getString("happened_at")), rs.getString("cluster"),
                        rs.getString("plan_id"), rs.getString("actor"), rs.getString("action"),
                        rs.getString("detail")));
            }
            return out;
        } catch (SQLException e) {
            throw failed("read the audit trail" + (cluster == null ? "" : " of cluster " + cluster), e);
        }
    }

    // ---- monitor shards ----------------------------------------------------------------

    @Override
    public void retainShards(int shards, Instant configuredAt) {
        update("forget the polls of shards no longer configured", "DELETE FROM resync_shard_poll WHERE shard >= ?",
                shards);
        for (int shard = 0; shard < shards; shard++) {
            try {
                update("record shard " + shard, "INSERT INTO resync_shard_poll (shard, instance, last_start, last_end, "
                        + "polls, late) VALUES (?, '', ?, NULL, 0, ?)", shard, text(configuredAt), false);
            } catch (StateStoreException e) {
                if (!(e.getCause() instanceof SQLException s && isDuplicateKey(s))) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void shardPollStarted(int shard, String instance, Instant at) {
        String what = "record the start of a poll of shard " + shard;
        String started = "UPDATE resync_shard_poll SET instance = ?, last_start = ?, last_end = NULL, polls = polls + 1 "
                + "WHERE shard = ?";
        if (update(what, started, instance, text(at), shard) == 1) {
            return;
        }
        try {
            update(what, "INSERT INTO resync_shard_poll (shard, instance, last_start, last_end, polls, late) "
                    + "VALUES (?, ?, ?, NULL, 1, ?)", shard, instance, text(at), false);
        } catch (StateStoreException e) {
            if (!(e.getCause() instanceof SQLException s && isDuplicateKey(s))) {
                throw e;
            }
            update(what, started, instance, text(at), shard);
        }
    }

    @Override
    public void shardPollEnded(int shard, Instant startedAt, Instant at) {
        update("record the end of a poll of shard " + shard,
                "UPDATE resync_shard_poll SET last_end = ? WHERE shard = ? AND last_start = ?",
                text(at), shard, text(startedAt));
    }

    @Override
    public List<ShardPoll> shardPolls() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = prepare(c, "SELECT shard, instance, last_start, last_end, polls, late "
                     + "FROM resync_shard_poll ORDER BY shard");
             ResultSet rs = ps.executeQuery()) {
            List<ShardPoll> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new ShardPoll(rs.getInt("shard"), rs.getString("instance"), instant(rs.getString("last_start")),
                        instant(rs.getString("last_end")), rs.getLong("polls"), rs.getBoolean("late")));
            }
            return out;
        } catch (SQLException e) {
            throw failed("read the monitor shards' polls", e);
        }
    }

    @Override
    public boolean markShardLate(int shard, boolean late) {
        return update("mark shard " + shard + (late ? " late" : " polled again"),
                "UPDATE resync_shard_poll SET late = ? WHERE shard = ? AND late = ?", late, shard, !late) == 1;
    }

    // ---- helpers -------------------------------------------------------------------------

    private int update(String what, String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a == null) {
                    ps.setNull(i + 1, Types.VARCHAR);
                } else if (a instanceof String s) {
                    ps.setString(i + 1, s);
                } else if (a instanceof Integer n) {
                    ps.setInt(i + 1, n);
                } else if (a instanceof Boolean b) {
                    ps.setBoolean(i + 1, b);
                } else {
                    throw new IllegalArgumentException("no binding for " + a.getClass().getName());
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /**
     * A unique or primary key refused the row. H2 reports the standard SQLSTATE 23505;
     * MySQL and MariaDB report the generic 23000 with error 1062 (ER_DUP_ENTRY) or
     * 1586 (ER_DUP_ENTRY_WITH_KEY_NAME), so the vendor codes are needed to tell a duplicate
     * from, say, a NOT NULL violation.
     */
    static boolean isDuplicateKey(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = s.getSQLState() == null ? "" : s.getSQLState();
            if (state.equals("23505") || (state.startsWith("23") && (s.getErrorCode() == 1062 || s.getErrorCode() == 1586))) {
                return true;
            }
        }
        return false;
    }

    /**
     * No connection at all, as opposed to a refused row: SQLSTATE class 08 (connection exception),
     * the pool timing out for a connection, or a socket error underneath.
     */
    static boolean unreachable(SQLException e) {
        if (e instanceof java.sql.SQLTransientConnectionException || e instanceof java.sql.SQLNonTransientConnectionException
                || e instanceof java.sql.SQLRecoverableException) {
            return true;
        }
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            return true;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.io.EOFException
                    || (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08"))) {
                return true;
            }
        }
        return false;
    }

    static String text(Instant at) {
        return at == null ? null : INSTANT_TEXT.format(at);
    }

    static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    private String write(Object value, String what) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StateStoreException("state database: cannot write " + what + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private <T> T read(String text, Class<T> type, String what) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StateStoreException("state database: cannot " + what + ": stored JSON does not read as "
                    + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    private <T> T read(String text, TypeReference<T> type, String what) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StateStoreException("state database: cannot " + what + ": stored JSON does not read: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static StateStoreException failed(String what, SQLException e) {
        if (unreachable(e)) {
            return new StateDatabaseUnreachableException("state database unreachable: could not " + what + ": "
                    + e.getMessage(), e);
        }
        return new StateStoreException("state database: could not " + what + ": " + e.getMessage()
                + " (SQLSTATE " + e.getSQLState() + ", error " + e.getErrorCode() + ")", e);
    }
}
