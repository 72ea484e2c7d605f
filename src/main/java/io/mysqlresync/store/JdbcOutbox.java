package io.mysqlresync.store;

import io.mysqlresync.incident.Outbox;
import io.mysqlresync.incident.OutboxMessage;
import io.mysqlresync.incident.OutboxMessage.Kind;
import io.mysqlresync.incident.OutboxMessage.State;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Slack outbox in the state database (V9__slack_outbox.sql). Claims are compare-and-set on
 * the state column; the unique post_key makes a second POST of one key impossible, even from two
 * replicas at once.
 */
public final class JdbcOutbox implements Outbox {

    private static final String COLUMNS = "id, kind, message_key, channel, thread_key, thread_ts, target_ts, body,"
            + " what, created_at, attempts, next_try_at, state, owner, claimed_at, ts";
    private static final String QUEUED = "state IN ('PENDING', 'SENDING')";

    private final DataSource dataSource;

    public JdbcOutbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public long add(OutboxMessage m) {
        if (!m.key().isEmpty() && m.kind() != Kind.REPLY) {
            // Newer content for a keyed message not yet taken: it replaces the old content in place.
            Optional<OutboxMessage> waiting = first("SELECT " + COLUMNS + " FROM resync_outbox WHERE message_key = ?"
                    + " AND state = 'PENDING' AND kind IN ('POST', 'UPDATE') ORDER BY id DESC", m.key());
            if (waiting.isPresent() && run("replace queued message " + m.what(), "UPDATE resync_outbox SET body = ?,"
                    + " what = ? WHERE id = ? AND state = 'PENDING'", m.body(), clip(m.what()), waiting.get().id()) == 1) {
                return waiting.get().id();
            }
        }
        if (m.kind() == Kind.POST && !m.key().isEmpty()) {
            Optional<OutboxMessage> posted = first("SELECT " + COLUMNS + " FROM resync_outbox WHERE post_key = ?", m.key());
            if (posted.isPresent()) {
                return posted.get().id();
            }
        }
        try {
            return insert(m);
        } catch (StateStoreException e) {
            if (e.getCause() instanceof SQLIntegrityConstraintViolationException || duplicate(e.getCause())) {
                // Another replica posted the same key a moment ago.
                return first("SELECT " + COLUMNS + " FROM resync_outbox WHERE post_key = ?", m.key())
                        .map(OutboxMessage::id).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private long insert(OutboxMessage m) {
        String sql = "INSERT INTO resync_outbox (state, kind, message_key, post_key, channel, thread_key, thread_ts,"
                + " target_ts, what, body, created_at, attempts, next_try_at, owner, ts)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, '', '')";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(ps, State.PENDING.name(), m.kind().name(), m.key(),
                    m.kind() == Kind.POST && !m.key().isEmpty() ? m.key() : null, m.channel(), m.threadKey(),
                    m.threadTs(), m.targetTs(), clip(m.what()), m.body(), JdbcResyncStore.text(m.createdAt()),
                    JdbcResyncStore.text(m.createdAt()));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no id returned for the new outbox message");
                }
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new StateStoreException("state database: cannot queue Slack message " + m.what() + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean duplicate(Throwable t) {
        // H2 and MariaDB both say 23000/23505 for a unique key; not every driver maps it to the subclass.
        return t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("23");
    }

    @Override
    public Optional<OutboxMessage> head() {
        return first("SELECT " + COLUMNS + " FROM resync_outbox WHERE " + QUEUED + " ORDER BY id");
    }

    @Override
    public Optional<OutboxMessage> find(long id) {
        return first("SELECT " + COLUMNS + " FROM resync_outbox WHERE id = ?", id);
    }

    @Override
    public boolean claim(long id, String owner, Instant now, Instant staleBefore) {
        return run("claim Slack message " + id, "UPDATE resync_outbox SET state = 'SENDING', owner = ?, claimed_at = ?"
                        + " WHERE id = ? AND (state = 'PENDING' OR (state = 'SENDING' AND claimed_at < ?))",
                owner, JdbcResyncStore.text(now), id, JdbcResyncStore.text(staleBefore)) == 1;
    }

    @Override
    public void delivered(long id, String ts, Instant at) {
        run("mark Slack message " + id + " delivered", "UPDATE resync_outbox SET state = 'DELIVERED', ts = ?,"
                + " done_at = ?, last_error = NULL WHERE id = ?", ts == null ? "" : ts, JdbcResyncStore.text(at), id);
    }

    @Override
    public void refused(long id, String error, Instant at) {
        run("mark Slack message " + id + " refused", "UPDATE resync_outbox SET state = 'FAILED', done_at = ?,"
                + " last_error = ? WHERE id = ?", JdbcResyncStore.text(at), clip(error), id);
    }

    @Override
    public void retryLater(long id, String error, Instant nextTry) {
        run("put Slack message " + id + " back in the queue", "UPDATE resync_outbox SET state = 'PENDING', owner = '',"
                        + " claimed_at = NULL, attempts = attempts + 1, next_try_at = ?, last_error = ? WHERE id = ?",
                JdbcResyncStore.text(nextTry), clip(error), id);
    }

    @Override
    public void retryNow(Instant now) {
        // Not a rate limit's wait: a socket that opens says nothing about chat.postMessage's limit.
        run("try the waiting Slack messages now", "UPDATE resync_outbox SET next_try_at = ? WHERE state = 'PENDING'"
                + " AND (last_error IS NULL OR (last_error NOT LIKE '%429%' AND last_error NOT LIKE '%rate%limited%'))",
                JdbcResyncStore.text(now));
    }

    @Override
    public Optional<String> postedTs(String key) {
        return first("SELECT " + COLUMNS + " FROM resync_outbox WHERE post_key = ? AND state = 'DELIVERED'", key)
                .map(OutboxMessage::ts).filter(ts -> !ts.isEmpty());
    }

    @Override
    public int depth() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM resync_outbox WHERE " + QUEUED);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new StateStoreException("state database: cannot count queued Slack messages: " + e.getMessage(), e);
        }
    }

    @Override
    public int prune(Instant before) {
        return run("forget delivered Slack messages", "DELETE FROM resync_outbox WHERE state IN ('DELIVERED', 'FAILED')"
                + " AND done_at < ?", JdbcResyncStore.text(before));
    }

    private Optional<OutboxMessage> first(String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setMaxRows(1);
            bind(ps, args);
            List<OutboxMessage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out.stream().findFirst();
        } catch (SQLException e) {
            throw new StateStoreException("state database: cannot read the Slack outbox: " + e.getMessage(), e);
        }
    }

    private static OutboxMessage read(ResultSet rs) throws SQLException {
        return new OutboxMessage(rs.getLong("id"), Kind.valueOf(rs.getString("kind")), rs.getString("message_key"),
                rs.getString("channel"), rs.getString("thread_key"), rs.getString("thread_ts"),
                rs.getString("target_ts"), rs.getString("body"), rs.getString("what"),
                JdbcResyncStore.instant(rs.getString("created_at")), rs.getInt("attempts"),
                JdbcResyncStore.instant(rs.getString("next_try_at")), State.valueOf(rs.getString("state")),
                rs.getString("owner"), JdbcResyncStore.instant(rs.getString("claimed_at")), rs.getString("ts"));
    }

    private int run(String what, String sql, Object... args) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StateStoreException("state database: cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Long n) {
                ps.setLong(i + 1, n);
            } else {
                ps.setString(i + 1, (String) args[i]);
            }
        }
    }

    private static String clip(String s) {
        return s == null || s.length() <= 250 ? s : s.substring(0, 250) + "…";
    }
}
