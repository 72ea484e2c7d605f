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
 */
public final class CrashWithLoss {

    /** More than InnoDB's once-a-second log flush can leave unwritten. */
    public static final int CUT_SECONDS = 2;
    private static final int HEADER = 19;
    private static final Set<Integer> GTID_EVENT_TYPES = Set.of(162, 33, 34);

    /**
     * @param crashed        the node killed
     * @param binlog         its binlog file the other node was reading
     * @param cutTo          that file's size after the cut
     * @param sizeAtCrash    its size right after kill -9
     * @param otherReadTo    the other node's read position in it when the crash happened
     * @param lostKeys       ids the other node has (written on the crashed node) that the crashed node lacks after restart
     * @param keptButCut     ids written on the crashed node, on both nodes, whose events were cut from its binlog: not lost
     * @param rowsWritten    rows the load committed on the crashed node (as acknowledged)
     * @param preparedRolledBack the crashed node's error log says transactions were in prepared state after recovery
     */
    public record Result(Node crashed, String binlog, long cutTo, long sizeAtCrash, long otherReadTo,
                         Set<Long> lostKeys, long rowsWritten, boolean preparedRolledBack, Duration took) {
    }

    private CrashWithLoss() {
    }

    /** Slows the node's durability down the way many production servers run: fast, not crash-safe. */
    public static void makeCrashUnsafe(LocalServer server) throws SQLException {
        server.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 0", "SET GLOBAL sync_binlog = 0");
    }

    /** Kills {@code crashed} under a write load on it, cuts its binlog tail, restarts it. The pair must replicate by file and position. */
    public static Result crash(LocalPair pair, Node crashed, int rowsBeforeCrash) throws IOException, SQLException {
        long started = System.nanoTime();
        ReplicationSql sql = ReplicationSql.of(pair.server(crashed).binary());
        LocalServer node = pair.server(crashed);
        Node other = crashed.other();
        makeCrashUnsafe(node);
        long written;
        try (WriteLoad load = pair.startWriteLoad(crashed)) {
            load.awaitRows(crashed, rowsBeforeCrash);
            node.killHard();
            written = load.rowsWritten(crashed);
        }
        Map<String, String> lost = pair.awaitReplica(other, other.label() + "'s IO thread has lost " + crashed.label(),
                s -> !"Yes".equals(s.get(sql.ioRunningColumn())));
        String binlog = lost.get(sql.sourceLogFileColumn());
        long readTo = Long.parseLong(lost.get(sql.readPositionColumn()));
        long[] cut = cutTail(node.dataDir().resolve(binlog), readTo);
        String errorLogBefore = Files.exists(node.errorLog()) ? Files.readString(node.errorLog()) : "";
        node.start();
        pair.awaitReplica(other, crashed.label() + " refuses " + other.label() + "'s IO thread",
                s -> "No".equals(s.get(sql.ioRunningColumn())) && !"0".equals(s.get("Last_IO_Errno")));
        String errorLog = Files.readString(node.errorLog()).substring(errorLogBefore.length());
        boolean prepared = errorLog.contains("in prepared state after recovery");
        return new Result(crashed, binlog, cut[1], cut[0], readTo, lostKeys(pair, crashed), written, prepared,
                Duration.ofNanos(System.nanoTime() - started));
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
