package io.mysqlresync.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Compares one table chunk by chunk: checksum each chunk on both nodes, in parts; a part that
 * differs is narrowed to small ranges whose rows' digests are compared and settled
 * ({@link Settler}). Throws {@link VerifyException} when it cannot finish; the caller turns that
 * into an inconclusive verdict.
 */
public final class TableVerifier {

    /** A differing range of at most this many rows is compared row by row. */
    static final long NARROW_ROWS = 5000;
    /**
     * Parts per chunk, checksummed in the same statement: a chunk that differs by a write in
     * flight is narrowed to its differing parts (a few hundred rows each) without reading it again.
     */
    static final int PARTS = 64;

    private final PairSource source;
    private final VerifyOptions options;
    private final LongSupplier nanoClock;
    private final long deadlineNanos;
    /** Where the last table's chunks ended up: the next starts there, not small again (pt-table-checksum does the same). */
    private long chunkRows;
    private long lastLoadCheck;

    public TableVerifier(PairSource source, VerifyOptions options, LongSupplier nanoClock, long deadlineNanos) {
        this.source = source;
        this.options = options;
        this.nanoClock = nanoClock;
        this.deadlineNanos = deadlineNanos;
        this.chunkRows = options.initialChunkRows();
    }

    /** Partial findings, kept when the table ends inconclusive half-way. */
    static final class Findings {
        final Map<RowKey, RowDifference> drift = new LinkedHashMap<>();
        final List<RowKey> unsettled = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        /** Ledger keys that match no row on any node: not compared, so never counted as agreeing. */
        final List<RowKey> notFound = new ArrayList<>();
        /** Differing rows of chunks read so far, not yet settled: see {@link #SETTLE_EVERY_NANOS}. */
        final Map<String, List<Row>> pending = new LinkedHashMap<>();
        int pendingRows;
        long pendingSince;
        String whyUnsettled;
        boolean keylessDiffers;
        long rows;
        int chunks;
        int narrowed;

        void add(Settler.Outcome o) {
            for (RowDifference d : o.drift()) {
                drift.putIfAbsent(d.key(), d);
            }
            for (RowKey k : o.unsettled()) {
                if (!unsettled.contains(k) && !drift.containsKey(k)) {
                    unsettled.add(k);
                }
            }
            if (o.whyUnsettled() != null) {
                whyUnsettled = o.whyUnsettled();
            }
        }
    }

    public TableResult verify(TableShape table, List<RowKey> keysFirst, boolean keysOnly, CancelToken cancel,
                              LongConsumer rowsDone) {
        return verify(table, keysFirst, keysOnly, false, cancel, rowsDone);
    }

    /** @param keysExact see {@link VerifyRequest#keysExact()} */
    public TableResult verify(TableShape table, List<RowKey> keysFirst, boolean keysOnly, boolean keysExact,
                              CancelToken cancel, LongConsumer rowsDone) {
        long started = nanoClock.getAsLong();
        Findings f = new Findings();
        Settler settler = new Settler(source, options.rechecks());
        try {
            compare(table, keysFirst, keysOnly, cancel, rowsDone, settler, f);
        } catch (VerifyException e) {
            if (e.reason() != InconclusiveReason.CANCELLED) {
                // What the chunks read so far found still counts: drift already seen is named.
                settleWhatWaits(table, cancel, settler, f);
            }
            return TableResult.inconclusive(table.table(), e.reason(), e.getMessage(), f.rows, f.chunks,
                    List.copyOf(f.drift.values()), f.notes, took(started));
        }
        List<RowDifference> drift = List.copyOf(f.drift.values());
        if (!f.unsettled.isEmpty()) {
            List<String> keys = f.unsettled.stream().limit(5).map(k -> k.display(table.keyColumns())).toList();
            return TableResult.inconclusive(table.table(), InconclusiveReason.UNSETTLED, f.unsettled.size()
                            + " row(s) could not be settled (" + String.join(", ", keys)
                            + (f.unsettled.size() > 5 ? ", ..." : "") + "): " + f.whyUnsettled,
                    f.rows, f.chunks, drift, f.notes, took(started));
        }
        if (f.whyUnsettled != null) {
            return TableResult.inconclusive(table.table(), InconclusiveReason.UNSETTLED, f.whyUnsettled, f.rows,
                    f.chunks, drift, f.notes, took(started));
        }
        if (keysOnly && !f.notFound.isEmpty() && keysExact) {
            f.notes.add(f.notFound.size() + " row(s) absent on both nodes, as they should be");
        } else if (keysOnly && !f.notFound.isEmpty()) {
            // Absent on both may mean deleted on both, or a key the ledger could not spell the way
            // the table does: nothing here tells the two apart, so the rows were not checked.
            return TableResult.inconclusive(table.table(), InconclusiveReason.NOT_FOUND, notFound(table, f)
                    + ": deleted on both nodes or never written; compare the whole table to be sure",
                    f.rows, f.chunks, drift, f.notes, took(started));
        }
        TableVerdict verdict = drift.isEmpty() && !f.keylessDiffers ? TableVerdict.IDENTICAL : TableVerdict.DIFFERS;
        return new TableResult(table.table(), verdict, null, null, f.rows, f.chunks, drift, f.notes, took(started));
    }

    private void compare(TableShape table, List<RowKey> keysFirst, boolean keysOnly, CancelToken cancel,
                         LongConsumer rowsDone, Settler settler, Findings f) {
        checkpoint(cancel);
        if (!keysFirst.isEmpty() && table.keyed()) {
            checkpoint(cancel);
            Map<String, List<Row>> firstRead = source.digests(table, keysFirst);
            java.util.Set<RowKey> seen = new java.util.HashSet<>();
            firstRead.values().forEach(rows -> rows.forEach(r -> seen.add(r.key())));
            keysFirst.stream().distinct().filter(k -> !seen.contains(k)).forEach(f.notFound::add);
            f.add(settler.settle(table, firstRead, cancel));
            if (!keysOnly && !f.notFound.isEmpty()) {
                f.notes.add(notFound(table, f) + "; the full comparison covers them");
            }
            f.notes.add(keysOnly ? "only the " + keysFirst.size() + " row(s) named by the loss ledger were compared"
                    : keysFirst.size() + " row(s) named by the loss ledger checked first");
        }
        if (keysOnly) {
            if (!table.keyed() && !keysFirst.isEmpty()) {
                throw new VerifyException(InconclusiveReason.ERROR, "the loss ledger names rows, but the table has no"
                        + " key to find them by: compare it whole instead");
            }
            f.rows = keysFirst.stream().distinct().count() - f.notFound.size();
            return;
        }
        if (!table.keyed()) {
            f.notes.add("no primary key or NOT NULL unique key: compared whole (row count and checksum);"
                    + " differing rows cannot be named");
            compareWhole(table, cancel, rowsDone, f);
            return;
        }
        ChunkSizer sizer = new ChunkSizer(options.chunkTime(), chunkRows, 100, 2_000_000);
        RowKey after = null;
        int index = 0;
        // A key of several columns whose first has few distinct values would give huge chunks by
        // value; without an estimate (stale statistics say 0 rows) that cannot be ruled out.
        java.util.Optional<KeySpan> span = source.integerKeySpan(table).filter(s -> table.keyColumns().size() == 1
                || (table.estimatedRows() > 0 && table.estimatedRows() <= s.values() * MAX_ROWS_PER_VALUE));
        if (span.isPresent()) {
            ByValue rest = compareByValue(table, span.get(), sizer, cancel, rowsDone, f, settler);
            if (rest == null) {
                done(table, cancel, settler, sizer, f);
                return;
            }
            after = rest.after();
            index = rest.index();
        }
        PairSource.Pending<List<RowKey>> nextEnds = null;
        try {
            for (; ; index++) {
                checkpoint(cancel);
                throttle(cancel);
                List<RowKey> ends;
                if (nextEnds != null) {
                    ends = nextEnds.get();
                    nextEnds = null;
                } else {
                    ends = source.boundaries(table, after, null, partStep(sizer), PARTS);
                }
                // Fewer ends than asked: the table ends in this chunk, which stays open to catch rows
                // past node1's last one.
                boolean last = ends.size() < PARTS;
                Chunk chunk = new Chunk(index, after, last ? null : ends.get(PARTS - 1));
                List<RowKey> cuts = last ? ends : ends.subList(0, PARTS - 1);
                if (!last) {
                    // The next chunk's part ends, read on node1 while both nodes checksum this chunk
                    // (after the same load check): node1's key scan no longer waits for the checksums,
                    // nor they for it. Sized before this chunk is timed: the sizer lags one chunk.
                    nextEnds = source.boundariesAhead(table, chunk.upTo(), partStep(sizer), PARTS);
                }
                long t0 = nanoClock.getAsLong();
                Map<String, List<ChunkChecksum>> sums = source.checksums(table, chunk, cuts);
                long rows = sums.get(source.nodes().get(0)).stream().mapToLong(ChunkChecksum::rows).sum();
                sizer.observe(rows, Duration.ofNanos(nanoClock.getAsLong() - t0));
                settleChunk(table, chunk, cuts, sums, false, cancel, settler, f);
                f.rows += rows;
                f.chunks++;
                rowsDone.accept(rows);
                if (chunk.isLast()) {
                    done(table, cancel, settler, sizer, f);
                    return;
                }
                after = chunk.upTo();
            }
        } finally {
            if (nextEnds != null) {
                // Cancelled, out of time or failed half-way: the read ahead must not outlive the table.
                nextEnds.cancel();
            }
        }
    }

    /** Where the key scan takes over from chunks cut by value. */
    private record ByValue(RowKey after, int index) {
    }

    /**
     * Rows per value above which a chunk of the fewest values is too big to cut by value: the
     * first column of a key of several columns with few distinct values (a tenant id, say).
     */
    static final double MAX_ROWS_PER_VALUE = 16;

    /**
     * Chunks cut by value along an integer first key column, {@link EvenParts}: nothing reads
     * node1's keys before a chunk (the key scan cost about as much as a count of the chunk), and
     * each row finds its part by one division instead of a CASE tree of comparisons. Chunks are
     * sized in values from the rows per value seen so far, so sparse keys still give chunks of
     * about the sizer's rows; the width grows at most 4x a chunk, and a chunk without rows is
     * followed by a probe for node1's next key, so a gap in the keys costs one empty chunk and the
     * rows past it are not swallowed in one huge chunk.
     *
     * @return null when the table is done; else where the key scan goes on: a chunk held far more
     *         rows than asked (keys much denser than before, or a first column with few values)
     */
    private ByValue compareByValue(TableShape table, KeySpan keys, ChunkSizer sizer, CancelToken cancel,
                                   LongConsumer rowsDone, Findings f, Settler settler) {
        KeySpan span = keys;
        // Never fewer than one row per value to start: one outlying key (a row inserted with id
        // 9,000,000 into 430,000 dense ones) would make the table's average say 0.05, and the
        // first chunk swallow the whole dense part. One key column holds at most one row per value.
        double rowsPerValue = table.keyColumns().size() == 1 ? 1
                : Math.max(1, Math.min(MAX_ROWS_PER_VALUE, (double) table.estimatedRows() / span.values()));
        double seenRows = 0;
        double seenValues = 0;
        long width = 0;
        long next = span.min();
        RowKey after = null;
        for (int index = 0; ; index++) {
            checkpoint(cancel);
            throttle(cancel);
            long wanted = sizer.size();
            long w = (long) Math.min(Math.ceil(wanted / Math.max(rowsPerValue, 1e-12)), KeySpan.LIMIT);
            if (width > 0 && width < KeySpan.LIMIT / 4) {
                w = Math.min(w, width * 4);
            }
            // Never past the table's last value by more than a chunk: the arithmetic stays below 2^63.
            width = Math.max(PARTS, Math.min(w, span.max() - next + 1));
            long step = (width + PARTS - 1) / PARTS;
            EvenParts parts = new EvenParts(step, next / step, PARTS);
            long chunkStart = next;
            // Past node1's last value: the last chunk stays open to catch rows past it on either node.
            boolean last = parts.end() >= span.max();
            Chunk chunk = new Chunk(index, after, last ? null : RowKey.of(Long.toString(parts.end())));
            long t0 = nanoClock.getAsLong();
            Map<String, List<ChunkChecksum>> sums;
            try {
                sums = source.checksums(table, chunk, parts);
            } catch (VerifyException e) {
                if (e.reason() != InconclusiveReason.TIMEOUT || nanoClock.getAsLong() - deadlineNanos > 0) {
                    throw e;
                }
                // The statement outran the query timeout: far more rows in these values than the
                // rows per value said (one heavy value of a first column). The key scan cuts them by rows.
                f.notes.add("a chunk by value outran the query timeout; the rest was cut by a key scan");
                return new ByValue(after, index);
            }
            long rows = sums.get(source.nodes().get(0)).stream().mapToLong(ChunkChecksum::rows).sum();
            sizer.observe(rows, Duration.ofNanos(nanoClock.getAsLong() - t0));
            settleChunk(table, chunk, parts.cuts(), sums, true, cancel, settler, f);
            f.rows += rows;
            f.chunks++;
            rowsDone.accept(rows);
            if (last) {
                return null;
            }
            after = chunk.upTo();
            next = parts.end() + 1;
            if (rows == 0) {
                // A gap in node1's keys: the next chunk starts at its next key, and still covers
                // the gap from this chunk's end (rows there on node2 only are compared with it).
                // The gap says nothing of how dense the keys are.
                java.util.Optional<KeySpan> rest = source.integerKeySpan(table, parts.end());
                if (rest.isEmpty()) {
                    // Nothing past it on node1 that values can cut (none, or keys past 2^62, or
                    // written since): the key scan reads the rest, by rows.
                    return new ByValue(after, index + 1);
                } else {
                    next = rest.get().min();
                    span = new KeySpan(span.min(), Math.max(span.max(), rest.get().max()));
                }
                continue;
            }
            seenRows = seenRows * ChunkSizer.WEIGHT + rows;
            seenValues = seenValues * ChunkSizer.WEIGHT + (parts.end() - chunkStart + 1);
            rowsPerValue = seenRows / seenValues;
            if (rows > 4 * wanted) {
                // Keys far denser here than in the chunks before (sparse keys, then dense ones, or
                // one heavy value of a first column): sizing by value cannot see that coming, so the
                // key scan takes over.
                return new ByValue(after, index + 1);
            }
        }
    }

    /**
     * Differing rows wait at most this long to be settled, so one catch-up settles the rows of
     * every chunk read meanwhile instead of one catch-up a chunk (under writes on both masters
     * most chunks differ by a write in flight, and a catch-up costs as much as a chunk). Settling
     * later is as exact: a row is drift only if neither node's copy changed since it was first
     * read; one that moved meanwhile is read again after another catch-up.
     */
    static final long SETTLE_EVERY_NANOS = 1_000_000_000L;
    /** ... or once this many rows wait, which bounds the memory they take. */
    static final int SETTLE_ROWS = 10_000;

    /** Narrows a chunk's differing parts to their differing rows, and settles them when due. */
    private void settleChunk(TableShape table, Chunk chunk, List<RowKey> cuts, Map<String, List<ChunkChecksum>> sums,
                             boolean byValue, CancelToken cancel, Settler settler, Findings f) {
        Map<String, List<Row>> differing = new LinkedHashMap<>();
        if (settleParts(table, chunk, cuts, sums, byValue, cancel, differing)) {
            f.narrowed++;
            Map<String, List<Row>> rows = Settler.differingRows(source.nodes(), differing);
            if (f.pendingRows == 0) {
                f.pendingSince = nanoClock.getAsLong();
            }
            rows.forEach((node, r) -> {
                f.pending.computeIfAbsent(node, n -> new ArrayList<>()).addAll(r);
                f.pendingRows += r.size();
            });
        }
        long now = nanoClock.getAsLong();
        // Close to the verification's deadline nothing waits: what a timeout cuts short still names its drift.
        if (f.pendingRows > 0 && (f.pendingRows >= SETTLE_ROWS || now - f.pendingSince >= SETTLE_EVERY_NANOS
                || deadlineNanos - now < 2 * SETTLE_EVERY_NANOS)) {
            settlePending(table, cancel, settler, f);
        }
    }

    /** After a failure half-way: settles the rows still waiting, or says they were not. Never throws. */
    private void settleWhatWaits(TableShape table, CancelToken cancel, Settler settler, Findings f) {
        int waiting = f.pendingRows;
        try {
            settlePending(table, cancel, settler, f);
        } catch (VerifyException e) {
            f.notes.add(waiting + " differing row(s) read before the failure could not be settled: " + e.getMessage());
        }
    }

    private void settlePending(TableShape table, CancelToken cancel, Settler settler, Findings f) {
        if (f.pendingRows > 0) {
            f.add(settler.settle(table, f.pending, cancel));
            f.pending.clear();
            f.pendingRows = 0;
        }
    }

    /** The table's last chunk is read: what still waits is settled now. */
    private void done(TableShape table, CancelToken cancel, Settler settler, ChunkSizer sizer, Findings f) {
        settlePending(table, cancel, settler, f);
        chunkRows = sizer.size();
        if (f.narrowed > 0) {
            f.notes.add(f.narrowed + " of " + f.chunks + " chunks differed at first (writes in flight or drift) and were narrowed");
        }
    }

    private static long partStep(ChunkSizer sizer) {
        return Math.max(1, (sizer.size() + PARTS - 1) / PARTS);
    }

    /**
     * Narrows each part whose checksums differ (see {@link #narrow}) into {@code differing}; the
     * parts that agree are done. True when any part differed.
     */
    private boolean settleParts(TableShape table, Chunk range, List<RowKey> cuts, Map<String, List<ChunkChecksum>> sums,
                                boolean byValue, CancelToken cancel, Map<String, List<Row>> differing) {
        // Parts cut by value may hold any share of the chunk's rows (keys bunch up): a big one is
        // always cut again by a key scan. Parts cut by row count can only be as big as the whole
        // when rows pile in on one node at an open end, and cutting would not shrink them.
        long parent = byValue ? Long.MAX_VALUE : totalRows(sums);
        boolean differed = false;
        for (int i = 0; i <= cuts.size(); i++) {
            int p = i;
            Map<String, ChunkChecksum> part = new LinkedHashMap<>();
            sums.forEach((node, list) -> part.put(node, list.get(p)));
            if (agree(part)) {
                continue;
            }
            differed = true;
            Chunk sub = new Chunk(range.index(), i == 0 ? range.after() : cuts.get(i - 1),
                    i == cuts.size() ? range.upTo() : cuts.get(i));
            narrow(table, sub, rows(part), parent, cancel, differing);
        }
        return differed;
    }

    /**
     * Narrows a differing range to its rows: at most {@link #NARROW_ROWS} rows, their digests are
     * read into {@code differing}, to be compared and settled ({@link Settler}); a bigger one is
     * cut into {@link #PARTS} parts again, checksummed in one statement per node. Under writes
     * most chunks differ by a write or two in flight; reading all their rows into the bot would
     * cost far more than a second checksum. A part that agrees now is settled: the parts are a
     * fresh comparison of the whole range.
     *
     * @param rows   the range's rows (the node with more)
     * @param parent the rows of the range it was cut from: a part as big as the whole (rows piling
     *               in on one node at an open end) cannot shrink by cutting, so its rows are read
     */
    private void narrow(TableShape table, Chunk range, long rows, long parent, CancelToken cancel,
                        Map<String, List<Row>> differing) {
        checkpoint(cancel);
        long step = Math.max(NARROW_ROWS / 8, (rows + PARTS - 1) / PARTS);
        List<RowKey> cuts = rows <= NARROW_ROWS || rows >= parent ? List.of()
                : source.boundaries(table, range.after(), range.upTo(), step, PARTS - 1);
        if (cuts.isEmpty()) {
            source.digests(table, range).forEach((node, r) -> differing.computeIfAbsent(node, n -> new ArrayList<>()).addAll(r));
            return;
        }
        settleParts(table, range, cuts, source.checksums(table, range, cuts), false, cancel, differing);
    }

    private static String notFound(TableShape table, Findings f) {
        List<String> keys = f.notFound.stream().limit(5).map(k -> k.display(table.keyColumns())).toList();
        return f.notFound.size() + " row(s) named by the loss ledger not found on either node ("
                + String.join(", ", keys) + (f.notFound.size() > 5 ? ", ..." : "") + ")";
    }

    private static long rows(Map<String, ChunkChecksum> sums) {
        return sums.values().stream().mapToLong(ChunkChecksum::rows).max().orElse(0);
    }

    /** The rows of a range cut into parts: the node with more. */
    private static long totalRows(Map<String, List<ChunkChecksum>> sums) {
        return sums.values().stream().mapToLong(l -> l.stream().mapToLong(ChunkChecksum::rows).sum()).max().orElse(0);
    }

    /** A keyless table: the same settling, on the whole table's count and checksum instead of rows. */
    private void compareWhole(TableShape table, CancelToken cancel, LongConsumer rowsDone, Findings f) {
        throttle(cancel);
        Chunk whole = Chunk.whole();
        Map<String, ChunkChecksum> sums = source.checksums(table, whole);
        long rows = sums.get(source.nodes().get(0)).rows();
        f.rows = rows;
        f.chunks = 1;
        rowsDone.accept(rows);
        for (int round = 0; round < options.rechecks() && !agree(sums); round++) {
            checkpoint(cancel);
            var notCaughtUp = source.catchUp();
            if (notCaughtUp.isPresent()) {
                f.whyUnsettled = "the table differs and replication did not catch up to settle it: " + notCaughtUp.get();
                return;
            }
            Map<String, ChunkChecksum> again = source.checksums(table, whole);
            if (again.equals(sums)) {
                f.keylessDiffers = true;
                f.notes.add(describe(again));
                return;
            }
            sums = again;
        }
        if (!agree(sums)) {
            f.whyUnsettled = "the table kept changing through " + options.rechecks() + " re-checks";
        }
    }

    private static String describe(Map<String, ChunkChecksum> sums) {
        List<String> parts = new ArrayList<>();
        sums.forEach((node, s) -> parts.add(node + " " + s.rows() + " rows, checksum " + s.checksum()));
        return "the whole table differs: " + String.join("; ", parts);
    }

    private void throttle(CancelToken cancel) {
        checkpoint(cancel);
        // Lag and Threads_running move over seconds: sampling them before every chunk would add
        // four queries to each.
        if (lastLoadCheck != 0 && nanoClock.getAsLong() - lastLoadCheck < 1_000_000_000L) {
            return;
        }
        while (true) {
            checkpoint(cancel);
            lastLoadCheck = nanoClock.getAsLong();
            String why = source.load().tooHigh(options.maxLag(), options.maxThreadsRunning());
            if (why == null) {
                return;
            }
            source.pause(Duration.ofMillis(250), cancel);
        }
    }

    private void checkpoint(CancelToken cancel) {
        cancel.throwIfCancelled();
        if (nanoClock.getAsLong() - deadlineNanos > 0) {
            throw new VerifyException(InconclusiveReason.TIMEOUT, "the verification ran out of time ("
                    + options.timeout().toSeconds() + " s) before this table was done");
        }
    }

    static boolean agree(Map<String, ChunkChecksum> sums) {
        return sums.values().stream().distinct().count() <= 1 && sums.values().stream().allMatch(Objects::nonNull);
    }

    private Duration took(long started) {
        return Duration.ofNanos(nanoClock.getAsLong() - started);
    }
}
