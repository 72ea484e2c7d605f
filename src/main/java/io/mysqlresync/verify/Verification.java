package io.mysqlresync.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One run over the tables the adapter resolved: each table in turn, progress after each chunk,
 * and every table that was not finished (cancelled, out of time, failed) inconclusive with the
 * reason. A table is never left out silently.
 */
public final class Verification {

    private final PairSource source;
    private final VerifyOptions options;
    private final LongSupplier nanoClock;

    public Verification(PairSource source, VerifyOptions options, LongSupplier nanoClock) {
        this.source = source;
        this.options = options;
        this.nanoClock = nanoClock;
    }

    /**
     * @param decided tables already decided without reading rows (no privilege, on one node only)
     */
    public VerificationResult run(String cluster, Instant started, List<TableShape> tables, List<TableResult> decided,
                                  Map<TableRef, List<RowKey>> keysFirst, boolean keysOnly, List<String> notes,
                                  ProgressListener progress, CancelToken cancel) {
        return run(cluster, started, tables, decided, keysFirst, keysOnly, false, notes, progress, cancel);
    }

    /** @param keysExact see {@link VerifyRequest#keysExact()} */
    public VerificationResult run(String cluster, Instant started, List<TableShape> tables, List<TableResult> decided,
                                  Map<TableRef, List<RowKey>> keysFirst, boolean keysOnly, boolean keysExact,
                                  List<String> notes, ProgressListener progress, CancelToken cancel) {
        long t0 = nanoClock.getAsLong();
        long deadline = t0 + options.timeout().toNanos();
        TableVerifier verifier = new TableVerifier(source, options, nanoClock, deadline);
        if (keysOnly) {
            // Only the ledger's rows: a table it names nothing in is not compared, so not reported identical.
            tables = tables.stream().filter(t -> keysFirst.containsKey(t.table())).toList();
        }
        List<TableResult> results = new ArrayList<>(decided);
        long estimated = tables.stream().mapToLong(TableShape::estimatedRows).sum();
        long[] rowsDone = {0};
        int total = tables.size() + decided.size();
        for (TableShape table : tables) {
            TableResult r;
            try {
                int done = results.size();
                r = verifier.verify(table, keysFirst.getOrDefault(table.table(), List.of()), keysOnly, keysExact, cancel, rows -> {
                    rowsDone[0] += rows;
                    progress.progress(new VerifyProgress(done, total, rowsDone[0], estimated, table.table(),
                            Duration.ofNanos(nanoClock.getAsLong() - t0)));
                });
            } catch (RuntimeException e) {
                // A bug or a driver surprise on one table must not cost the verdicts on the others.
                r = TableResult.inconclusive(table.table(), InconclusiveReason.ERROR, String.valueOf(e.getMessage()),
                        0, 0, List.of(), List.of(), Duration.ZERO);
            }
            results.add(r);
            progress.progress(new VerifyProgress(results.size(), total, rowsDone[0], estimated, null,
                    Duration.ofNanos(nanoClock.getAsLong() - t0)));
        }
        return new VerificationResult(cluster, source.nodes(), started, Duration.ofNanos(nanoClock.getAsLong() - t0),
                results, notes);
    }
}
