package io.mysqlresync.mysql;

import io.mysqlresync.replication.Flavor;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.Chunk;
import io.mysqlresync.verify.ChunkChecksum;
import io.mysqlresync.verify.EvenParts;
import io.mysqlresync.verify.InconclusiveReason;
import io.mysqlresync.verify.KeySpan;
import io.mysqlresync.verify.LoadSample;
import io.mysqlresync.verify.PairSource;
import io.mysqlresync.verify.Row;
import io.mysqlresync.verify.RowKey;
import io.mysqlresync.verify.TableShape;
import io.mysqlresync.verify.VerifyException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A pair's two nodes for the verifier, over JDBC: the same statement on both nodes at once (one
 * thread each), so the two reads are as close in time as they can be.
 */
final class JdbcPairSource implements PairSource {

    private static final int KEYS_PER_QUERY = 200;

    private final List<VerifySession> sessions;
    /** A second session on the first node, for {@link #boundariesAhead}; null: read when asked. */
    private final VerifySession ahead;
    private final Map<TableShape, CatalogTable> tables;
    private final ExecutorService pool;
    /** One thread of its own: a read ahead must never hold up one of {@link #onBoth}'s two. */
    private final ExecutorService aheadPool;
    private final Duration catchUpTimeout;

    JdbcPairSource(List<VerifySession> sessions, Map<TableShape, CatalogTable> tables, ExecutorService pool,
                   Duration catchUpTimeout) {
        this(sessions, null, null, tables, pool, catchUpTimeout);
    }

    JdbcPairSource(List<VerifySession> sessions, VerifySession ahead, ExecutorService aheadPool,
                   Map<TableShape, CatalogTable> tables, ExecutorService pool, Duration catchUpTimeout) {
        this.sessions = sessions;
        this.ahead = aheadPool == null ? null : ahead;
        this.tables = tables;
        this.pool = pool;
        this.aheadPool = aheadPool;
        this.catchUpTimeout = catchUpTimeout;
    }

    @Override
    public List<String> nodes() {
        return sessions.stream().map(s -> s.node).toList();
    }

    private CatalogTable table(TableShape shape) {
        CatalogTable t = tables.get(shape);
        if (t == null) {
            throw new IllegalArgumentException(shape.table() + " was not read from the catalog");
        }
        return t;
    }

    private List<String> types(CatalogTable t, List<String> columns) {
        return columns.stream().map(t::type).toList();
    }

    @Override
    public List<RowKey> boundaries(TableShape shape, RowKey after, RowKey upTo, long step, int count) {
        return boundaries(sessions.get(0), shape, after, upTo, step, count);
    }

    private List<RowKey> boundaries(VerifySession first, TableShape shape, RowKey after, RowKey upTo, long step,
                                    int count) {
        CatalogTable t = table(shape);
        ChunkChecksums.Numbering numbering = first.mariadb() ? ChunkChecksums.Numbering.COUNTER
                : first.version.atLeast(8, 0, 0) ? ChunkChecksums.Numbering.WINDOW : ChunkChecksums.Numbering.CLIENT;
        ChunkChecksums.Query q = ChunkChecksums.boundaries(t, after, upTo, step, count, numbering);
        List<List<String>> found = granted(shape, () -> first.query(q.sql(), q.params(), types(t, shape.keyColumns()),
                "reading chunk boundaries of " + shape.table(), ChunkChecksums.keepEvery(numbering, step)));
        return found.stream().map(RowKey::new).toList();
    }

    /**
     * On the second session of the first node (read-only, the same statement timeouts, cancelled
     * with the verification), on a thread of its own: at most one read ahead at a time, so the
     * verifier adds at most two statements on the first node (this key scan and a checksum) and
     * one on the second.
     */
    @Override
    public Pending<List<RowKey>> boundariesAhead(TableShape shape, RowKey after, long step, int count) {
        if (ahead == null) {
            return PairSource.super.boundariesAhead(shape, after, step, count);
        }
        // 0 not started, 1 running, 2 given up before it started (then it never will).
        AtomicInteger phase = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(1);
        Future<List<RowKey>> read = aheadPool.submit(() -> {
            try {
                if (!phase.compareAndSet(0, 1)) {
                    return List.of();
                }
                return boundaries(ahead, shape, after, null, step, count);
            } finally {
                ended.countDown();
            }
        });
        return new Pending<>() {
            @Override
            public List<RowKey> get() {
                return result(read);
            }

            @Override
            public void cancel() {
                if (phase.get() == 2 || phase.compareAndSet(0, 2)) {
                    read.cancel(false);
                    return;
                }
                // Running: its statement is cancelled on the server, and again until the read has
                // ended, as a cancel before the statement reached the server does nothing. Each try
                // is a connection of its own (KILL QUERY), so they come 100 ms apart, doubling to
                // 1 s; never longer than the read itself may take.
                long until = System.nanoTime() + ahead.queryTimeout().plusSeconds(5).toNanos();
                long gap = TimeUnit.MILLISECONDS.toNanos(100);
                long next = System.nanoTime();
                try {
                    do {
                        long now = System.nanoTime();
                        if (now - next >= 0) {
                            ahead.stopRunning();
                            next = now + gap;
                            gap = Math.min(gap * 2, TimeUnit.SECONDS.toNanos(1));
                        }
                    } while (!ended.await(20, TimeUnit.MILLISECONDS) && System.nanoTime() - until < 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private static <T> T result(Future<T> read) {
        try {
            return read.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new VerifyException(InconclusiveReason.ERROR, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyException(InconclusiveReason.CANCELLED, "interrupted");
        }
    }

    @Override
    public Map<String, ChunkChecksum> checksums(TableShape shape, Chunk chunk) {
        CatalogTable t = table(shape);
        ChunkChecksums.Query q = ChunkChecksums.checksum(t, chunk);
        return granted(shape, () -> onBoth(s -> {
            List<String> r = s.query(q.sql(), q.params(), null, "checksumming " + shape.table()).get(0);
            return new ChunkChecksum(Long.parseLong(r.get(0)), r.get(1) + "/" + r.get(2));
        }));
    }

    @Override
    public Map<String, List<ChunkChecksum>> checksums(TableShape shape, Chunk chunk, List<RowKey> cuts) {
        CatalogTable t = table(shape);
        ChunkChecksums.Query q = ChunkChecksums.partChecksums(t, chunk, cuts);
        return granted(shape, () -> onBoth(s -> {
            List<ChunkChecksum> parts = new ArrayList<>(java.util.Collections.nCopies(cuts.size() + 1,
                    new ChunkChecksum(0, "0")));
            for (List<String> r : s.query(q.sql(), q.params(), null, "checksumming " + shape.table())) {
                parts.set(Integer.parseInt(r.get(0)), new ChunkChecksum(Long.parseLong(r.get(1)), r.get(2)));
            }
            return parts;
        }));
    }

    @Override
    public Optional<KeySpan> integerKeySpan(TableShape shape, long after) {
        CatalogTable t = table(shape);
        if (!shape.keyed() || !CatalogTable.isWholeNumber(t.type(shape.keyColumns().get(0)))) {
            return Optional.empty();
        }
        ChunkChecksums.Query q = ChunkChecksums.keySpan(t, after);
        List<String> r = granted(shape, () -> sessions.get(0).query(q.sql(), q.params(), null,
                "reading the key span of " + shape.table()).get(0));
        if (r.get(0) == null) {
            return Optional.empty(); // empty table
        }
        java.math.BigInteger min = new java.math.BigInteger(r.get(0));
        java.math.BigInteger max = new java.math.BigInteger(r.get(1));
        if (min.signum() < 0 || max.compareTo(java.math.BigInteger.valueOf(KeySpan.LIMIT)) >= 0) {
            return Optional.empty();
        }
        return Optional.of(new KeySpan(min.longValueExact(), max.longValueExact()));
    }

    /** Buckets folded into parts: counts add up, checksums (BIT_XOR) fold by XOR, as the server would have. */
    @Override
    public Map<String, List<ChunkChecksum>> checksums(TableShape shape, Chunk chunk, EvenParts parts) {
        CatalogTable t = table(shape);
        ChunkChecksums.Query q = ChunkChecksums.evenPartChecksums(t, chunk, parts.step());
        return granted(shape, () -> onBoth(s -> {
            long[] rows = new long[parts.count()];
            long[] xor = new long[parts.count()];
            for (List<String> r : s.query(q.sql(), q.params(), null, "checksumming " + shape.table())) {
                int p = parts.partOf(new java.math.BigInteger(r.get(0)));
                rows[p] += Long.parseLong(r.get(1));
                xor[p] ^= Long.parseUnsignedLong(r.get(2));
            }
            List<ChunkChecksum> out = new ArrayList<>(parts.count());
            for (int i = 0; i < parts.count(); i++) {
                out.add(new ChunkChecksum(rows[i], Long.toUnsignedString(xor[i])));
            }
            return out;
        }));
    }

    @Override
    public Map<String, List<Row>> digests(TableShape shape, Chunk chunk) {
        CatalogTable t = table(shape);
        ChunkChecksums.Query q = ChunkChecksums.digests(t, chunk);
        return granted(shape, () -> onBoth(s -> toDigests(s.query(q.sql(), q.params(), types(t, shape.keyColumns()),
                "reading row digests of " + shape.table()))));
    }

    @Override
    public Map<String, List<Row>> digests(TableShape shape, Collection<RowKey> keys) {
        CatalogTable t = table(shape);
        return byKeys(keys, batch -> {
            ChunkChecksums.Query q = ChunkChecksums.digestsByKey(t, batch);
            return granted(shape, () -> onBoth(s -> toDigests(s.query(q.sql(), q.params(), types(t, shape.keyColumns()),
                    "reading row digests of " + shape.table()))));
        });
    }

    /** Key columns first, the digest last. */
    private static List<Row> toDigests(List<List<String>> raw) {
        List<Row> rows = new ArrayList<>(raw.size());
        for (List<String> r : raw) {
            rows.add(new Row(new RowKey(r.subList(0, r.size() - 1)), List.of(String.valueOf(r.get(r.size() - 1)))));
        }
        return rows;
    }

    @Override
    public Map<String, List<Row>> rows(TableShape shape, Collection<RowKey> keys) {
        CatalogTable t = table(shape);
        return byKeys(keys, batch -> {
            ChunkChecksums.Query q = ChunkChecksums.rowsByKey(t, batch);
            return granted(shape, () -> onBoth(s -> toRows(t, s.query(q.sql(), q.params(), types(t, shape.columns()),
                    "reading rows of " + shape.table()))));
        });
    }

    /** A few hundred keys a statement: an IN list of thousands would hit max_allowed_packet sooner or later. */
    private Map<String, List<Row>> byKeys(Collection<RowKey> keys, Function<List<RowKey>, Map<String, List<Row>>> read) {
        List<RowKey> all = List.copyOf(keys);
        Map<String, List<Row>> out = new LinkedHashMap<>();
        for (String n : nodes()) {
            out.put(n, new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i += KEYS_PER_QUERY) {
            read.apply(all.subList(i, Math.min(all.size(), i + KEYS_PER_QUERY))).forEach((n, rows) -> out.get(n).addAll(rows));
        }
        return out;
    }

    /** A refused SELECT becomes the GRANT that fixes it, for the node that refused. */
    private <T> T granted(TableShape shape, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (VerifyException e) {
            if (e.reason() != InconclusiveReason.MISSING_PRIVILEGE) {
                throw e;
            }
            VerifySession refused = sessions.stream().filter(s -> e.getMessage().startsWith(s.node + " "))
                    .findFirst().orElse(sessions.get(0));
            throw VerifyCatalog.missingGrant(refused.node, refused.account, shape.table().schema(),
                    "the bot may not read " + shape.table() + " (" + e.getCause().getMessage() + ")");
        }
    }

    private static List<Row> toRows(CatalogTable t, List<List<String>> raw) {
        List<String> columns = t.shape().columns();
        int[] keyAt = t.shape().keyColumns().stream().mapToInt(columns::indexOf).toArray();
        List<Row> rows = new ArrayList<>(raw.size());
        for (List<String> values : raw) {
            List<String> key = new ArrayList<>(keyAt.length);
            for (int i : keyAt) {
                key.add(values.get(i));
            }
            rows.add(new Row(new RowKey(key), values));
        }
        return rows;
    }

    /**
     * Each node's position now, then each node waits until it has applied the other's: after
     * this, every logged write either node had made before the call is on both.
     */
    @Override
    public Optional<String> catchUp() {
        Map<String, Position> positions = onBoth(this::position);
        Map<String, String> failures = onBoth(s -> {
            VerifySession other = sessions.get(sessions.get(0) == s ? 1 : 0);
            return waitFor(s, positions.get(other.node), positions.get(s.node));
        });
        List<String> why = failures.values().stream().filter(f -> !f.isEmpty()).toList();
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
    }

    /** A node's binlog head, its GTID position and own GTID domain (MariaDB), and whether its replica uses GTID. */
    private record Position(String file, long pos, String gtid, String ownDomain, boolean replicaUsesGtid) {
    }

    private Position position(VerifySession s) {
        boolean mysqlStatus = s.version.hasShowBinaryLogStatus();
        List<List<String>> head = s.query(mysqlStatus ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS",
                "reading its binlog position (needs BINLOG MONITOR or REPLICATION CLIENT)");
        if (head.isEmpty()) {
            throw new VerifyException(InconclusiveReason.ERROR, s.node + " has no binary log (log_bin is off):"
                    + " a difference cannot be settled without replication positions");
        }
        String gtid;
        String domain = null;
        boolean usesGtid;
        if (s.mariadb()) {
            List<String> g = s.query("SELECT @@gtid_binlog_pos, @@gtid_domain_id", "reading its GTID position").get(0);
            gtid = g.get(0);
            domain = g.get(1);
            usesGtid = !replicaStatus(s).getOrDefault("Using_Gtid", "No").equalsIgnoreCase("No");
        } else {
            List<String> g = s.query("SELECT @@gtid_executed, @@gtid_mode", "reading its GTID position").get(0);
            gtid = g.get(0);
            usesGtid = "ON".equalsIgnoreCase(g.get(1));
        }
        return new Position(head.get(0).get(0), Long.parseLong(head.get(0).get(1)), gtid, domain, usesGtid);
    }

    /** Waits on {@code s} until it has applied {@code source}'s position; "" when it did, else why not. */
    private String waitFor(VerifySession s, Position source, Position self) {
        long seconds = Math.max(1, catchUpTimeout.toSeconds());
        ChunkChecksums.KeyParam timeout = new ChunkChecksums.KeyParam(Long.toString(seconds), "bigint");
        String sql;
        List<ChunkChecksums.KeyParam> params;
        // Nodes sharing a GTID domain (gtid_domain_id defaults to 0 on both) interleave their
        // transactions in one domain: dropping this node's domain would drop the source's writes
        // too, so wait on the source's binlog coordinates instead.
        boolean sharedDomain = java.util.Objects.equals(source.ownDomain(), self.ownDomain());
        if (s.mariadb() && self.replicaUsesGtid() && !sharedDomain) {
            // Only the source's own domains: this node's own domain never shows up in its gtid_slave_pos.
            String wanted = String.join(",", java.util.Arrays.stream(source.gtid().split(","))
                    .map(String::trim).filter(g -> !g.isEmpty() && !g.startsWith(self.ownDomain() + "-")).toList());
            if (wanted.isEmpty()) {
                return "";
            }
            sql = "SELECT MASTER_GTID_WAIT(?, ?)";
            params = List.of(new ChunkChecksums.KeyParam(wanted, "varchar"), timeout);
        } else if (!s.mariadb() && self.replicaUsesGtid()) {
            sql = "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)";
            params = List.of(new ChunkChecksums.KeyParam(source.gtid().replace("\n", ""), "varchar"), timeout);
        } else {
            String fn = !s.mariadb() && s.version.atLeast(8, 0, 26) ? "SOURCE_POS_WAIT" : "MASTER_POS_WAIT";
            sql = "SELECT " + fn + "(?, ?, ?)";
            params = List.of(new ChunkChecksums.KeyParam(source.file(), "varchar"),
                    new ChunkChecksums.KeyParam(Long.toString(source.pos()), "bigint"), timeout);
        }
        String r = s.await(sql, params, catchUpTimeout, "waiting to apply the other node's position").get(0).get(0);
        if (r == null) {
            return s.node + ": its replication SQL thread is not running (" + sql.substring(7, sql.indexOf('(')) + " returned NULL)";
        }
        boolean timedOut = sql.contains("WAIT_FOR_EXECUTED_GTID_SET") ? r.equals("1") : r.equals("-1");
        return timedOut ? s.node + ": did not apply the other node's position within " + seconds + " s" : "";
    }

    private Map<String, String> replicaStatus(VerifySession s) {
        String sql = s.mariadb() ? "SHOW SLAVE STATUS"
                : s.version.flavor() == Flavor.MYSQL ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
        try (var st = s.connection.createStatement(); var rs = st.executeQuery(sql)) {
            Map<String, String> row = new LinkedHashMap<>();
            if (rs.next()) {
                var md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getString(i));
                }
            }
            return row;
        } catch (java.sql.SQLException e) {
            throw s.failure(e, "reading its replica status (needs SLAVE MONITOR or REPLICATION CLIENT)");
        }
    }

    @Override
    public LoadSample load() {
        Map<String, Duration> lag = new LinkedHashMap<>();
        Map<String, Integer> running = new LinkedHashMap<>();
        for (VerifySession s : sessions) {
            Map<String, String> status = replicaStatus(s);
            String behind = status.getOrDefault("Seconds_Behind_Master", status.get("Seconds_Behind_Source"));
            lag.put(s.node, behind == null ? null : Duration.ofSeconds(Long.parseLong(behind)));
            List<List<String>> threads = s.query("SHOW GLOBAL STATUS LIKE 'Threads_running'", "reading Threads_running");
            running.put(s.node, threads.isEmpty() ? null : Integer.parseInt(threads.get(0).get(1)));
        }
        return new LoadSample(lag, running);
    }

    @Override
    public void pause(Duration d, CancelToken cancel) {
        long end = System.nanoTime() + d.toNanos();
        while (!cancel.isCancelled() && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel.cancel();
            }
        }
    }

    /** The same read on every node at once; the first failure (a VerifyException) is rethrown as is. */
    private <T> Map<String, T> onBoth(Function<VerifySession, T> read) {
        List<Future<T>> futures = new ArrayList<>();
        for (VerifySession s : sessions) {
            futures.add(pool.submit((Callable<T>) () -> read.apply(s)));
        }
        Map<String, T> out = new LinkedHashMap<>();
        RuntimeException first = null;
        for (int i = 0; i < sessions.size(); i++) {
            try {
                out.put(sessions.get(i).node, futures.get(i).get());
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException r ? r
                            : new VerifyException(InconclusiveReason.ERROR, String.valueOf(e.getCause()), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VerifyException(InconclusiveReason.CANCELLED, "interrupted");
            }
        }
        if (first != null) {
            throw first;
        }
        return out;
    }
}
