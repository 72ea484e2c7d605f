package io.mysqlresync.sandbox;

import io.mysqlresync.replication.ServerErrors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Two real servers, node1 and node2, replicating from each other (active-active), with the
 * faults of a real incident injected into the real processes and files.
 *
 * <p>Every fault method returns once the servers show the fault, so a caller can read status
 * right away. {@link #reset()} brings the pair back to healthy and empty without restarting
 * anything that still runs, so one pair serves a whole test class.
 */
public final class LocalPair implements AutoCloseable {

    public enum Node {
        NODE1, NODE2;

        /** "node1" / "node2": the names the seed incident uses. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public Node other() {
            return this == NODE1 ? NODE2 : NODE1;
        }
    }

    private static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(30);
    private static final int BINLOG_EVENT_HEADER = 19;
    /** The event opening each transaction: MariaDB's GTID_EVENT, MySQL's GTID_LOG_EVENT and ANONYMOUS_GTID_LOG_EVENT. */
    private static final Set<Integer> GTID_EVENT_TYPES = Set.of(162, 33, 34);

    private final Map<Node, LocalServer> servers = new EnumMap<>(Node.class);
    private final ReplicationSql sql;
    private final List<AutoCloseable> holds = new ArrayList<>();
    private final AtomicLong markerIds = new AtomicLong(1_000_000);
    private ReplicationMode mode;

    private LocalPair(LocalServer node1, LocalServer node2) {
        servers.put(Node.NODE1, node1);
        servers.put(Node.NODE2, node2);
        this.sql = ReplicationSql.of(node1.binary());
    }

    /** A healthy file/position pair. */
    public static LocalPair start() throws IOException, SQLException {
        return start(ReplicationMode.FILE_POS);
    }

    /** Starts node1 (server_id 1, odd ids) and node2 (server_id 2, even ids) and makes them replicate both ways. */
    public static LocalPair start(ReplicationMode mode) throws IOException, SQLException {
        return start(mode, List.of(), List.of());
    }

    /** Like {@link #start(ReplicationMode)}, with server options per node (see {@link LocalServer#start(String, int, int, int, List)}). */
    public static LocalPair start(ReplicationMode mode, List<String> node1Options, List<String> node2Options)
            throws IOException, SQLException {
        LocalServer node1 = LocalServer.start("node1", 1, 2, 1, node1Options);
        LocalServer node2;
        try {
            node2 = LocalServer.start("node2", 2, 2, 2, node2Options);
        } catch (IOException | RuntimeException e) {
            node1.close();
            throw e;
        }
        LocalPair pair = new LocalPair(node1, node2);
        try {
            pair.reset(mode);
            return pair;
        } catch (IOException | SQLException | RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    public LocalServer server(Node node) {
        return servers.get(node);
    }

    public LocalServer node1() {
        return server(Node.NODE1);
    }

    public LocalServer node2() {
        return server(Node.NODE2);
    }

    public ReplicationMode mode() {
        return mode;
    }

    /** Back to healthy in the current mode: see {@link #reset(ReplicationMode)}. */
    public void reset() throws IOException, SQLException {
        reset(mode);
    }

    /**
     * Back to a healthy, empty pair: releases held locks and write loads, starts a node that was
     * killed, restores the replication password, empties demo.items, throws away every binlog and
     * relay log (including corrupt ones) and sets up replication both ways from scratch.
     */
    public synchronized void reset(ReplicationMode newMode) throws IOException, SQLException {
        releaseHolds();
        for (LocalServer server : servers.values()) {
            server.start();
        }
        for (LocalServer server : servers.values()) {
            server.execute(sql.stopReplica(), sql.resetReplicaAll());
        }
        for (LocalServer server : servers.values()) {
            server.execute("SET sql_log_bin = 0",
                    "ALTER USER '" + Account.REPLICATION.user() + "'@'" + LocalServer.HOST + "' IDENTIFIED BY '"
                            + Account.REPLICATION.password() + "'",
                    "TRUNCATE TABLE demo.items");
            server.execute(sql.resetBinaryLogs());
        }
        for (Node node : Node.values()) {
            LocalServer source = server(node.other());
            Map<String, String> head = source.binlogHead();
            server(node).execute(
                    sql.changeSource(source, newMode, head.get("File"), Long.parseLong(head.get("Position"))),
                    sql.startReplica());
        }
        mode = newMode;
        awaitInSync();
    }

    /** This node's replica status row (see {@link LocalServer#replicaStatus()}); empty when it is not a replica. */
    public Optional<Map<String, String>> replicaStatus(Node node) throws SQLException {
        return server(node).replicaStatus();
    }

    /**
     * Polls {@code node}'s replica status until {@code condition} holds; returns that row.
     *
     * @throws IllegalStateException after 30 s, naming what was awaited and the last row seen
     */
    public Map<String, String> awaitReplica(Node node, String what, Predicate<Map<String, String>> condition)
            throws SQLException {
        long deadline = System.nanoTime() + AWAIT_TIMEOUT.toNanos();
        Map<String, String> last = Map.of();
        while (true) {
            last = replicaStatus(node).orElse(Map.of());
            if (condition.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(node.label() + ": timed out after " + AWAIT_TIMEOUT.toSeconds()
                        + " s waiting until " + what + "; last replica status: " + summary(last));
            }
            LocalServer.sleep(Duration.ofMillis(50));
        }
    }

    /** Waits until each node has read and executed everything the other node has written. */
    public void awaitInSync() throws SQLException {
        long deadline = System.nanoTime() + AWAIT_TIMEOUT.toNanos();
        while (true) {
            List<String> behind = new ArrayList<>();
            for (Node node : Node.values()) {
                Map<String, String> head = server(node.other()).binlogHead();
                Map<String, String> status = replicaStatus(node).orElse(Map.of());
                boolean caughtUp = "Yes".equals(status.get(sql.ioRunningColumn()))
                        && "Yes".equals(status.get(sql.sqlRunningColumn()))
                        && head.get("File").equals(status.get(sql.relaySourceLogFileColumn()))
                        && head.get("Position").equals(status.get(sql.readPositionColumn()))
                        && head.get("Position").equals(status.get(sql.execPositionColumn()));
                if (!caughtUp) {
                    behind.add(node.label() + " (source head " + head.get("File") + ":" + head.get("Position")
                            + "): " + summary(status));
                }
            }
            if (behind.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pair not in sync after " + AWAIT_TIMEOUT.toSeconds() + " s: " + behind);
            }
            LocalServer.sleep(Duration.ofMillis(50));
        }
    }

    public long rowCount(Node node) throws SQLException {
        return Long.parseLong(server(node).query("SELECT COUNT(*) AS n FROM demo.items").get(0).get("n"));
    }

    /** CHECKSUM TABLE demo.items: equal on both nodes when their data is the same. */
    public String checksum(Node node) throws SQLException {
        return server(node).query("CHECKSUM TABLE demo.items").get(0).get("Checksum");
    }

    // ---- writes ----------------------------------------------------------------------------

    /** {@code count} single-row autocommit INSERTs on {@code node}: one binlog transaction each. */
    public void writeRows(Node node, int count) throws SQLException {
        try (Connection c = server(node).connect();
             PreparedStatement insert = c.prepareStatement("INSERT INTO demo.items (origin, payload) VALUES (?, ?)")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, node.label());
                insert.setString(2, "row " + i);
                insert.executeUpdate();
            }
        }
    }

    /** Writers on each given node until the returned load is closed (reset and close also stop it). */
    public synchronized WriteLoad startWriteLoad(Node... nodes) {
        WriteLoad load = new WriteLoad(this, List.of(nodes));
        holds.add(load);
        return load;
    }

    // ---- faults ----------------------------------------------------------------------------

    /**
     * The same row written on both masters at once: with both SQL threads held, each node commits
     * its own statement before it sees the other's; then each applies the other's, and the values
     * cross over with no replication error anywhere.
     */
    public void writeOnBothAtOnce(String onNode1, String onNode2) throws SQLException {
        stopSqlThread(Node.NODE1);
        stopSqlThread(Node.NODE2);
        node1().execute(onNode1);
        node2().execute(onNode2);
        startSqlThread(Node.NODE1);
        startSqlThread(Node.NODE2);
    }

    /** STOP SLAVE SQL_THREAD: the IO thread keeps fetching, so the other node's writes pile up unexecuted. */
    public void stopSqlThread(Node node) throws SQLException {
        server(node).execute(sql.stopSqlThread());
    }

    public void startSqlThread(Node node) throws SQLException {
        server(node).execute(sql.startSqlThread());
    }

    /** An operator's STOP SLAVE: both threads stop, no error recorded. */
    public void stopReplicationByOperator(Node node) throws SQLException {
        server(node).execute(sql.stopReplica());
    }

    public void startReplication(Node node) throws SQLException {
        server(node).execute(sql.startReplica());
    }

    /**
     * The replica already has a row the source then inserts: the replica's SQL thread stops
     * with error 1062 (duplicate entry).
     */
    public Map<String, String> causeDuplicateKey(Node replica) throws SQLException {
        long id = markerIds.incrementAndGet();
        // sql_log_bin=0 keeps the stray row out of the replica's binlog, or it would travel back.
        server(replica).execute("SET sql_log_bin = 0",
                "INSERT INTO demo.items (id, origin, payload) VALUES (" + id + ", 'stray', 'written on the replica')");
        server(replica.other()).execute(
                "INSERT INTO demo.items (id, origin, payload) VALUES (" + id + ", 'source', 'collides')");
        return awaitSqlError(replica, ServerErrors.DUPLICATE_ENTRY);
    }

    /**
     * The replica lost a row the source then updates: the replica's SQL thread stops with error
     * 1032 (can't find record), as ROW-format replication looks rows up by their before image.
     */
    public Map<String, String> causeRowNotFound(Node replica) throws SQLException {
        long id = markerIds.incrementAndGet();
        Node source = replica.other();
        server(source).execute("INSERT INTO demo.items (id, origin, payload) VALUES (" + id + ", 'source', 'doomed')");
        awaitRowOn(replica, id);
        server(replica).execute("SET sql_log_bin = 0", "DELETE FROM demo.items WHERE id = " + id);
        server(source).execute("UPDATE demo.items SET payload = 'updated at the source' WHERE id = " + id);
        return awaitSqlError(replica, ServerErrors.ROW_NOT_FOUND);
    }

    /**
     * The source no longer accepts the replica's password: the replica's IO thread retries
     * (Slave_IO_Running: Connecting) with error 1045. The password change is not binlogged, so
     * only this direction breaks.
     */
    public Map<String, String> breakReplicationAuth(Node replica) throws SQLException {
        refuseReplicationLogin(replica);
        // A connected IO thread does not log in again by itself; restarting it is what a network
        // blip or a server restart would do.
        server(replica).execute(sql.stopIoThread(), sql.startIoThread());
        return awaitReplica(replica, "the IO thread fails with error 1045",
                s -> Integer.toString(ServerErrors.ACCESS_DENIED).equals(s.get("Last_IO_Errno")));
    }

    /**
     * The source of {@code replica} no longer accepts the replication password (not binlogged):
     * the replica's next login there fails with 1045; a connected IO thread is left as it is.
     */
    public void refuseReplicationLogin(Node replica) throws SQLException {
        server(replica.other()).execute("SET sql_log_bin = 0",
                "ALTER USER '" + Account.REPLICATION.user() + "'@'" + LocalServer.HOST
                        + "' IDENTIFIED BY 'not-the-replica-password'");
    }

    /** Gives the replication account its password back on the source of {@code replica}. */
    public void restoreReplicationAuth(Node replica) throws SQLException {
        server(replica.other()).execute("SET sql_log_bin = 0",
                "ALTER USER '" + Account.REPLICATION.user() + "'@'" + LocalServer.HOST + "' IDENTIFIED BY '"
                        + Account.REPLICATION.password() + "'");
    }

    /** kill -9 of that node's server process; the other node's IO thread goes to Connecting (error 2003). */
    public void killHard(Node node) {
        server(node).killHard();
    }

    /** Kills {@code replica}'s source and waits until the replica retries it: Slave_IO_Running Connecting, 2003. */
    public Map<String, String> makeSourceUnreachable(Node replica) throws SQLException {
        killHard(replica.other());
        return awaitReplica(replica, "the IO thread retries the dead source with error 2003",
                s -> Integer.toString(ServerErrors.CONNECT_HOST_ERROR).equals(s.get("Last_IO_Errno")));
    }

    /**
     * A replication-settings mistake: {@code replica} is pointed at {@code wrongPort} on its
     * source's host, where nothing listens; its IO thread retries with error 2003 while the
     * source itself stays healthy. {@link #reset()} points it back.
     */
    public Map<String, String> pointReplicaAtPort(Node replica, int wrongPort) throws SQLException {
        // Only the port changes: CHANGE MASTER keeps the other settings and the position.
        String change = sql.mariadb() ? "CHANGE MASTER TO MASTER_PORT=" + wrongPort
                : "CHANGE REPLICATION SOURCE TO SOURCE_PORT=" + wrongPort;
        server(replica).execute(sql.stopReplica(), change, sql.startReplica());
        return awaitReplica(replica, "the IO thread retries port " + wrongPort + " with error 2003",
                s -> Integer.toString(ServerErrors.CONNECT_HOST_ERROR).equals(s.get("Last_IO_Errno")));
    }

    /** Starts a stopped or killed node with its datadir as it is; its replica threads start by themselves. */
    public void startNode(Node node) throws IOException {
        server(node).start();
    }

    /**
     * Real lag with both threads running: a transaction on {@code replica} holds a row lock the
     * source's next change needs, so the SQL thread waits on it while newer events queue behind.
     * Returns once Seconds_Behind_Master reaches {@code atLeast}; closing the hold lets it catch up.
     */
    public synchronized AutoCloseable startLag(Node replica, Duration atLeast) throws SQLException {
        long id = markerIds.incrementAndGet();
        Node source = replica.other();
        server(source).execute("INSERT INTO demo.items (id, origin, payload) VALUES (" + id + ", 'source', 'lag anchor')");
        awaitRowOn(replica, id);
        Connection holder = server(replica).connect();
        AutoCloseable hold = () -> {
            try (holder) {
                holder.rollback();
            }
        };
        try {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT id FROM demo.items WHERE id = " + id + " FOR UPDATE").close();
            }
            holds.add(hold);
            server(source).execute("UPDATE demo.items SET payload = 'waits for the lock' WHERE id = " + id);
            writeRows(source, 20);
            String column = sql.secondsBehindColumn();
            awaitReplica(replica, column + " >= " + atLeast.toSeconds(), s -> s.get(column) != null
                    && Long.parseLong(s.get(column)) >= atLeast.toSeconds());
            return hold;
        } catch (SQLException | RuntimeException e) {
            holder.close();
            throw e;
        }
    }

    /**
     * The seed incident, on real servers and files ("How to get an active-active MySQL setup back
     * in sync after hard crash"): writes on both nodes; node1's SQL thread held so its relay log
     * holds unexecuted events from node2; node1 killed -9 under writes; then, as a power cut
     * would leave it, bytes corrupted inside the unexecuted part of node1's relay log and the tail
     * of node1's current binlog cut off below node2's Read_Master_Log_Pos; node1 restarted.
     *
     * <p>Returns once node1's SQL thread has stopped on the relay log (1594, Relay log read
     * failure) and node2's IO thread has been refused by node1 (1236, impossible position),
     * with node1 writing a new binlog file.
     */
    public synchronized SeedIncident reproduceSeedIncident() throws IOException, SQLException {
        if (mode != ReplicationMode.FILE_POS) {
            // Tried: with MASTER_USE_GTID=slave_pos MariaDB drops node1's relay logs on restart and
            // refetches by GTID, and node2 resumes by GTID, so the same crash shows no error at all.
            throw new IllegalStateException("The seed incident needs file/position replication (in GTID mode"
                    + " MariaDB refetches the relay log and shows no error): reset(ReplicationMode.FILE_POS) first");
        }
        long started = System.nanoTime();
        LocalServer node1 = node1();
        writeRows(Node.NODE1, 20);
        writeRows(Node.NODE2, 20);
        awaitInSync();

        stopSqlThread(Node.NODE1);
        writeRows(Node.NODE2, 60);
        long node2Head = Long.parseLong(node2().binlogHead().get("Position"));
        Map<String, String> held = awaitReplica(Node.NODE1, "node1's IO thread has fetched node2's writes",
                s -> s.get(sql.readPositionColumn()) != null && Long.parseLong(s.get(sql.readPositionColumn())) >= node2Head);
        String relayLog = held.get("Relay_Log_File");
        long relayExecuted = Long.parseLong(held.get("Relay_Log_Pos"));

        try (WriteLoad load = startWriteLoad(Node.NODE1, Node.NODE2)) {
            load.awaitRows(Node.NODE1, 200);
            node1.killHard();
        }
        // The kernel closes node1's sockets with the process, so node2 notices at once.
        Map<String, String> lost = awaitReplica(Node.NODE2, "node2's IO thread has lost node1",
                s -> !"Yes".equals(s.get(sql.ioRunningColumn())));
        String binlog = lost.get(sql.sourceLogFileColumn());
        long readPosition = Long.parseLong(lost.get(sql.readPositionColumn()));

        Path binlogPath = node1.dataDir().resolve(binlog);
        long sizeAtCrash;
        long truncatedTo;
        try (FileChannel file = FileChannel.open(binlogPath, StandardOpenOption.WRITE)) {
            sizeAtCrash = file.size();
            // Cut into the last kilobyte node2 has read: a torn write mid-event, below node2's position.
            long end = Math.min(sizeAtCrash, readPosition);
            truncatedTo = end - Math.min(1000, (end - 512) / 2);
            file.truncate(truncatedTo);
        }
        long corruptedAt = corruptMiddleTransaction(node1.dataDir().resolve(relayLog), relayExecuted);

        node1.start();
        Map<String, String> node1Status = awaitReplica(Node.NODE1, "node1's SQL thread stops on its relay log",
                s -> "No".equals(s.get(sql.sqlRunningColumn())) && !"0".equals(s.get("Last_SQL_Errno")));
        Map<String, String> node2Status = awaitReplica(Node.NODE2, "node1 refuses node2's IO thread",
                s -> "No".equals(s.get(sql.ioRunningColumn())) && !"0".equals(s.get("Last_IO_Errno")));
        return new SeedIncident(node1Status, node2Status, binlog, sizeAtCrash, truncatedTo, readPosition,
                relayLog, relayExecuted, corruptedAt, node1.binlogHead().get("File"),
                Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Overwrites 8 body bytes of the GTID event that opens the middle transaction after
     * {@code from}: the transactions before it still apply, that one fails its CRC32 checksum, and
     * the SQL thread stops with Relay_Log_Pos exactly at the damaged event.
     */
    private static long corruptMiddleTransaction(Path relayLog, long from) throws IOException {
        try (FileChannel file = FileChannel.open(relayLog, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            List<Long> transactionStarts = new ArrayList<>();
            ByteBuffer header = ByteBuffer.allocate(BINLOG_EVENT_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            long offset = from;
            while (offset + BINLOG_EVENT_HEADER <= file.size()) {
                header.clear();
                file.read(header, offset);
                int type = Byte.toUnsignedInt(header.get(4));
                long length = Integer.toUnsignedLong(header.getInt(9));
                if (length < BINLOG_EVENT_HEADER || offset + length > file.size()) {
                    break; // the IO thread's last, half-written event
                }
                if (GTID_EVENT_TYPES.contains(type)) {
                    transactionStarts.add(offset);
                }
                offset += length;
            }
            if (transactionStarts.size() < 2) {
                throw new IllegalStateException(relayLog + " holds no unexecuted transactions after position " + from);
            }
            long target = transactionStarts.get(transactionStarts.size() / 2);
            ByteBuffer body = ByteBuffer.allocate(8);
            file.read(body, target + BINLOG_EVENT_HEADER);
            for (int i = 0; i < 8; i++) {
                body.put(i, (byte) ~body.get(i));
            }
            body.rewind();
            file.write(body, target + BINLOG_EVENT_HEADER);
            return target;
        }
    }

    /** Stops write loads and lag holds, then kills both servers and deletes their directories. */
    @Override
    public synchronized void close() {
        releaseHolds();
        for (LocalServer server : servers.values()) {
            server.close();
        }
    }

    @Override
    public String toString() {
        return "LocalPair[" + node1() + ", " + node2() + ", " + mode + "]";
    }

    private void releaseHolds() {
        for (AutoCloseable hold : holds) {
            try {
                hold.close();
            } catch (Exception e) {
                // A hold on a node that was killed is already gone.
            }
        }
        holds.clear();
    }

    private Map<String, String> awaitSqlError(Node replica, int errno) throws SQLException {
        return awaitReplica(replica, "the SQL thread stops with error " + errno,
                s -> String.valueOf(errno).equals(s.get("Last_SQL_Errno"))
                        && "No".equals(s.get(sql.sqlRunningColumn())));
    }

    private void awaitRowOn(Node node, long id) throws SQLException {
        long deadline = System.nanoTime() + AWAIT_TIMEOUT.toNanos();
        while (server(node).query("SELECT id FROM demo.items WHERE id = " + id).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(node.label() + ": row " + id + " did not replicate within "
                        + AWAIT_TIMEOUT.toSeconds() + " s; replica status: " + summary(replicaStatus(node).orElse(Map.of())));
            }
            LocalServer.sleep(Duration.ofMillis(20));
        }
    }

    private String summary(Map<String, String> status) {
        if (status.isEmpty()) {
            return "(not a replica)";
        }
        StringBuilder out = new StringBuilder();
        for (String column : List.of(sql.ioRunningColumn(), sql.sqlRunningColumn(), sql.sourceLogFileColumn(),
                sql.readPositionColumn(), sql.relaySourceLogFileColumn(), sql.execPositionColumn(),
                sql.secondsBehindColumn(), "Last_IO_Errno", "Last_IO_Error", "Last_SQL_Errno", "Last_SQL_Error")) {
            out.append(column).append('=').append(status.get(column)).append(", ");
        }
        return out.substring(0, out.length() - 2);
    }
}
