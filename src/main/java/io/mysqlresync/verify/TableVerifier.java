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
 * Compares one table chunk by chunk: checksum each chunk on both nodes; a chunk that differs is
 * narrowed to its rows' digests and settled ({@link Settler}). Throws {@link VerifyException} when it cannot finish; the caller turns that
 * into an inconclusive verdict.
 */
public final class TableVerifier {

    private final PairSource source;
    private final VerifyOptions options;
    private final LongSupplier nanoClock;
    private final long deadlineNanos;

    public TableVerifier(PairSource source, VerifyOptions options, LongSupplier nanoClock, long deadlineNanos) {
        this.source = source;
        this.options = options;
        this.nanoClock = nanoClock;
        this.deadlineNanos = deadlineNanos;
    }

    /** Partial findings, kept when the table ends inconclusive half-way. */
    static final class Findings {
        final Map<RowKey, RowDifference> drift = new LinkedHashMap<>();
        final List<RowKey> unsettled = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        String whyUnsettled;
        boolean keylessDiffers;
        long rows;
        int chunks;

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
        long started = nanoClock.getAsLong();
        Findings f = new Findings();
        try {
            compare(table, keysFirst, keysOnly, cancel, rowsDone, f);
        } catch (VerifyException e) {
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
        TableVerdict verdict = drift.isEmpty() && !f.keylessDiffers ? TableVerdict.IDENTICAL : TableVerdict.DIFFERS;
        return new TableResult(table.table(), verdict, null, null, f.rows, f.chunks, drift, f.notes, took(started));
    }

    private void compare(TableShape table, List<RowKey> keysFirst, boolean keysOnly, CancelToken cancel,
                         LongConsumer rowsDone, Findings f) {
        Settler settler = new Settler(source, options.rechecks());
        if (!keysFirst.isEmpty() && table.keyed()) {
            checkpoint(cancel);
            f.add(settler.settle(table, source.digests(table, keysFirst), cancel));
            f.notes.add(keysFirst.size() + " row(s) named by the loss ledger checked first");
        }
        if (keysOnly) {
            return;
        }
        if (!table.keyed()) {
            f.notes.add("no primary key or NOT NULL unique key: compared whole (row count and checksum);"
                    + " differing rows cannot be named");
            compareWhole(table, cancel, rowsDone, f);
            return;
        }
        ChunkSizer sizer = new ChunkSizer(options.chunkTime(), options.initialChunkRows(), 100, 2_000_000);
        RowKey after = null;
        for (int index = 0; ; index++) {
            checkpoint(cancel);
            throttle(cancel);
            RowKey upTo = source.boundary(table, after, sizer.size()).orElse(null);
            Chunk chunk = new Chunk(index, after, upTo);
            long t0 = nanoClock.getAsLong();
            Map<String, ChunkChecksum> sums = source.checksums(table, chunk);
            long rows = sums.get(source.nodes().get(0)).rows();
            sizer.observe(rows, Duration.ofNanos(nanoClock.getAsLong() - t0));
            if (!agree(sums)) {
                settleChunk(table, chunk, settler, cancel, f);
            }
            f.rows += rows;
            f.chunks++;
            rowsDone.accept(rows);
            if (chunk.isLast()) {
                return;
            }
            after = upTo;
        }
    }

    /**
     * Straight to the rows' digests: under writes on both masters a second checksum after a
     * catch-up mostly differs again (new writes), and costs as much as the digests. The settle
     * rounds catch up before each re-read anyway.
     */
    private void settleChunk(TableShape table, Chunk chunk, Settler settler, CancelToken cancel, Findings f) {
        checkpoint(cancel);
        f.add(settler.settle(table, source.digests(table, chunk), cancel));
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
        while (true) {
            checkpoint(cancel);
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
