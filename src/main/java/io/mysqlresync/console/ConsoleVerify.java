package io.mysqlresync.console;

import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.DataVerifier;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.VerificationLog;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyProgress;
import io.mysqlresync.verify.VerifyRequest;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code verify <cluster> [schema[.table] ...]} in terminal mode: a progress bar redrawn on one
 * line, then the verdict with the differing rows and both nodes' values; stored with its audit
 * entry like every verification, so {@code history} shows it.
 */
public final class ConsoleVerify {

    static final int ROWS_SHOWN = 50;

    private final DataVerifier verifier;
    private final VerificationLog verifications;

    /** An identical result closes the cluster's drift incident (see IncidentLifecycle.closeDriftIfIdentical). */
    private volatile java.util.function.BiFunction<VerificationResult, String,
            java.util.Optional<io.mysqlresync.incident.Incident>> closesDrift = (r, u) -> java.util.Optional.empty();

    public ConsoleVerify closesDrift(java.util.function.BiFunction<VerificationResult, String,
            java.util.Optional<io.mysqlresync.incident.Incident>> hook) {
        this.closesDrift = hook;
        return this;
    }

    public ConsoleVerify(DataVerifier verifier, VerificationLog verifications) {
        this.verifier = verifier;
        this.verifications = verifications;
    }

    /** @throws IllegalArgumentException for an unknown schema or table, with what exists */
    VerificationResult run(String cluster, List<String> tables, String user, PrintStream out) {
        long[] last = {0};
        VerificationResult r = verifier.verify(cluster, VerifyRequest.of(tables), p -> {
            long now = System.nanoTime();
            if (now - last[0] > 250_000_000L) {
                last[0] = now;
                synchronized (out) {
                    out.print("\r" + bar(p) + " " + p.line() + "   ");
                    out.flush();
                }
            }
        }, CancelToken.none());
        synchronized (out) {
            if (last[0] != 0) {
                out.print("\r" + " ".repeat(100) + "\r");
            }
        }
        String id = VerificationLog.newId();
        try {
            verifications.record(id, user, r);
        } catch (RuntimeException e) {
            out.println("note: this verification was not stored in the state database: " + e.getMessage());
        }
        try {
            closesDrift.apply(r, user).ifPresent(i -> out.println(r.cluster() + " is back in sync with identical data: "
                    + r.headline() + "; drift incident " + i.id() + " closed."));
        } catch (RuntimeException e) {
            out.println("note: the drift incident was not closed: " + e.getMessage());
        }
        return r;
    }

    /** "[#####.....] 50%" by rows, or by tables while the row count is unknown. */
    static String bar(VerifyProgress p) {
        double done = p.rowsEstimated() > 0 ? Math.min(1.0, (double) p.rowsDone() / p.rowsEstimated())
                : p.tablesTotal() == 0 ? 0 : (double) p.tablesDone() / p.tablesTotal();
        int filled = (int) Math.round(done * 20);
        return "[" + "#".repeat(filled) + ".".repeat(20 - filled) + "] " + Math.round(done * 100) + "%";
    }

    static String text(VerificationResult r) {
        StringBuilder out = new StringBuilder();
        out.append(r.cluster()).append(": ").append(r.headline())
                .append(String.format(" in %.1f s%n", r.took().toMillis() / 1000.0));
        for (TableResult t : r.tables()) {
            out.append("  ").append(t.summary()).append('\n');
            t.notes().forEach(n -> out.append("      note: ").append(n).append('\n'));
        }
        List<RowDifference> diffs = r.differences();
        if (!diffs.isEmpty()) {
            out.append("Rows that differ (").append(diffs.size()).append("):\n");
            diffs.stream().limit(ROWS_SHOWN).forEach(d -> out.append("  ").append(d.describe()).append('\n'));
            if (diffs.size() > ROWS_SHOWN) {
                out.append("  ... and ").append(diffs.size() - ROWS_SHOWN).append(" more (verify --json lists every row)\n");
            }
        }
        r.notes().forEach(n -> out.append("note: ").append(n).append('\n'));
        return out.toString();
    }
}
