package io.mysqlresync.schedule;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.BotMetrics;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.IncidentTracker;
import io.mysqlresync.incident.VerificationOrder;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.DataVerifier;
import io.mysqlresync.verify.InconclusiveReason;
import io.mysqlresync.verify.ProgressListener;
import io.mysqlresync.verify.RowKey;
import io.mysqlresync.verify.TableRef;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.VerificationLog;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one verification the lifecycle ordered: the ledger's rows first when the diagnosis carried
 * a ledger, then every replicated table (or the configured include list); stores it with its
 * audit entry; hands the verdict to {@link IncidentLifecycle#verified}. Never throws: a
 * verification that fails is an inconclusive verdict, said as "not verified", never lost.
 */
final class Verifier {

    private static final Logger log = LoggerFactory.getLogger(Verifier.class);

    /**
     * Where the loss ledger's rows come from (the rows a crash may have cost one node). The seam
     * for the ledger: until a ledger is wired, none, and a full verification compares everything.
     */
    @FunctionalInterface
    interface LedgerKeys {
        LedgerKeys NONE = order -> LossLedger.NOT_READ;

        /** The ledger of the diagnosis the recovery was planned from; NOT_READ when there is none. */
        LossLedger ledger(VerificationOrder order);
    }

    /** The ledger's rows at risk, per table, as the verifier takes them. */
    static Map<TableRef, List<RowKey>> keys(LossLedger ledger) {
        Map<TableRef, List<RowKey>> out = new java.util.LinkedHashMap<>();
        ledger.keysAtRisk().forEach((table, keys) -> {
            int dot = table.indexOf('.');
            if (dot > 0 && !keys.isEmpty()) {
                out.put(new TableRef(table.substring(0, dot), table.substring(dot + 1)),
                        keys.stream().map(RowKey::new).toList());
            }
        });
        return out;
    }

    private final DataVerifier verifier;
    private final VerificationLog verifications;
    private final ClusterReader reader;
    private final Diagnoser diagnoser;
    private final IncidentLifecycle lifecycle;
    private final List<String> include;
    private final LedgerKeys ledger;
    private final Clock clock;
    private final BotMetrics metrics;

    Verifier(DataVerifier verifier, VerificationLog verifications, ClusterReader reader, Diagnoser diagnoser,
             IncidentLifecycle lifecycle, List<String> include, LedgerKeys ledger, Clock clock) {
        this(verifier, verifications, reader, diagnoser, lifecycle, include, ledger, clock, BotMetrics.NONE);
    }

    Verifier(DataVerifier verifier, VerificationLog verifications, ClusterReader reader, Diagnoser diagnoser,
             IncidentLifecycle lifecycle, List<String> include, LedgerKeys ledger, Clock clock, BotMetrics metrics) {
        this.metrics = metrics;
        this.verifier = verifier;
        this.verifications = verifications;
        this.reader = reader;
        this.diagnoser = diagnoser;
        this.lifecycle = lifecycle;
        this.include = List.copyOf(include);
        this.ledger = ledger;
        this.clock = clock;
    }

    /** After a restart, how long replication may take to run again before the data is compared anyway. */
    static final Duration SETTLE_AFTER_RESTART = Duration.ofSeconds(60);

    void run(VerificationOrder order, CancelToken cancel) {
        if (order.reason() == VerificationOrder.Reason.RESTART && !awaitReplicationRunning(order.cluster(), cancel)) {
            lifecycle.verificationSkipped(order, "a recovery is under way, or replication did not run cleanly within "
                    + SETTLE_AFTER_RESTART.toSeconds() + " s of the restart; the incident's recovery verifies the data");
            return;
        }
        List<String> notes = new ArrayList<>();
        VerificationResult result;
        try {
            result = verifier.verify(order.cluster(), request(order, notes), ProgressListener.NONE, cancel);
        } catch (RuntimeException e) {
            log.error("{}: verification failed: {}", order.cluster(), e.toString(), e);
            result = failed(order, e);
        }
        if (!notes.isEmpty()) {
            List<String> all = new ArrayList<>(result.notes());
            all.addAll(notes);
            result = new VerificationResult(result.cluster(), result.nodes(), result.started(), result.took(),
                    result.tables(), all);
        }
        String id = VerificationLog.newId();
        String stored = "";
        try {
            verifications.record(id, "bot:" + order.reason().name().toLowerCase(), result);
            stored = id;
        } catch (RuntimeException e) {
            log.warn("{}: the verification was not stored: {}", order.cluster(), e.toString(), e);
        }
        try {
            // The per-cluster gauge: last verification identical or not, rows differing.
            metrics.verified(order.cluster(), result.verdict() == io.mysqlresync.verify.TableVerdict.IDENTICAL,
                    result.differences().size());
        } catch (RuntimeException e) {
            log.warn("{}: metrics: {}", order.cluster(), e.toString());
        }
        Diagnosis d = null;
        try {
            d = diagnoser.diagnose(reader.read(order.cluster()));
        } catch (RuntimeException e) {
            log.warn("{}: could not read the cluster for the verdict's alert: {}", order.cluster(), e.toString());
        }
        lifecycle.verified(order, result, d, stored);
    }

    /**
     * A node just restarted: its threads and its peer's IO thread reconnect within seconds.
     * Comparing before that would leave differing rows unsettled (neither node can apply the
     * other's position), so wait for a pair with no problem showing, within a bound.
     */
    private boolean awaitReplicationRunning(String cluster, CancelToken cancel) {
        long until = System.nanoTime() + SETTLE_AFTER_RESTART.toNanos();
        while (System.nanoTime() < until && !cancel.isCancelled()) {
            if (lifecycle.openIncident(cluster).filter(i -> i.state().inRecovery()).isPresent()) {
                // A recovery is under way: it verifies the data when replication caught up.
                return false;
            }
            try {
                if (IncidentTracker.problemKey(diagnoser.diagnose(reader.read(cluster)), List.of()).isEmpty()) {
                    return true;
                }
            } catch (RuntimeException e) {
                log.debug("{}: not readable yet after the restart: {}", cluster, e.toString());
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private VerifyRequest request(VerificationOrder order, List<String> notes) {
        LossLedger l = order.reason() == VerificationOrder.Reason.RECOVERY ? ledger.ledger(order) : LossLedger.NOT_READ;
        Map<TableRef, List<RowKey>> keys = keys(l);
        List<String> tables = order.tables().isEmpty() ? include : order.tables();
        if (!keys.isEmpty()) {
            log.info("{}: comparing the loss ledger's rows first: {}", order.cluster(), keys.keySet());
            notes.add("the loss ledger's rows were compared first: " + keys.values().stream().mapToInt(List::size).sum()
                    + " row(s) in " + keys.keySet().stream().map(TableRef::toString).toList());
        }
        if (order.scope() == VerificationOrder.Scope.LEDGER) {
            if (!keys.isEmpty() && !l.needsFullCheck()) {
                return new VerifyRequest(tables, keys, true);
            }
            notes.add("verify.afterRecovery is ledger, but " + (keys.isEmpty() ? "no loss ledger with row keys was read"
                    + " for this incident" : "the ledger could not name every row at risk")
                    + ": every table was compared instead");
        }
        return new VerifyRequest(tables, keys, false);
    }

    private VerificationResult failed(VerificationOrder order, RuntimeException e) {
        return new VerificationResult(order.cluster(), List.of(), clock.instant(), Duration.ZERO,
                List.of(TableResult.inconclusive(new TableRef("*", "*"), InconclusiveReason.ERROR,
                        String.valueOf(e.getMessage()), 0, 0, List.of(), List.of(), Duration.ZERO)), List.of());
    }
}
