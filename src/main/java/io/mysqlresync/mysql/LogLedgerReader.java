package io.mysqlresync.mysql;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.ledger.AtRiskTransaction;
import io.mysqlresync.ledger.CouldNotRead;
import io.mysqlresync.ledger.CouldNotRead.Reason;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.ledger.GtidGap;
import io.mysqlresync.ledger.LedgerReader;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.ledger.TruncatedBinlog;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.BinlogFile;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the loss ledger from the nodes' logs. For each direction (origin writes, holder
 * replicates): which of the origin's own GTIDs the holder has and the origin's binlog does not
 * (after a truncated binlog: the origin's binlog state where the cut file ends, from the
 * Gtid_list that opens its next file), then those transactions from the holder's logs:
 * <ol>
 *   <li>its own binlog over the replication protocol: commit time, rows and primary keys
 *       (needs REPLICATION SLAVE, and SELECT on the tables unless binlog_row_metadata=FULL);</li>
 *   <li>else SHOW BINLOG EVENTS on its binlog (log_slave_updates): tables and transaction counts;</li>
 *   <li>else SHOW RELAYLOG EVENTS on its relay logs: the same, for what it received.</li>
 * </ol>
 * What none of them holds is reported as unreadable, with the reason, and a full check follows.
 */
public final class LogLedgerReader implements LedgerReader {

    private static final Pattern GTID_LIST = Pattern.compile("\\[([0-9,\\- ]*)\\]");
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LogLedgerReader.class);
    private static final int MAX_FILES_BACK = 20;
    /** Events per SHOW ... EVENTS page. */
    static final int EVENTS_PAGE = 2000;
    // ER_SPECIFIC_ACCESS_DENIED_ERROR (1227) and ER_ACCESS_DENIED_ERROR (1045) / 1044 / 1142.
    private static final List<Integer> ACCESS_DENIED = List.of(1227, 1045, 1044, 1142, 1370);

    private final ClusterConfig cluster;
    private final Duration streamDeadline;
    private final java.util.Set<String> restartUnreadable = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public LogLedgerReader(ClusterConfig cluster, Duration streamDeadline) {
        this.cluster = cluster;
        this.streamDeadline = streamDeadline;
    }

    @Override
    public LossLedger read(ClusterStatus status, List<TruncatedBinlog> truncated) {
        List<DirectionLedger> directions = new ArrayList<>();
        for (Map.Entry<String, String> e : status.sourceOf().entrySet()) {
            String holder = e.getKey();
            String origin = e.getValue();
            Optional<TruncatedBinlog> cut = truncated.stream()
                    .filter(t -> t.holder().equals(holder) && t.origin().equals(origin)).findFirst();
            readDirection(status, origin, holder, cut).ifPresent(directions::add);
        }
        directions.sort(Comparator.comparing(DirectionLedger::origin));
        return LossLedger.of(directions);
    }

    /** A restart this recent may have lost what the holder still has; older ones were dealt with. */
    static final Duration RECENT_RESTART = Duration.ofDays(1);

    /** When a node started (its own clock) and the binlog it began then, with that file's opening GTID state. */
    record Restart(Instant at, String file, String gtidList) {
    }

    /**
     * The origin's binlog state when it last started: the Gtid_list opening the first binlog it
     * created since (found by its Format_description time, which needs REPLICATION SLAVE).
     */
    private Optional<Restart> restartOf(Connection oc, NodeStatus o, String origin) {
        try {
            long started = Long.parseLong(oneRow(oc, "SELECT CAST(UNIX_TIMESTAMP() AS SIGNED) "
                    + "- CAST(VARIABLE_VALUE AS SIGNED) AS s FROM information_schema.GLOBAL_STATUS "
                    + "WHERE VARIABLE_NAME = 'UPTIME'").get("s"));
            NodeConfig node = cluster.node(origin).orElseThrow();
            RowImageReader reader = new RowImageReader(node.host(), node.port(), cluster.user().reveal(),
                    cluster.password().reveal(), streamDeadline);
            List<BinlogFile> files = new ArrayList<>(o.binaryLogs());
            files.sort(Comparator.comparingLong(BinlogFile::sequence).reversed());
            Restart found = null;
            for (BinlogFile f : files.subList(0, Math.min(files.size(), 5))) {
                Optional<Instant> created = reader.fileCreatedAt(validFile(f.name()));
                // Whole seconds on both sides: a file made in the start's second counts as the restart's.
                if (created.isEmpty() || created.get().getEpochSecond() < started - 1) break;
                Optional<String> list = gtidListOf(oc, f.name());
                if (list.isEmpty()) break;
                found = new Restart(created.get(), f.name(), list.get());
            }
            return Optional.ofNullable(found);
        } catch (SQLException | RuntimeException e) {
            // The ledger then goes on without the restart's state; once per node is enough to say why.
            if (restartUnreadable.add(origin)) {
                log.warn("loss ledger: could not read when {} last restarted (its binlog state then): {}", origin,
                        e.toString());
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * A recently restarted origin that does not flush InnoDB's log at each commit may have lost
     * commits its binlog kept (kill -9 or a power cut loses the last second of the log buffer):
     * the other node has them, and no log says which. The ledger says so, and a full check follows.
     */
    private static Optional<DirectionLedger> forgotten(Connection oc, NodeStatus o, String origin, String holder,
                                                       String cause, List<String> evidence,
                                                       Optional<DirectionLedger> read) throws SQLException {
        if (o.uptimeSeconds() >= RECENT_RESTART.toSeconds()) return read;
        String flush = oneRow(oc, "SELECT @@innodb_flush_log_at_trx_commit AS f").get("f");
        if ("1".equals(flush)) return read;
        CouldNotRead unlisted = new CouldNotRead(Reason.UNSUPPORTED, "commits InnoDB forgot but the binlog kept", origin,
                origin + " restarted " + human(o.uptimeSeconds()) + " ago with innodb_flush_log_at_trx_commit=" + flush
                        + ", so a crash may have lost its last commits from its tables while its binlog, and "
                        + holder + ", kept them; no log lists those", "");
        if (read.isPresent()) {
            DirectionLedger d = read.get();
            List<CouldNotRead> problems = new ArrayList<>(d.problems());
            problems.add(unlisted);
            return Optional.of(new DirectionLedger(d.origin(), d.holder(), d.cause(), d.range(), d.expected(),
                    d.transactions(), problems, d.evidence()));
        }
        return Optional.of(new DirectionLedger(origin, holder, origin + " restarted with innodb_flush_log_at_trx_commit="
                + flush, "its last commits before the restart", -1, List.of(), List.of(unlisted), evidence));
    }

    private static String human(long seconds) {
        return seconds < 120 ? seconds + " s" : seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
    }

    private Optional<DirectionLedger> readDirection(ClusterStatus status, String origin, String holder,
                                                    Optional<TruncatedBinlog> cut) {
        NodeStatus o = status.node(origin).orElse(null);
        NodeStatus h = status.node(holder).orElse(null);
        String cause0 = cut.map(t -> "cut from " + origin + "'s binlog " + t.received().file() + " by the crash")
                .orElse("missing from " + origin + "'s binlog after its crash");
        String cause = cause0;
        List<String> evidence = new ArrayList<>();
        cut.ifPresent(t -> evidence.add(origin + "'s " + t.received().file() + " ends at " + t.fileEnds() + "; "
                + holder + " had read to " + t.received().position() + " (" + t.bytesCut() + " bytes)"));
        if (o == null || h == null || !o.reachable() || !h.reachable()) {
            if (cut.isEmpty()) return Optional.empty(); // nothing known to be at risk, nothing to say
            String down = o == null || !o.reachable() ? origin : holder;
            return Optional.of(new DirectionLedger(origin, holder, cause, "what " + holder + " received past the cut",
                    -1, List.of(), List.of(new CouldNotRead(Reason.NODE_UNREACHABLE, "the transactions", down,
                    down + " cannot be read right now", "")), evidence));
        }
        try (Connection hc = open(holder); Connection oc = open(origin)) {
            // The holder first: read after the origin, it might already hold the origin's newest
            // writes and show a gap that is only replication delay.
            GtidGap gap;
            String startAfter;
            boolean binlogHoldsSome = true;
            Instant before = null;
            if (h.version().flavor() == Flavor.MARIADB) {
                Map<String, String> hv = oneRow(hc, "SELECT @@gtid_binlog_pos AS binlog, @@gtid_slave_pos AS slave");
                long domain = Long.parseLong(oneRow(oc, "SELECT @@gtid_domain_id AS d").get("d"));
                String kept = cut.flatMap(t -> keptAtCut(oc, o, t)).orElse(null);
                Optional<Restart> restart = kept == null && o.uptimeSeconds() < RECENT_RESTART.toSeconds()
                        ? restartOf(oc, o, origin) : Optional.empty();
                if (kept != null) {
                    evidence.add(origin + "'s binlog after the cut starts with Gtid_list [" + kept + "]");
                } else if (restart.isPresent()) {
                    // Since its restart the origin may have reused the sequence numbers it lost, and
                    // the holder may have resumed with no error: its state at the restart is what it kept.
                    kept = restart.get().gtidList();
                    cause = "missing from " + origin + "'s binlog after its restart";
                    evidence.add(origin + " restarted " + restart.get().at() + "; its binlog "
                            + restart.get().file() + " starts with Gtid_list [" + kept + "]");
                } else {
                    kept = oneRow(oc, "SELECT @@gtid_binlog_pos AS p").get("p");
                    evidence.add(origin + " @@gtid_binlog_pos " + kept);
                }
                // After a cut the holder stopped on 1236 and holds only the origin's old transactions;
                // otherwise it may have gone on with new ones that reuse the lost ones' numbers.
                before = kept != null && cut.isEmpty() ? restart.map(Restart::at).orElse(null) : null;
                String held = laterOf(hv.get("binlog"), hv.get("slave"), domain, o.serverId());
                evidence.add(holder + " @@gtid_binlog_pos " + hv.get("binlog") + ", @@gtid_slave_pos " + hv.get("slave"));
                gap = GtidGap.mariadb(domain, o.serverId(), kept, held);
                if (gap.isEmpty()) return forgotten(oc, o, origin, holder, cause, evidence, Optional.empty());
                startAfter = replaceDomain(hv.get("binlog"), domain, gap.gtid(gap.first() - 1), gap.first() - 1);
                binlogHoldsSome = GtidGap.mariadbSeq(hv.get("binlog"), domain, o.serverId()).orElse(0L) >= gap.first();
            } else {
                String held = oneRow(hc, "SELECT @@gtid_executed AS g").get("g");
                Map<String, String> ov = oneRow(oc, "SELECT @@server_uuid AS u, @@gtid_executed AS g");
                evidence.add(holder + " @@gtid_executed " + clean(held) + "; " + origin + " @@gtid_executed " + clean(ov.get("g")));
                gap = GtidGap.mysql(ov.get("u"), ov.get("g"), held);
                if (gap.isEmpty()) return forgotten(oc, o, origin, holder, cause, evidence, Optional.empty());
                startAfter = mysqlSetWithout(held, gap);
            }
            return forgotten(oc, o, origin, holder, cause, evidence, Optional.of(readTransactions(hc, h, origin, holder,
                    cause, gap, startAfter, binlogHoldsSome, before, evidence))
                    .filter(d -> !d.transactions().isEmpty() || !d.problems().isEmpty()));
        } catch (SQLException ex) {
            if (cut.isEmpty() && !ACCESS_DENIED.contains(ex.getErrorCode())) {
                return Optional.of(new DirectionLedger(origin, holder, cause, "unknown", -1, List.of(),
                        List.of(new CouldNotRead(Reason.READ_FAILED, "the GTID positions", holder + " and " + origin,
                                JdbcClusterReader.describe(ex), "")), evidence));
            }
            return Optional.of(new DirectionLedger(origin, holder, cause, "unknown", -1, List.of(),
                    List.of(sqlProblem("the GTID positions", holder + " and " + origin, ex, null, "")), evidence));
        }
    }

    private DirectionLedger readTransactions(Connection hc, NodeStatus h, String origin, String holder, String cause,
                                             GtidGap gap, String startAfter, boolean binlogHoldsSome,
                                             Instant before, List<String> evidence) {
        List<CouldNotRead> problems = new ArrayList<>();
        String user = currentUser(hc);
        if (!binlogHoldsSome) {
            // The holder applied them (its GTID position says so) but its binlog ends before them:
            // only its relay logs may still have them.
            LedgerTransactions relay = new LedgerTransactions(gap);
            CouldNotRead relayProblem = showRelaylogEvents(hc, h, holder, user, relay);
            List<CouldNotRead> all = new ArrayList<>();
            all.add(notInBinlog(holder, gap, relay));
            if (relayProblem != null) all.add(relayProblem);
            return new DirectionLedger(origin, holder, cause, gap.describe(), gap.count(), relay.transactions(), all, evidence);
        }
        // 1. Row images over the replication protocol.
        LedgerTransactions rows = new LedgerTransactions(gap, before);
        NodeConfig node = cluster.node(holder).orElseThrow();
        RowImageReader images = new RowImageReader(node.host(), node.port(), cluster.user().reveal(),
                cluster.password().reveal(), streamDeadline);
        List<CouldNotRead> keyProblems = new ArrayList<>();
        IOException streamFailure;
        try {
            streamFailure = images.read(startAfter, h.ownBinlogHead(), rows, (table, map) -> primaryKey(hc, holder, user, table, map, keyProblems));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            streamFailure = new IOException("interrupted");
        }
        if (streamFailure == null) {
            problems.addAll(keyProblems);
            if (rows.sawStatements()) problems.add(notRowFormat(holder));
            rows.commit();
            if (!rows.complete()) problems.add(notInBinlog(holder, gap, rows));
            if (rows.passedBefore()) {
                // The holder went on with the origin's new transactions, which reuse the lost ones'
                // numbers: which of the range are the old, lost ones shows only in the read.
                List<AtRiskTransaction> read = rows.transactions();
                String range = read.isEmpty() ? gap.describe() : read.size() == 1 ? "GTID " + read.get(0).id()
                        : "GTIDs " + read.get(0).id() + " to " + read.get(read.size() - 1).id();
                return new DirectionLedger(origin, holder, cause, range, read.size(), read, problems, evidence);
            }
            return new DirectionLedger(origin, holder, cause, gap.describe(), gap.count(), rows.transactions(),
                    problems, evidence);
        }
        int code = RowImageReader.errorCode(streamFailure);
        if (ACCESS_DENIED.contains(code) || message(streamFailure).contains("REPLICATION SLAVE")) {
            problems.add(new CouldNotRead(Reason.MISSING_PRIVILEGE, "the rows and primary keys", holder,
                    "reading the row images needs the REPLICATION SLAVE privilege", "GRANT REPLICATION SLAVE ON *.* TO " + user));
        } else {
            problems.add(new CouldNotRead(Reason.READ_FAILED, "the rows and primary keys", holder,
                    "the binlog stream failed: " + oneLine(message(streamFailure)), ""));
        }
        // 2. and 3. Tables and counts from SHOW ... EVENTS: the holder's binlog, then its relay logs.
        LedgerTransactions counts = new LedgerTransactions(gap);
        CouldNotRead binlogProblem = showBinlogEvents(hc, h, holder, user, counts);
        CouldNotRead relayProblem = counts.complete() ? null : showRelaylogEvents(hc, h, holder, user, counts);
        if (before != null && !counts.transactions().isEmpty()) {
            // SHOW ... EVENTS has no commit times: it cannot tell the origin's lost transactions
            // from the new ones that reuse their numbers, and would name shared rows as lost.
            return new DirectionLedger(origin, holder, cause, gap.describe(), -1, List.of(), problems, evidence);
        }
        if (counts.complete() || !counts.transactions().isEmpty()) {
            if (counts.sawStatements()) problems.add(notRowFormat(holder));
            if (!counts.complete()) {
                problems.add(binlogProblem != null ? binlogProblem : relayProblem);
            }
            return new DirectionLedger(origin, holder, cause, gap.describe(), gap.count(), counts.transactions(),
                    problems.stream().filter(p -> p != null).toList(), evidence);
        }
        List<CouldNotRead> all = new ArrayList<>();
        // The privilege to read the row images matters less than why nothing could be read at all.
        if (binlogProblem != null) all.add(binlogProblem);
        if (relayProblem != null && !relayProblem.equals(binlogProblem)) all.add(relayProblem);
        all.addAll(problems);
        return new DirectionLedger(origin, holder, cause, gap.describe(), gap.count(), List.of(), all, evidence);
    }

    /** SHOW BINLOG EVENTS on the holder's binlogs, newest first, until the gap's first transaction. */
    private CouldNotRead showBinlogEvents(Connection hc, NodeStatus h, String holder, String user, LedgerTransactions into) {
        List<BinlogFile> files = new ArrayList<>(h.binaryLogs());
        if (files.isEmpty()) {
            return new CouldNotRead(Reason.LOGS_PURGED, "the transactions", holder, holder + " has no binlog", "");
        }
        files.sort(Comparator.comparingLong(BinlogFile::sequence).reversed());
        int read = 0;
        for (BinlogFile f : files) {
            if (read++ >= MAX_FILES_BACK || into.complete()) break;
            try {
                showEvents(hc, "SHOW BINLOG EVENTS IN '" + validFile(f.name()) + "'", "", into);
            } catch (SQLException e) {
                // 1220 on a file torn by a crash: its events up to the tear were read; go on with older files.
                if (e.getErrorCode() != 1220) return sqlProblem("the transactions", holder, e, "BINLOG MONITOR", user);
            }
        }
        if (into.complete()) return null;
        return new CouldNotRead(Reason.LOGS_PURGED, "the transactions", holder,
                holder + "'s binlogs no longer hold them (purged, or log_slave_updates is off)", "");
    }

    /** SHOW RELAYLOG EVENTS on the holder's relay logs, from the current one back, while they exist. */
    private CouldNotRead showRelaylogEvents(Connection hc, NodeStatus h, String holder, String user, LedgerTransactions into) {
        Optional<ReplicaChannel> ch = h.replica();
        if (ch.isEmpty() || ch.get().relayLog() == null) {
            return new CouldNotRead(Reason.LOGS_PURGED, "the transactions", holder, holder + " reports no relay log", "");
        }
        String current = ch.get().relayLog().file();
        String base = BinlogCoordinates.baseNameOf(current);
        long seq = BinlogCoordinates.sequenceOf(current);
        int digits = current.length() - current.lastIndexOf('.') - 1;
        boolean mariadb = h.version().flavor() == Flavor.MARIADB;
        String connection = ch.get().channelName();
        for (long s = seq; s >= Math.max(1, seq - MAX_FILES_BACK) && !into.complete(); s--) {
            String file = validFile(base + "." + String.format("%0" + digits + "d", s));
            String show = mariadb
                    ? "SHOW RELAYLOG " + (connection.isEmpty() ? "" : "'" + validConnection(connection) + "' ")
                    + "EVENTS IN '" + file + "'"
                    : "SHOW RELAYLOG EVENTS IN '" + file + "'";
            String channel = mariadb || connection.isEmpty() ? "" : " FOR CHANNEL '" + validConnection(connection) + "'";
            try {
                showEvents(hc, show, channel, into);
            } catch (SQLException e) {
                if (e.getErrorCode() == 1220) break; // "Could not find target log": the older ones are purged
                return sqlProblem("the transactions", holder, e, mariadb ? "SLAVE MONITOR" : "REPLICATION CLIENT", user);
            }
        }
        if (into.complete()) return null;
        return new CouldNotRead(Reason.LOGS_PURGED, "the transactions", holder,
                holder + "'s relay logs no longer hold them (purged after they were applied)", "");
    }

    /**
     * SHOW ... EVENTS of one file a page at a time ({@code show} up to the file name, {@code channel}
     * the clause after LIMIT), stopping once every transaction of the gap is read: a file is up to
     * max_binlog_size, and this runs while a person waits for a plan.
     */
    private void showEvents(Connection c, String show, String channel, LedgerTransactions into) throws SQLException {
        showEvents(c, show, channel, into, EVENTS_PAGE, streamDeadline);
    }

    static void showEvents(Connection c, String show, String channel, LedgerTransactions into, int page,
                           Duration timeout) throws SQLException {
        long lastPos = -1;
        try {
            while (!into.complete()) {
                // FROM the last event read, skipping it: Pos is the event's offset in this very file.
                String sql = show + (lastPos < 0 ? " LIMIT " + page : " FROM " + lastPos + " LIMIT 1, " + page) + channel;
                int rows = 0;
                try (Statement st = c.createStatement()) {
                    st.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
                    try (ResultSet rs = st.executeQuery(sql)) {
                        while (rs.next()) {
                            rows++;
                            lastPos = rs.getLong("Pos");
                            into.showEventsRow(rs.getString("Event_type"), rs.getString("Info"));
                        }
                    }
                }
                if (rows < page) break;
            }
        } catch (SQLException e) {
            into.abandon();
            throw e;
        }
        into.commit();
    }

    /** The origin's binlog state where the cut file ends: the Gtid_list event opening its next file. */
    private Optional<String> keptAtCut(Connection oc, NodeStatus origin, TruncatedBinlog cut) {
        Optional<BinlogFile> next = origin.binaryLogAfter(cut.received().file());
        return next.flatMap(f -> gtidListOf(oc, f.name()));
    }

    /** The Gtid_list event that opens a MariaDB binlog file: the GTID state where the file begins. */
    private static Optional<String> gtidListOf(Connection oc, String file) {
        try (Statement st = oc.createStatement();
             ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + validFile(file) + "' LIMIT 6")) {
            while (rs.next()) {
                if ("Gtid_list".equals(rs.getString("Event_type"))) {
                    Matcher m = GTID_LIST.matcher(rs.getString("Info"));
                    if (m.find()) return Optional.of(m.group(1).replace(" ", ""));
                }
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * A table's primary key: from the table map when binlog_row_metadata=FULL, else from
     * information_schema (which shows only tables the user may read).
     */
    static RowImageReader.PrimaryKey primaryKey(Connection hc, String holder, String user, String table,
                                                TableMapEventData map, List<CouldNotRead> problems) {
        // information_schema first: it also gives each key column's type, which the key's text depends on.
        String sql = "SELECT k.COLUMN_NAME, c.ORDINAL_POSITION, c.COLUMN_TYPE FROM information_schema.KEY_COLUMN_USAGE k "
                + "JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = k.TABLE_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME "
                + "AND c.COLUMN_NAME = k.COLUMN_NAME WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ? "
                + "AND k.CONSTRAINT_NAME = 'PRIMARY' ORDER BY k.ORDINAL_POSITION";
        List<String> names = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        List<String> types = new ArrayList<>();
        try (PreparedStatement ps = hc.prepareStatement(sql)) {
            ps.setString(1, map.getDatabase());
            ps.setString(2, map.getTable());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                    positions.add(rs.getInt(2) - 1);
                    types.add(rs.getString(3));
                }
            }
            if (names.isEmpty()) {
                var meta = map.getEventMetadata();
                if (meta != null && meta.getSimplePrimaryKeys() != null && !meta.getSimplePrimaryKeys().isEmpty()
                        && meta.getColumnNames() != null) {
                    // binlog_row_metadata=FULL names the key without SELECT; its types stay unknown.
                    List<Integer> fromMap = meta.getSimplePrimaryKeys();
                    return new RowImageReader.PrimaryKey(fromMap.stream().map(meta.getColumnNames()::get).toList(),
                            fromMap, List.of());
                }
                boolean visible;
                try (PreparedStatement t = hc.prepareStatement(
                        "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
                    t.setString(1, map.getDatabase());
                    t.setString(2, map.getTable());
                    try (ResultSet rs = t.executeQuery()) {
                        visible = rs.next();
                    }
                }
                problems.add(visible
                        ? new CouldNotRead(Reason.UNSUPPORTED, "the keys of " + table, holder,
                        table + " has no primary key: the check compares it whole", "")
                        : new CouldNotRead(Reason.MISSING_PRIVILEGE, "the keys of " + table, holder,
                        "finding " + table + "'s primary key needs SELECT on it (or binlog_row_metadata=FULL)",
                        "GRANT SELECT ON `" + map.getDatabase().replace("`", "``") + "`.* TO " + user));
            }
        } catch (SQLException e) {
            problems.add(new CouldNotRead(Reason.READ_FAILED, "the keys of " + table, holder, JdbcClusterReader.describe(e), ""));
        }
        return new RowImageReader.PrimaryKey(names, positions, types);
    }

    /** The holder applied them (its GTID position says so) but its own binlog lacks them: its crash cut it too. */
    private static CouldNotRead notInBinlog(String holder, GtidGap gap, LedgerTransactions read) {
        long missing = gap.count() - read.transactions().size();
        return new CouldNotRead(Reason.LOGS_PURGED, missing + " of the " + gap.count() + " transactions", holder,
                holder + "'s GTID position includes them but its binlog does not (its own crash cut it, or it was purged)", "");
    }

    private static CouldNotRead notRowFormat(String holder) {
        return new CouldNotRead(Reason.NOT_ROW_FORMAT, "the primary keys", holder,
                "some transactions were logged as statements (binlog_format is not ROW): no row images, so no keys", "");
    }

    private static CouldNotRead sqlProblem(String what, String node, SQLException e, String privilege, String user) {
        if (ACCESS_DENIED.contains(e.getErrorCode()) && privilege != null) {
            return new CouldNotRead(Reason.MISSING_PRIVILEGE, what, node, "the bot's user lacks " + privilege
                    + " (" + oneLine(e.getMessage()) + ")", "GRANT " + privilege + " ON *.* TO " + user);
        }
        return new CouldNotRead(ACCESS_DENIED.contains(e.getErrorCode()) ? Reason.MISSING_PRIVILEGE : Reason.READ_FAILED,
                what, node, JdbcClusterReader.describe(e), "");
    }

    /** The later of two MariaDB positions for the origin's domain, as one position string. */
    static String laterOf(String a, String b, long domain, long serverId) {
        long sa = GtidGap.mariadbSeq(a, domain, serverId).orElse(0L);
        long sb = GtidGap.mariadbSeq(b, domain, serverId).orElse(0L);
        return sa >= sb ? a : b;
    }

    /** {@code position} with the domain's GTID replaced (or dropped when seq is 0: from the start). */
    static String replaceDomain(String position, long domain, String gtid, long seq) {
        List<String> out = new ArrayList<>();
        for (String g : position == null ? new String[0] : position.split(",")) {
            String t = g.trim();
            if (t.isEmpty() || t.startsWith(domain + "-")) continue;
            out.add(t);
        }
        if (seq > 0) out.add(gtid);
        return String.join(",", out);
    }

    /** The holder's GTID set minus the gap: the server then sends exactly the gap (and anything newer). */
    static String mysqlSetWithout(String executed, GtidGap gap) {
        StringBuilder sb = new StringBuilder();
        for (String part : clean(executed).split(",")) {
            if (part.isBlank()) continue;
            String[] pieces = part.trim().split(":");
            if (!pieces[0].equalsIgnoreCase(gap.origin())) {
                sb.append(sb.length() == 0 ? "" : ",").append(part.trim());
                continue;
            }
            if (gap.first() > 1) {
                sb.append(sb.length() == 0 ? "" : ",").append(pieces[0]).append(":1-").append(gap.first() - 1);
            }
        }
        return sb.toString();
    }

    private Connection open(String node) throws SQLException {
        return NodeConnections.open(cluster, cluster.node(node).orElseThrow(
                () -> new IllegalArgumentException("cluster '" + cluster.name() + "' has no node '" + node + "'")));
    }

    private static Map<String, String> oneRow(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return JdbcClusterReader.row(rs);
        }
    }

    /** 'user'@'host' as the server knows the bot, for a GRANT the DBA can paste. */
    private static String currentUser(Connection c) {
        try {
            return SqlAccount.quoted(oneRow(c, "SELECT CURRENT_USER() AS u").get("u"));
        } catch (SQLException e) {
            return "<bot user>";
        }
    }

    /** Only names the server itself would write; a name is spliced into SHOW ... IN '...'. */
    static String validFile(String name) {
        if (!BinlogCoordinates.isValidFileName(name)) {
            throw new IllegalArgumentException("not a binlog or relay log name: " + name);
        }
        return name;
    }

    private static String validConnection(String name) {
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("not a replication connection name: " + name);
        }
        return name;
    }

    private static String clean(String gtidSet) {
        return gtidSet == null ? "" : gtidSet.replace("\n", "").replace(" ", "");
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String oneLine(String s) {
        String line = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
