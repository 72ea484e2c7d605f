package io.mysqlresync.sandbox;

import io.mysqlresync.sandbox.LocalPair.Node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A crash that loses data for real: the crashed node's InnoDB forgets commits whose binlog
 * events already reached the other node.
 *
 * <p>The crashed node runs with innodb_flush_log_at_trx_commit=0 (the redo log reaches the OS
 * about once a second, so kill -9 loses the last second of commits from InnoDB) and sync_binlog=0
 * under a write load; it is killed -9; then the tail of its binlog is cut, as a power cut loses
 * the page cache the binlog sat in. The cut starts {@link #CUT_SECONDS} seconds of commits before
 * the last one, so every commit InnoDB forgot is in the cut part, and it stays below the other
 * node's read position, so that node's IO thread fails with 1236 as in the seed incident.
 *
 * <p>{@link #rewind} is the same end made exact, for when where the cut lands must not matter.
 */
public final class CrashWithLoss {

    /** More than InnoDB's once-a-second log flush leaves unwritten, even on a starved machine. */
    public static final int CUT_SECONDS = 4;
    private static final int HEADER = 19;
    private static final Set<Integer> GTID_EVENT_TYPES = Set.of(162, 33, 34);

    /**
     * What one crashed node's binlog looked like and what it lost.
     *
     * @param binlog      its binlog file the other node was reading when it died
     * @param sizeAtCrash that file's size right after kill -9
     * @param cutTo       its size after the cut
     * @param otherReadTo the other node's read position in it, or -1 when the other node crashed too
     * @param lostKeys    ids written on it that the other node has and it lacks after the restart
     * @param rowsWritten rows the load committed on it (as acknowledged to the client)
     * @param prepared    its error log says transactions were in prepared state after recovery
     */
    public record NodeLoss(Node node, String binlog, long sizeAtCrash, long cutTo, long otherReadTo,
                           Set<Long> lostKeys, long rowsWritten, boolean prepared) {
    }

    /** Every crashed node's loss, and the replica status of each node once both settled after the restart. */
    public record Result(Map<Node, NodeLoss> losses, Map<Node, Map<String, String>> replicaAfter, Duration took) {
        public NodeLoss of(Node node) {
            return losses.get(node);
        }
    }

    private CrashWithLoss() {
    }

    /**
     * What the loss ledger needs beyond the bot's status grants, on every node (not binlogged):
     * REPLICATION SLAVE to stream a node's binlog with its row images, and SELECT on the demo
     * schema to find its tables' primary keys.
     */
    public static final String LEDGER_GRANTS = "REPLICATION SLAVE ON *.*";

    public static void grantLedgerPrivileges(LocalPair pair) throws SQLException {
        String bot = "'" + Account.BOT.user() + "'@'" + LocalServer.HOST + "'";
        for (Node n : Node.values()) {
            pair.server(n).execute("SET sql_log_bin = 0", "GRANT " + LEDGER_GRANTS + " TO " + bot,
                    "GRANT SELECT ON demo.* TO " + bot);
        }
    }

    /** The durability many production servers run with: fast, not crash-safe. */
    public static void makeCrashUnsafe(LocalServer server) throws SQLException {
        server.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 0", "SET GLOBAL sync_binlog = 0");
    }

    /**
     * Writes on each of {@code crashed} for {@code load}, kills them all -9, cuts each one's
     * binlog tail, restarts them, and returns once every node's IO thread has either reconnected
     * or failed and every running SQL thread has applied what its IO thread received.
     */
    public static Result crash(LocalPair pair, Duration load, Node... crashed) throws IOException, SQLException {
        long started = System.nanoTime();
        List<Node> nodes = List.of(crashed);
        ReplicationSql sql = ReplicationSql.of(pair.node1().binary());
        for (Node n : nodes) {
            makeCrashUnsafe(pair.server(n));
        }
        Map<Node, Long> written = new EnumMap<>(Node.class);
        try (WriteLoad writes = pair.startWriteLoad(crashed)) {
            for (Node n : nodes) {
                writes.awaitRows(n, 1);
            }
            // A load period, not a wait for a condition: the cut below needs CUT_SECONDS of commits.
            LocalServer.sleep(load);
            for (Node n : nodes) {
                pair.server(n).killHard();
            }
            for (Node n : nodes) {
                written.put(n, writes.rowsWritten(n));
            }
        }
        Map<Node, String> binlogs = new EnumMap<>(Node.class);
        Map<Node, Long> readTo = new EnumMap<>(Node.class);
        for (Node n : nodes) {
            Node other = n.other();
            if (nodes.contains(other)) {
                binlogs.put(n, newestBinlog(pair.server(n)));
                readTo.put(n, -1L);
            } else {
                Map<String, String> lost = pair.awaitReplica(other, other.label() + "'s IO thread has lost " + n.label(),
                        s -> !"Yes".equals(s.get(sql.ioRunningColumn())));
                binlogs.put(n, lost.get(sql.sourceLogFileColumn()));
                readTo.put(n, Long.parseLong(lost.get(sql.readPositionColumn())));
            }
        }
        Map<Node, long[]> cuts = new EnumMap<>(Node.class);
        Map<Node, Integer> logLength = new EnumMap<>(Node.class);
        for (Node n : nodes) {
            LocalServer server = pair.server(n);
            long limit = readTo.get(n) < 0 ? Long.MAX_VALUE : readTo.get(n);
            cuts.put(n, cutTail(server.dataDir().resolve(binlogs.get(n)), limit));
            logLength.put(n, Files.exists(server.errorLog()) ? Files.readString(server.errorLog()).length() : 0);
        }
        for (Node n : nodes) {
            pair.server(n).start();
            // As from its my.cnf: the node comes back with the settings it crashed with.
            makeCrashUnsafe(pair.server(n));
        }
        Map<Node, Map<String, String>> after = new EnumMap<>(Node.class);
        for (Node n : Node.values()) {
            String[] lastExec = {""};
            int[] stable = {0};
            after.put(n, pair.awaitReplica(n, "the IO thread reconnected or failed, and the SQL thread applied what it received",
                    s -> {
                        // A relay log that ends mid-transaction (the IO thread died with its source)
                        // leaves Exec below Read for good: settled once Exec stops moving.
                        String exec = s.get(sql.relaySourceLogFileColumn()) + ":" + s.get(sql.execPositionColumn());
                        stable[0] = exec.equals(lastExec[0]) ? stable[0] + 1 : 0;
                        lastExec[0] = exec;
                        return settled(s, sql) || ("No".equals(s.get(sql.ioRunningColumn())) && stable[0] >= 6);
                    }));
        }
        Map<Node, NodeLoss> losses = new EnumMap<>(Node.class);
        for (Node n : nodes) {
            String log = Files.readString(pair.server(n).errorLog()).substring(logLength.get(n));
            losses.put(n, new NodeLoss(n, binlogs.get(n), cuts.get(n)[0], cuts.get(n)[1], readTo.get(n),
                    lostKeys(pair, n), written.get(n), log.contains("in prepared state after recovery")));
        }
        return new Result(losses, after, Duration.ofNanos(System.nanoTime() - started));
    }

    private static boolean settled(Map<String, String> s, ReplicationSql sql) {
        String io = s.get(sql.ioRunningColumn());
        boolean ioSettled = "No".equals(io) || ("Yes".equals(io) && "0".equals(s.get("Last_IO_Errno")));
        boolean sqlSettled = !"Yes".equals(s.get(sql.sqlRunningColumn()))
                || (s.get(sql.sourceLogFileColumn()) != null
                && s.get(sql.sourceLogFileColumn()).equals(s.get(sql.relaySourceLogFileColumn()))
                && s.get(sql.readPositionColumn()) != null
                && s.get(sql.readPositionColumn()).equals(s.get(sql.execPositionColumn())));
        return ioSettled && sqlSettled;
    }

    private static String newestBinlog(LocalServer server) throws IOException {
        try (var files = Files.list(server.dataDir())) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.matches("mysql-bin\\.\\d{6}"))
                    .max(String::compareTo).orElseThrow(() -> new IOException("no binlog in " + server.dataDir()));
        }
    }

    /**
     * The end of a crash, made exact: {@code node} stops cleanly and its datadir is kept; it then
     * writes {@code rows} transactions that the other node applies; it stops again and comes back
     * from the kept datadir. The other node holds transactions its source has lost, in the
     * source's own binlog order, as a crash that tore the binlog's tail leaves them, but with no
     * luck in where the cut lands: the other node's IO thread is left stopped with 1236. Returns
     * the ids the node lost.
     */
    public static Set<Long> rewind(LocalPair pair, Node node, int rows) throws IOException, SQLException {
        LocalServer server = pair.server(node);
        Path kept = server.directory().resolve("datadir-kept");
        LocalServer.deleteTree(kept);
        try {
            server.stop();
            LocalServer.copyTree(server.dataDir(), kept);
            server.start();
            pair.writeRows(node, rows);
            pair.awaitInSync();
            server.stop();
            LocalServer.deleteTree(server.dataDir());
            LocalServer.copyTree(kept, server.dataDir());
        } finally {
            LocalServer.deleteTree(kept);
        }
        // The node must not fetch its lost transactions back from the other (MariaDB then takes
        // the other's request for them as its own position and lets it in) before the other has
        // asked for them: its login there fails until the other has been refused.
        Node other = node.other();
        pair.refuseReplicationLogin(node);
        // A real restart comes well after the binlogs it keeps were begun; the ledger tells the
        // file begun at the start from older ones by whole seconds (see LogLedgerReader.restartOf).
        LocalServer.sleep(Duration.ofSeconds(2));
        server.start();
        pair.awaitReplica(other, other.label() + " is refused by its rewound source (1236)",
                st -> "1236".equals(st.get("Last_IO_Errno")));
        pair.restoreReplicationAuth(node);
        ReplicationSql sql = ReplicationSql.of(server.binary());
        server.execute(sql.stopIoThread(), sql.startIoThread());
        // As after a crash: the node has read and applied all of the other's binlog (its own
        // lost transactions in it are skipped, but move its GTID position past them).
        Map<String, String> head = pair.server(other).binlogHead();
        pair.awaitReplica(node, node.label() + " has read and applied all of " + other.label() + "'s binlog",
                st -> head.get("File").equals(st.get(sql.sourceLogFileColumn()))
                        && head.get("Position").equals(st.get(sql.readPositionColumn())) && settled(st, sql));
        return lostKeys(pair, node);
    }

    /** Ids written on {@code origin} that the other node has and origin lacks. */
    public static Set<Long> lostKeys(LocalPair pair, Node origin) throws SQLException {
        Set<Long> there = ids(pair.server(origin.other()), "origin = '" + origin.label() + "'");
        there.removeAll(ids(pair.server(origin), "origin = '" + origin.label() + "'"));
        return there;
    }

    public static Set<Long> ids(LocalServer server, String where) throws SQLException {
        Set<Long> ids = new TreeSet<>();
        for (Map<String, String> row : server.query("SELECT id FROM demo.items WHERE " + where)) {
            ids.add(Long.parseLong(row.get("id")));
        }
        return ids;
    }

    /**
     * Cuts the file at the first transaction committed {@link #CUT_SECONDS} s before its last one
     * (event header timestamps), plus 10 bytes of it: a torn event, as a lost page cache leaves.
     * Returns {size before, size after}.
     */
    private static long[] cutTail(Path binlog, long otherReadTo) throws IOException {
        try (FileChannel file = FileChannel.open(binlog, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = file.size();
            List<long[]> starts = new ArrayList<>(); // {offset, timestamp}
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            long offset = 4;
            while (offset + HEADER <= size) {
                header.clear();
                file.read(header, offset);
                long timestamp = Integer.toUnsignedLong(header.getInt(0));
                int type = Byte.toUnsignedInt(header.get(4));
                long length = Integer.toUnsignedLong(header.getInt(9));
                if (length < HEADER || offset + length > size) break;
                if (GTID_EVENT_TYPES.contains(type) && offset < otherReadTo) {
                    starts.add(new long[] {offset, timestamp});
                }
                offset += length;
            }
            if (starts.size() < 2) {
                throw new IllegalStateException(binlog + " holds too few transactions below " + otherReadTo + " to cut");
            }
            long last = starts.get(starts.size() - 1)[1];
            long cutAt = starts.get(starts.size() - 1)[0];
            for (long[] s : starts) {
                if (s[1] >= last - CUT_SECONDS) {
                    cutAt = s[0];
                    break;
                }
            }
            long to = cutAt + 10;
            file.truncate(to);
            return new long[] {size, to};
        }
    }
}
