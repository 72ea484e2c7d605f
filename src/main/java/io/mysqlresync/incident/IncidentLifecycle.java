package io.mysqlresync.incident;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.audit.CrashSafety;
import io.mysqlresync.audit.FixAdvice;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.recovery.PlanOption;
import io.mysqlresync.recovery.StatementOutcome;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every move of an incident and of a plan, with its audit entry and its notification: the one
 * place that changes their state. The monitor, the lag watch, the Slack and terminal
 * conversations and the app only call it.
 *
 * <p>The allowed moves are the two tables below ({@link IncidentMove}, {@link PlanMove}); a new
 * state is one enum entry in {@link IncidentState} or {@link PlanState} plus its rows here. The
 * store's compare-and-set guards stay the arbiter: of two replicas making the same move, one
 * wins and only the winner speaks, so a problem is alerted once and a plan runs once.
 *
 * <p>Stateless apart from its ports, so one per process part (conversation, scheduler) is fine:
 * all state is in the store.
 */
public final class IncidentLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IncidentLifecycle.class);

    /** Every move an incident can make: from which states, to which, and what the audit calls it. */
    public enum IncidentMove {
        /** The monitor saw a new problem (from no open incident). */
        ALERT(EnumSet.noneOf(IncidentState.class), IncidentState.OPEN, "alert"),
        /**
         * The problem changed: the alert is updated, not repeated. A drift incident whose cluster's
         * replication now breaks becomes a replication incident again (its recovery verifies again).
         */
        ALERT_UPDATE(EnumSet.of(IncidentState.OPEN, IncidentState.DRIFT_FOUND), IncidentState.OPEN, "alert-update"),
        /** The problem went away without a recovery. */
        CLEAR(EnumSet.of(IncidentState.OPEN), IncidentState.CLEARED, "alert-cleared"),
        /** A plan was approved, or a lag watch started: the recovery owns the incident now. */
        RECOVER(EnumSet.of(IncidentState.OPEN), IncidentState.CATCHING_UP, ""),
        /** The recovery did not run to the end: the monitor owns the incident again. */
        RECOVERY_FAILED(EnumSet.of(IncidentState.CATCHING_UP), IncidentState.OPEN, ""),
        /** A recovering incident whose lag watch is gone: the monitor takes it back. */
        WATCH_LOST(EnumSet.of(IncidentState.CATCHING_UP), IncidentState.OPEN, ""),
        /** Recovery ran and replication caught up on every node (before data verification; kept for old rows). */
        IN_SYNC(EnumSet.of(IncidentState.OPEN, IncidentState.CATCHING_UP), IncidentState.IN_SYNC, "in-sync"),
        /** Replication caught up: the nodes' data is compared before anything is called in sync. */
        VERIFY(EnumSet.of(IncidentState.OPEN, IncidentState.CATCHING_UP), IncidentState.VERIFYING, "verify-start"),
        /** Replication back and every compared table identical on both nodes. Closes the incident. */
        IDENTICAL(EnumSet.of(IncidentState.VERIFYING, IncidentState.DRIFT_FOUND), IncidentState.IDENTICAL,
                "verified-identical"),
        /**
         * An approved repair ran and the repaired rows verified identical on both nodes, covering
         * every table the drift incident names. Closes the incident.
         */
        REPAIRED(EnumSet.of(IncidentState.DRIFT_FOUND), IncidentState.IDENTICAL, "repaired-identical"),
        /** Rows differ between the nodes after the recovery: stays open, a repair is next. */
        DRIFT(EnumSet.of(IncidentState.VERIFYING, IncidentState.OPEN), IncidentState.DRIFT_FOUND, "drift-found"),
        /** A restart or the scheduled check found rows that differ on a cluster with no open incident. */
        DRIFT_ALERT(EnumSet.noneOf(IncidentState.class), IncidentState.DRIFT_FOUND, "drift-alert"),
        /** A later check found drift in more tables: the drift alert is updated, once per new table. */
        DRIFT_UPDATE(EnumSet.of(IncidentState.DRIFT_FOUND), IncidentState.DRIFT_FOUND, "drift-update"),
        /**
         * Replication back, data not verified: the check is off, did not finish or could not settle.
         * Closes the incident with a message saying so, never "in sync".
         */
        UNVERIFIED(EnumSet.of(IncidentState.OPEN, IncidentState.CATCHING_UP, IncidentState.VERIFYING),
                IncidentState.UNVERIFIED, "unverified"),
        /** A verifying incident whose verification job is gone: started again, said in its thread. */
        VERIFICATION_LOST(EnumSet.of(IncidentState.VERIFYING), IncidentState.VERIFYING, "verify-restart");

        final Set<IncidentState> from;
        final IncidentState to;
        final String auditAction;

        IncidentMove(Set<IncidentState> from, IncidentState to, String auditAction) {
            this.from = from;
            this.to = to;
            this.auditAction = auditAction;
        }

        public boolean allowedFrom(IncidentState state) {
            return from.contains(state);
        }
    }

    /** Every move a plan can make. Only PROPOSED moves on by a person's decision, and only once. */
    public enum PlanMove {
        APPROVE(PlanState.PROPOSED, PlanState.EXECUTING),
        REJECT(PlanState.PROPOSED, PlanState.REJECTED),
        EXPIRE(PlanState.PROPOSED, PlanState.EXPIRED),
        SUCCEED(PlanState.EXECUTING, PlanState.SUCCEEDED),
        FAIL(PlanState.EXECUTING, PlanState.FAILED),
        /** The servers changed since the plan was made: nothing was run. */
        GO_STALE(PlanState.EXECUTING, PlanState.STALE),
        /** The replica running it is gone (no heartbeat): what ran stays run, nothing runs again. */
        INTERRUPT(PlanState.EXECUTING, PlanState.INTERRUPTED);

        final PlanState from;
        final PlanState to;

        PlanMove(PlanState from, PlanState to) {
            this.from = from;
            this.to = to;
        }
    }

    /** Where lag watches run (the scheduler): follows a watch the lifecycle has just stored. */
    @FunctionalInterface
    public interface LagWatches {
        void follow(LagWatch watch);
    }

    /** For a conversation part, which never schedules watches. */
    private static final LagWatches NO_WATCHES = w -> {
        throw new IllegalStateException("this part of the bot does not run lag watches");
    };

    /** Where verifications run (the scheduler): one per cluster at a time, kept in the job store. */
    public interface Verifications {
        /** Schedules the verification; false when one of the cluster is already scheduled or running. */
        boolean start(VerificationOrder order);

        /** Whether a verification of the cluster is scheduled or running. */
        boolean running(String cluster);
    }

    /** What is compared once replication caught up after a recovery (setting verify.afterRecovery). */
    public enum AfterRecovery { FULL, LEDGER, OFF }

    private final ResyncStore store;
    private final Notifier notifier;
    private final Clock clock;
    private final LagWatches watches;
    /** Null until {@link #verifyWith}: then replication catching up is said "not verified". */
    private volatile Verifications verifications;
    private volatile AfterRecovery afterRecovery = AfterRecovery.OFF;
    /**
     * The crash-safety audit, when wired: alerts name the settings that explain them, and the end
     * of a recovery recommends the fixes.
     */
    private volatile CrashSafety crashSafety;

    public IncidentLifecycle(ResyncStore store, Notifier notifier, Clock clock, LagWatches watches) {
        this.store = store;
        this.notifier = notifier;
        this.clock = clock;
        this.watches = watches;
    }

    /**
     * For the conversation: plan moves and the incident moves of a recovery, which notify nobody
     * (the channel renders the outcome). The monitor's and lag watch's moves need
     * {@link #IncidentLifecycle(ResyncStore, Notifier, Clock, LagWatches)}.
     */
    public static IncidentLifecycle forConversation(ResyncStore store, Clock clock) {
        return new IncidentLifecycle(store, null, clock, NO_WATCHES);
    }

    /** Verifies the data after recoveries and restarts ({@code mode} OFF: after restarts only). */
    public void verifyWith(Verifications v, AfterRecovery mode) {
        this.verifications = v;
        this.afterRecovery = mode;
    }

    private Notifier notifier() {
        if (notifier == null) {
            throw new IllegalStateException("this part of the bot does not notify: alerts and progress are "
                    + "the scheduler's");
        }
        return notifier;
    }

    /**
     * Explain alerts by the settings that made them happen, and after each recovery recommend the
     * fixes of the audit's problems in the watch's thread.
     */
    public void auditWith(CrashSafety crashSafety) {
        this.crashSafety = crashSafety;
    }

    public Optional<Incident> openIncident(String cluster) {
        return store.openIncident(cluster);
    }

    // ---- incidents, as the monitor sees them ---------------------------------------------

    /**
     * Opens the incident unless the cluster has one, audits it and posts its alert. False when
     * another replica opened it first: that one alerts, this one stays quiet.
     */
    public boolean open(Incident incident, Diagnosis d) {
        check(IncidentMove.ALERT, null, incident.state());
        if (!store.openIncidentIfNone(incident)) {
            return false;
        }
        audit(incident, IncidentMove.ALERT.auditAction, incident.headline());
        announce(incident, d);
        return true;
    }

    /**
     * Posts the alert of an incident whose last attempt failed (Slack down, say); true when it
     * did, so the caller reads the incident again with its message ref.
     */
    public boolean announcePending(Optional<Incident> open, Diagnosis d) {
        Optional<String> pending = store.pendingAlert(d.cluster());
        if (pending.isEmpty()) {
            return false;
        }
        if (open.isPresent() && open.get().id().equals(pending.get()) && open.get().state() == IncidentState.OPEN) {
            Instant now = clock.instant();
            if (!store.claimPendingAlert(d.cluster(), pending.get(), now, now.plus(ALERT_CLAIM))) {
                // Another replica is posting it right now (its poll came an interval earlier).
                return false;
            }
            log.info("posting the alert for incident {} on {} again: the last attempt failed", pending.get(), d.cluster());
            post(open.get(), d);
            return true;
        }
        store.clearPendingAlert(d.cluster());
        return false;
    }

    /**
     * How long a replica posting an alert holds it: a poll on another replica meanwhile (the
     * shard moved) leaves it alone. A replica that dies mid-post leaves it to be posted again
     * after this; one whose post fails gives it back at once.
     */
    public static final Duration ALERT_CLAIM = Duration.ofSeconds(30);

    /** The pending mark is set before posting, so an alert that fails to post is posted by the next poll. */
    private void announce(Incident incident, Diagnosis d) {
        store.setPendingAlert(incident.cluster(), incident.id(), clock.instant().plus(ALERT_CLAIM));
        post(incident, d);
    }

    private void post(Incident incident, Diagnosis d) {
        MessageRef ref;
        try {
            ref = notifier().incidentOpened(incident, explained(d));
        } catch (RuntimeException e) {
            store.setPendingAlert(incident.cluster(), incident.id(), null); // the next poll, anywhere, tries again
            throw e;
        }
        store.clearPendingAlert(incident.cluster());
        // Not a state move: a lost race (the incident moved on meanwhile) only loses the ref.
        if (!store.updateIncident(incident.withMessage(ref.channel(), ref.ts()), incident.state())) {
            log.info("incident {} on {} moved on before its alert's message could be saved", incident.id(),
                    incident.cluster());
        }
    }

    /** The diagnosis with the settings that explain it, when the audit is wired; never fails for them. */
    private Diagnosis explained(Diagnosis d) {
        CrashSafety audit = crashSafety;
        return audit == null ? d : audit.explain(d);
    }

    /** The problem changed: one update of the alert. */
    public boolean update(Incident stored, Incident changed, Diagnosis d) {
        if (!move(IncidentMove.ALERT_UPDATE, stored, changed)) {
            return false;
        }
        audit(changed, IncidentMove.ALERT_UPDATE.auditAction, changed.headline());
        notifier().incidentChanged(changed, explained(d));
        return true;
    }

    /** The problem went away by itself: said once. */
    public boolean clear(Incident stored, Incident cleared, Diagnosis d) {
        if (!move(IncidentMove.CLEAR, stored, cleared)) {
            return false;
        }
        audit(cleared, IncidentMove.CLEAR.auditAction, d.headline());
        notifier().incidentCleared(cleared, d);
        return true;
    }

    /** How long a recovering incident may go without a lag watch: covers a recovery still executing. */
    public static final Duration WATCH_GRACE = Duration.ofMinutes(2);

    /**
     * A recovering incident is the lag watch's; if the watch is gone (its job was lost with a
     * replica's database, or never started) the monitor takes the incident back rather than
     * staying quiet for ever. Returns the cluster's open incident as it is now.
     */
    public Optional<Incident> takeBackIfWatchLost(Optional<Incident> open) {
        if (open.isEmpty() || open.get().state() != IncidentState.CATCHING_UP) {
            return open;
        }
        Incident i = open.get();
        if (store.watch(i.cluster()).isPresent()
                || Duration.between(i.updatedAt(), clock.instant()).compareTo(WATCH_GRACE) < 0) {
            return open;
        }
        log.warn("incident {} on {} is recovering but has no lag watch: the monitor takes it back", i.id(), i.cluster());
        move(IncidentMove.WATCH_LOST, i, i.with(IncidentState.OPEN, i.problemKey(), i.headline(), clock.instant()));
        return store.openIncident(i.cluster());
    }

    // ---- recovery and lag watches ----------------------------------------------------------

    /**
     * A plan was approved: from here the recovery owns the incident, so a monitor poll between
     * START SLAVE and the lag watch does not announce that the problem "went away by itself".
     * True when the cluster's open incident moved to CATCHING_UP.
     */
    public boolean recoveryStarted(String cluster) {
        return moveOpen(cluster, IncidentMove.RECOVER);
    }

    /** The recovery stopped short: the monitor owns the incident again. */
    public void recoveryFailed(String cluster) {
        moveOpen(cluster, IncidentMove.RECOVERY_FAILED);
    }

    private boolean moveOpen(String cluster, IncidentMove m) {
        return store.openIncident(cluster).filter(i -> m.allowedFrom(i.state()))
                .map(i -> move(m, i, i.with(m.to, i.problemKey(), i.headline(), clock.instant())))
                .orElse(false);
    }

    /** A recovery ran: watch the lag in the plan's channel and thread, tied to the open incident. */
    public LagWatch recoveryRan(ProposedPlan plan) {
        return startWatch(plan.cluster(), plan.channel(), plan.messageTs(),
                store.openIncident(plan.cluster()).map(Incident::id).orElse(""));
    }

    /** A person asked to watch the lag: audited, then watched like after a recovery. */
    public LagWatch watchRequested(String cluster, String channel, String threadTs, String requestedBy) {
        String incident = store.openIncident(cluster).map(Incident::id).orElse("");
        store.audit(new AuditEntry(clock.instant(), cluster, "", requestedBy, "watch",
                "lag watch requested" + (incident.isEmpty() ? "" : " for incident " + incident)));
        return startWatch(cluster, channel, threadTs, incident);
    }

    /**
     * Stores a new lag watch of the cluster (replacing a running one) and has it followed. The
     * incident, when given and still open, becomes CATCHING_UP, which keeps the monitor from
     * alerting about lag the watch is already showing.
     */
    public LagWatch startWatch(String cluster, String channel, String threadTs, String incidentId) {
        // Millisecond precision: the watch is named by its start time, as the store keeps it.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        LagWatch started = LagWatch.start(cluster, channel, threadTs, now, incidentId);
        store.saveWatch(started);
        LagWatch watch = store.watch(cluster).orElse(started);
        if (incidentId != null && !incidentId.isEmpty()) {
            store.openIncident(cluster).filter(i -> i.id().equals(incidentId))
                    .filter(i -> IncidentMove.RECOVER.allowedFrom(i.state()))
                    .ifPresent(i -> move(IncidentMove.RECOVER, i,
                            i.with(IncidentState.CATCHING_UP, i.problemKey(), i.headline(), clock.instant())));
        }
        watches.follow(watch);
        return watch;
    }

    /**
     * Recovery ran and replication caught up: every node has both threads running and no lag for
     * enough checks in a row. The watch ends here. Caught-up replication is not yet "in sync": the
     * incident moves to VERIFYING and a verification of the data starts; its verdict
     * ({@link #verified}) closes the incident. With verification off (or not wired) the incident
     * closes UNVERIFIED, and the thread says plainly that the data was not compared.
     */
    public void replicationCaughtUp(LagWatch watch, Diagnosis d) {
        Instant now = clock.instant();
        String caughtUp = "Replication is back: every node has both replication threads running and 0 s lag, "
                + watch.inSyncStreak() + " checks in a row.";
        Optional<Incident> incident = watch.incidentId().isEmpty() ? Optional.empty()
                : store.openIncident(watch.cluster()).filter(i -> i.id().equals(watch.incidentId()));
        Verifications v = verifications;
        AfterRecovery mode = afterRecovery;
        store.audit(new AuditEntry(now, watch.cluster(), "", "bot", "caught-up",
                "lag watch over after " + Durations.words(Duration.between(watch.startedAt(), now))
                        + (watch.incidentId().isEmpty() ? "" : "; incident " + watch.incidentId())));
        store.deleteWatch(watch.cluster(), watch.startedAt());
        if (v == null || mode == AfterRecovery.OFF) {
            String why = v == null ? "no data verification is configured in this bot"
                    : "verify.afterRecovery is off";
            notVerified(watch, incident, d, caughtUp + " The data was NOT verified (" + why + "): the nodes may"
                    + " still hold different rows. `verify " + watch.cluster() + "` compares them.", why);
            recommendFixes(watch);
            return;
        }
        VerificationOrder order = new VerificationOrder(watch.cluster(), VerificationOrder.Reason.RECOVERY,
                mode == AfterRecovery.LEDGER ? VerificationOrder.Scope.LEDGER : VerificationOrder.Scope.FULL,
                watch.incidentId(), watch.channel(), watch.messageTs(), watch.threadTs(), List.of(), "bot", now);
        incident.filter(i -> IncidentMove.VERIFY.allowedFrom(i.state())).ifPresent(i -> {
            Incident verifying = i.with(IncidentState.VERIFYING, i.problemKey(),
                    "verifying the data: " + i.headline(), now);
            if (move(IncidentMove.VERIFY, i, verifying)) {
                audit(verifying, IncidentMove.VERIFY.auditAction, "replication caught up; comparing the data ("
                        + mode.name().toLowerCase() + ")");
                tellAlert(verifying, d);
            }
        });
        milestone(watch, caughtUp + " Now comparing the data on both nodes ("
                + (mode == AfterRecovery.LEDGER ? "the rows the loss ledger names" : "every replicated table")
                + "); the verdict follows here.");
        recommendFixes(watch);
        try {
            if (!v.start(order)) {
                log.info("{}: a verification is already running; it decides incident {}", watch.cluster(),
                        watch.incidentId());
            }
        } catch (RuntimeException e) {
            log.error("{}: could not start the verification after the recovery: {}", watch.cluster(), e.toString(), e);
            String why = "the verification could not be started: " + e.getMessage();
            notVerified(watch, store.openIncident(watch.cluster()).filter(i -> i.id().equals(watch.incidentId())), d,
                    "The data was NOT verified (" + why + "). `verify " + watch.cluster() + "` compares the nodes.",
                    why);
        }
    }

    private void notVerified(LagWatch watch, Optional<Incident> incident, Diagnosis d, String line, String why) {
        Instant now = clock.instant();
        milestone(watch, line);
        incident.filter(i -> IncidentMove.UNVERIFIED.allowedFrom(i.state())).ifPresent(i -> {
            Incident done = i.with(IncidentState.UNVERIFIED, i.problemKey(),
                    "replication back, data not verified: " + why, now);
            if (move(IncidentMove.UNVERIFIED, i, done)) {
                audit(done, IncidentMove.UNVERIFIED.auditAction, why);
                tellAlert(done, d);
            }
        });
    }

    /**
     * A verification ended (or could not run): its verdict moves the incidents and is said.
     * After a recovery: the incident closes IDENTICAL, stays open DRIFT_FOUND, or closes
     * UNVERIFIED, and the lag watch's thread gets one line saying which. After a restart or the
     * scheduled check: drift raises an alert, once per table (a table already in the cluster's
     * drift alert is not alerted again); an identical full check closes a drift alert.
     *
     * @param d the cluster as read after the verification, for the alert; null when it could not be read
     */
    public void verified(VerificationOrder order, VerificationResult r, Diagnosis d) {
        verified(order, r, d, "");
    }

    /**
     * As {@link #verified(VerificationOrder, VerificationResult, Diagnosis)}, the result stored as
     * {@code verificationId} (empty: not stored): drift after a recovery offers its repair plan
     * in the recovery's thread, after the verdict line.
     */
    public void verified(VerificationOrder order, VerificationResult r, Diagnosis d, String verificationId) {
        Instant now = clock.instant();
        TableVerdict verdict = r.verdict();
        String line = verdictLine(r);
        Optional<Incident> open = store.openIncident(order.cluster());
        if (order.reason() == VerificationOrder.Reason.RECOVERY) {
            // The incident moves before the thread hears: whoever reads the verdict finds the state it names.
            boolean drifted = false;
            Optional<Incident> mine = open.filter(i -> i.id().equals(order.incidentId()))
                    .filter(i -> i.state() == IncidentState.VERIFYING);
            if (mine.isPresent()) {
                Incident i = mine.get();
                IncidentMove m = switch (verdict) {
                    case IDENTICAL -> IncidentMove.IDENTICAL;
                    case DIFFERS -> IncidentMove.DRIFT;
                    case INCONCLUSIVE -> IncidentMove.UNVERIFIED;
                };
                String key = verdict == TableVerdict.DIFFERS ? driftKey(r, "") : i.problemKey();
                Incident next = i.with(m.to, key, line, now);
                if (move(m, i, next)) {
                    audit(next, m.auditAction, r.headline());
                    tellAlert(next, d);
                    drifted = m == IncidentMove.DRIFT;
                }
            }
            milestone(order.thread(), line);
            if (drifted && !verificationId.isEmpty()) {
                offerRepair(order, verificationId);
            }
            return;
        }
        if (verdict == TableVerdict.DIFFERS) {
            driftAlert(order, r, open, d, line, now);
        } else if (verdict == TableVerdict.IDENTICAL && order.tables().isEmpty()) {
            open.filter(i -> i.state() == IncidentState.DRIFT_FOUND).ifPresent(i -> {
                Incident next = i.with(IncidentState.IDENTICAL, i.problemKey(), line, now);
                if (move(IncidentMove.IDENTICAL, i, next)) {
                    audit(next, IncidentMove.IDENTICAL.auditAction, r.headline() + " (" + reasonWords(order) + ")");
                    tellAlert(next, d);
                }
            });
        } else {
            log.info("{}: {} verification: {}", order.cluster(), reasonWords(order), r.headline());
        }
    }

    /**
     * The loss ledger of the plan that recovered incident {@code incidentId} (any open incident
     * when empty): the newest plan executed on the cluster since the incident opened. NOT_READ when
     * there is none. Its rows are verified first, and it suggests the source of truth of a repair.
     */
    public static LossLedger recoveryLedger(ResyncStore store, String cluster, String incidentId) {
        Optional<Instant> opened = store.openIncident(cluster)
                .filter(i -> incidentId == null || incidentId.isEmpty() || i.id().equals(incidentId))
                .map(Incident::openedAt);
        if (opened.isEmpty()) {
            return LossLedger.NOT_READ;
        }
        return store.history(cluster, 200).stream()
                .filter(e -> e.action().equals("executed") && !e.planId().isEmpty() && !e.at().isBefore(opened.get()))
                .findFirst()
                .flatMap(e -> store.plan(e.planId()))
                .map(p -> p.plan().diagnosis().ledger())
                .orElse(LossLedger.NOT_READ);
    }

    /**
     * A check outside the scheduler (a repair's verification of its rows, or {@code verify} run by
     * a person) found the data identical: the cluster's drift incident closes IDENTICAL when every
     * table it names was compared and found identical. Returns the closed incident, or empty when
     * nothing closed (no drift incident, a table it names not compared, another replica first).
     */
    public Optional<Incident> closeDriftIfIdentical(String cluster, VerificationResult r, boolean byRepair,
                                                    String by) {
        if (r.verdict() != TableVerdict.IDENTICAL) {
            return Optional.empty();
        }
        Optional<Incident> open = store.openIncident(cluster).filter(i -> i.state() == IncidentState.DRIFT_FOUND);
        if (open.isEmpty()) {
            return Optional.empty();
        }
        Incident i = open.get();
        Set<String> compared = new TreeSet<>();
        r.tables().stream().filter(t -> t.verdict() == TableVerdict.IDENTICAL).forEach(t -> compared.add(t.table().toString()));
        for (String p : i.problemKey().split(",")) {
            if (p.startsWith("drift:") && !compared.contains(p.substring("drift:".length()))) {
                log.info("{}: identical, but {} of incident {} was not compared: it stays open", cluster, p, i.id());
                return Optional.empty();
            }
        }
        IncidentMove m = byRepair ? IncidentMove.REPAIRED : IncidentMove.IDENTICAL;
        Incident next = i.with(IncidentState.IDENTICAL, i.problemKey(), "Back in sync with identical data: "
                + r.headline() + ".", clock.instant());
        if (!move(m, i, next)) {
            return Optional.empty();
        }
        store.audit(new AuditEntry(clock.instant(), cluster, "", by, m.auditAction, i.id() + ": " + r.headline()
                + (byRepair ? " (the repaired rows, verified again)" : " (verify by " + by + ")")));
        return Optional.of(next);
    }

    /** Only the replica whose move won says it, so the repair plan is posted once. */
    private void offerRepair(VerificationOrder order, String verificationId) {
        try {
            notifier().repairNeeded(order.thread(), verificationId,
                    order.requestedBy() == null || order.requestedBy().isEmpty() ? "bot" : order.requestedBy());
        } catch (RuntimeException e) {
            log.warn("{}: could not offer the repair of verification {}: {}", order.cluster(), verificationId,
                    e.toString(), e);
        }
    }

    private void driftAlert(VerificationOrder order, VerificationResult r, Optional<Incident> open, Diagnosis d,
                            String line, Instant now) {
        if (open.isEmpty()) {
            Incident drift = new Incident(newIncidentId(), order.cluster(), IncidentState.DRIFT_FOUND,
                    driftKey(r, ""), line + " (found by the " + reasonWords(order) + ")", now, now, "", "");
            if (store.openIncidentIfNone(drift)) {
                audit(drift, IncidentMove.DRIFT_ALERT.auditAction, r.headline());
                if (d != null) {
                    announce(drift, d);
                }
            }
            return;
        }
        Incident i = open.get();
        if (i.state() == IncidentState.OPEN && IncidentTracker.onlyRestarts(i.problemKey())) {
            // The restart's own alert: it becomes the drift alert rather than clearing at the next poll.
            Incident next = i.with(IncidentState.DRIFT_FOUND, driftKey(r, ""), line + " (found by the "
                    + reasonWords(order) + ")", now);
            if (move(IncidentMove.DRIFT, i, next)) {
                audit(next, IncidentMove.DRIFT.auditAction, r.headline());
                tellAlert(next, d);
            }
            return;
        }
        if (i.state() != IncidentState.DRIFT_FOUND) {
            // A replication incident is open: its recovery verifies the data when it is done.
            log.info("{}: {} verification found drift while incident {} is {}: left to that incident ({})",
                    order.cluster(), reasonWords(order), i.id(), i.state(), r.headline());
            return;
        }
        String key = driftKey(r, i.problemKey());
        if (key.equals(i.problemKey())) {
            log.info("{}: drift in tables already alerted by incident {}: {}", order.cluster(), i.id(), r.headline());
            return;
        }
        Incident next = i.with(IncidentState.DRIFT_FOUND, key, line + " (found by the " + reasonWords(order) + ")", now);
        if (move(IncidentMove.DRIFT_UPDATE, i, next)) {
            audit(next, IncidentMove.DRIFT_UPDATE.auditAction, "new tables: " + r.headline());
            tellAlert(next, d);
        }
    }

    /** "drift:shop.orders,drift:shop.items": one entry per table ever alerted by this incident. */
    static String driftKey(VerificationResult r, String before) {
        TreeSet<String> parts = new TreeSet<>();
        if (!before.isEmpty()) {
            for (String p : before.split(",")) {
                if (p.startsWith("drift:")) {
                    parts.add(p);
                }
            }
        }
        for (TableResult t : r.tables()) {
            if (t.verdict() == TableVerdict.DIFFERS || !t.differences().isEmpty()) {
                parts.add("drift:" + t.table());
            }
        }
        return String.join(",", parts);
    }

    /**
     * The one line that says what was verified. Identical: "Back in sync: replication running,
     * 0 s lag, 14 tables (2,100,000 rows) identical". Otherwise it never says in sync.
     */
    public static String verdictLine(VerificationResult r) {
        return switch (r.verdict()) {
            case IDENTICAL -> "Back in sync: replication running, 0 s lag, " + r.headline() + ".";
            case DIFFERS -> "Replication is back, but " + r.headline() + ". " + r.differences().stream().limit(5)
                    .map(x -> x.describe()).reduce((a, b) -> a + "; " + b).map(s -> s + ".").orElse("")
                    + " The nodes are NOT in sync: a repair is next.";
            case INCONCLUSIVE -> "Replication is back, but the data was NOT verified: " + r.headline() + ". "
                    + r.tables().stream().filter(t -> t.verdict() == TableVerdict.INCONCLUSIVE).limit(3)
                    .map(TableResult::summary).reduce((a, b) -> a + "; " + b).orElse("")
                    + ". Do not treat the nodes as in sync until a verification says identical.";
        };
    }

    private static String reasonWords(VerificationOrder order) {
        return switch (order.reason()) {
            case RECOVERY -> "verification after the recovery";
            case RESTART -> "verification after a node restart";
            case SCHEDULE -> "scheduled verification";
        };
    }

    /** How long a verifying incident may go without its verification job: covers the moment it is scheduled. */
    public static final Duration VERIFICATION_GRACE = Duration.ofMinutes(2);

    /**
     * A verifying incident whose verification is gone (its job lost with an in-memory job store,
     * say) is verified again, and its alert's thread says so, instead of staying VERIFYING for ever.
     */
    public Optional<Incident> restartVerificationIfLost(Optional<Incident> open) {
        Verifications v = verifications;
        if (open.isEmpty() || open.get().state() != IncidentState.VERIFYING || v == null) {
            return open;
        }
        Incident i = open.get();
        if (v.running(i.cluster()) || Duration.between(i.updatedAt(), clock.instant()).compareTo(VERIFICATION_GRACE) < 0) {
            return open;
        }
        Instant now = clock.instant();
        Incident again = i.with(IncidentState.VERIFYING, i.problemKey(), i.headline(), now);
        if (!move(IncidentMove.VERIFICATION_LOST, i, again)) {
            return store.openIncident(i.cluster());
        }
        log.warn("incident {} on {} is verifying but its verification is gone: starting it again", i.id(), i.cluster());
        audit(again, IncidentMove.VERIFICATION_LOST.auditAction, "the verification job was gone; started again");
        VerificationOrder order = new VerificationOrder(i.cluster(), VerificationOrder.Reason.RECOVERY,
                afterRecovery == AfterRecovery.LEDGER ? VerificationOrder.Scope.LEDGER : VerificationOrder.Scope.FULL,
                i.id(), i.channel(), i.messageTs(), "", List.of(), "bot", now);
        milestone(order.thread(), "The verification of " + i.cluster() + " was lost (a bot replica stopped?): "
                + "starting it again.");
        v.start(order);
        return store.openIncident(i.cluster());
    }

    /**
     * The monitor saw nodes restart: a crash can cost rows on one node (a prepared transaction
     * rolled back) even when replication resumes with no error, so the data is compared, once per
     * restart, once replication runs again (see the verification's wait). A recovery under way
     * verifies anyway when it is done.
     */
    public void restartNoticed(String cluster, List<String> nodes) {
        Verifications v = verifications;
        if (v == null || nodes.isEmpty()) {
            return;
        }
        if (store.openIncident(cluster).filter(i -> i.state().inRecovery()).isPresent()) {
            log.info("{}: {} restarted during a recovery; the recovery verifies the data", cluster, nodes);
            return;
        }
        Instant now = clock.instant();
        store.audit(new AuditEntry(now, cluster, "", "bot", "verify-after-restart",
                "restarted: " + String.join(", ", nodes) + "; the data is compared once replication runs"));
        if (!v.start(new VerificationOrder(cluster, VerificationOrder.Reason.RESTART, VerificationOrder.Scope.FULL, "",
                "", "", "", List.of(), "bot", now))) {
            log.info("{}: a verification is already running; it covers the restart of {}", cluster, nodes);
        }
    }

    /**
     * A verification that did not run: after a restart, replication did not come back (that
     * incident's recovery verifies instead). Audited, so the trail says why there is no verdict.
     */
    public void verificationSkipped(VerificationOrder order, String why) {
        log.info("{}: {} not run: {}", order.cluster(), reasonWords(order), why);
        store.audit(new AuditEntry(clock.instant(), order.cluster(), "", "bot", "verify-skipped",
                reasonWords(order) + " not run: " + why));
    }

    /** The incident's alert redrawn; a failed update is logged, the move stands. */
    private void tellAlert(Incident i, Diagnosis d) {
        if (d == null || i.messageTs().isEmpty()) {
            return;
        }
        try {
            notifier().incidentChanged(i, d);
        } catch (RuntimeException e) {
            log.warn("incident {}: could not update its alert to {}: {}", i.id(), i.state(), e.toString(), e);
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final char[] ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();

    private static String newIncidentId() {
        StringBuilder sb = new StringBuilder("i-");
        for (int i = 0; i < 8; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    /**
     * The end of a recovery: once, in the watch's thread, the settings to fix so the next crash
     * costs less, with their statements. Nothing when every setting is fine or the audit is not
     * wired; a failed read is logged, never worth failing the end of the watch for.
     */
    void recommendFixes(LagWatch watch) {
        CrashSafety audit = crashSafety;
        if (audit == null) {
            return;
        }
        try {
            AuditReport report = audit.audit(watch.cluster());
            FixAdvice.afterRecovery(report).ifPresent(text -> {
                milestone(watch, text);
                store.audit(new AuditEntry(clock.instant(), watch.cluster(), "", "bot", "audit",
                        "fixes recommended after the recovery: " + report.problems().size() + " setting(s)"));
            });
        } catch (RuntimeException e) {
            log.warn("lag watch of {}: could not audit the settings after the recovery: {}", watch.cluster(),
                    e.toString(), e);
        }
    }

    /** A line in the watch's thread; a failed post is logged, not worth failing the watch for. */
    public void milestone(LagWatch watch, String text) {
        try {
            notifier().progressMilestone(watch, text);
        } catch (RuntimeException e) {
            log.warn("lag watch of {}: could not post \"{}\": {}", watch.cluster(), text, e.toString(), e);
        }
    }

    // ---- monitor shards ----------------------------------------------------------------------

    /**
     * A shard not polled within {@code limit} is announced late, and a late shard polled again
     * is announced back: each once, by whichever replica wins the store's compare-and-set, however
     * many replicas look. Returns the shards this call announced late.
     */
    public List<ShardPoll> checkShards(List<ShardPoll> polls, int shards, Duration limit) {
        Instant now = clock.instant();
        List<ShardPoll> late = new ArrayList<>();
        List<ShardPoll> back = new ArrayList<>();
        for (ShardPoll p : polls) {
            boolean overdue = p.overdue(now, limit);
            if (overdue && !p.late() && store.markShardLate(p.shard(), true)) {
                late.add(p);
            } else if (!overdue && p.late() && store.markShardLate(p.shard(), false)) {
                back.add(p);
            }
        }
        for (ShardPoll p : late) {
            store.audit(new AuditEntry(now, "", "", "bot", "shard-late", p.label(shards) + " not polled since "
                    + p.lastStart() + (p.instance().isEmpty() ? "" : " (last by " + p.instance() + ")")));
        }
        for (ShardPoll p : back) {
            store.audit(new AuditEntry(now, "", "", "bot", "shard-polled", p.label(shards) + " polled again by "
                    + p.instance()));
        }
        if (!late.isEmpty()) {
            notifier().shardsLate(late, shards, limit);
        }
        if (!back.isEmpty()) {
            notifier().shardsPolledAgain(back, shards);
        }
        return late;
    }

    // ---- plans -----------------------------------------------------------------------------

    /** A plan was made: stored as PROPOSED and audited with the request. */
    public void proposed(ProposedPlan plan, String headline, Instant at) {
        store.savePlan(plan);
        store.audit(new AuditEntry(at, plan.cluster(), plan.id(), plan.requestedBy(), "propose",
                headline + " | options: " + plan.plan().options().stream().map(PlanOption::id).toList()));
    }

    /**
     * The incident's alert was posted, maybe late (Slack was unreachable and the outbox delivered
     * it after the incident was saved without it): its message is recorded, so a recovery's lag
     * watch threads under it and later edits find it.
     */
    public void alertPosted(String incidentId, String channel, String messageTs) {
        if (store.setAlertMessage(incidentId, channel, messageTs)) {
            log.info("incident {}: its alert was delivered late and is now recorded ({})", incidentId, messageTs);
        }
    }

    /** The plan's message was posted: later edits and the lag watch's thread go there. */
    public void planPosted(String planId, String channel, String messageTs) {
        store.setPlanMessage(planId, channel, messageTs);
    }

    /** PROPOSED to EXECUTING, at most once whatever the clicks, retries or replicas. */
    public boolean approve(ProposedPlan p, String optionId, String userId, Instant at) {
        if (!movePlan(p, PlanMove.APPROVE, userId, at)) {
            return false;
        }
        store.audit(new AuditEntry(at, p.cluster(), p.id(), userId, "approve", "option " + optionId));
        return true;
    }

    public boolean reject(ProposedPlan p, String userId, Instant at) {
        if (!movePlan(p, PlanMove.REJECT, userId, at)) {
            return false;
        }
        store.audit(new AuditEntry(at, p.cluster(), p.id(), userId, "reject", ""));
        return true;
    }

    /** Expired by the clock (the plan expiry job); audited by the bot. */
    public boolean expire(ProposedPlan p, Instant at) {
        if (!movePlan(p, PlanMove.EXPIRE, "bot", at)) {
            return false;
        }
        store.audit(new AuditEntry(at, p.cluster(), p.id(), "bot", "expire", ""));
        return true;
    }

    /** Expired when someone clicked Approve after its time: their click is refused. */
    public void expiredAtClick(ProposedPlan p, String userId, String message, Instant at) {
        movePlan(p, PlanMove.EXPIRE, "bot", at);
        store.audit(new AuditEntry(at, p.cluster(), p.id(), userId, "refuse", "expired: " + message));
    }

    /** Nothing ran: the servers no longer match what the plan was made from. */
    public void wentStale(ProposedPlan p, String userId, List<String> refusals, Instant at) {
        movePlan(p, PlanMove.GO_STALE, userId, at);
        store.audit(new AuditEntry(at, p.cluster(), p.id(), "bot", "refuse", "stale: " + String.join("; ", refusals)));
    }

    public void succeeded(ProposedPlan p, String userId, int statements, Instant at) {
        movePlan(p, PlanMove.SUCCEED, userId, at);
        store.audit(new AuditEntry(at, p.cluster(), p.id(), "bot", "executed", statements + " statements OK"));
    }

    public void failed(ProposedPlan p, String userId, StatementOutcome failed, Instant at) {
        movePlan(p, PlanMove.FAIL, userId, at);
        store.audit(new AuditEntry(at, p.cluster(), p.id(), "bot", "failed",
                failed.node() + ": " + failed.sql() + " -> " + failed.errorMessage()));
    }

    /**
     * The replica running the plan died between statements. The plan moves to INTERRUPTED (once,
     * whichever replica notices), the audit says what had run where, and the incident goes back
     * to the monitor. False when another replica made the move first, or the plan finished.
     */
    public boolean interrupted(ProposedPlan p, String executor, List<String> ran, Instant at) {
        // Who approved it and when stay on the plan: the audit line says when it was found interrupted.
        if (!movePlan(p, PlanMove.INTERRUPT, p.decidedBy(), p.decidedAt() == null ? at : p.decidedAt())) {
            return false;
        }
        store.audit(new AuditEntry(at, p.cluster(), p.id(), "bot", "interrupted",
                "executor " + (executor.isEmpty() ? "unknown" : executor) + " gone; "
                        + (ran.isEmpty() ? "no statement had run" : "ran: " + String.join("; ", ran))
                        + "; nothing is run again by itself"));
        moveOpen(p.cluster(), IncidentMove.RECOVERY_FAILED);
        return true;
    }

    private boolean movePlan(ProposedPlan p, PlanMove m, String actor, Instant at) {
        return store.transitionPlan(p.id(), m.from, m.to, actor, at);
    }

    // ---- repair plans: the same moves, kept in RepairPlans --------------------------------

    /** A repair plan was made: stored as PROPOSED and audited with the request. */
    public void repairProposed(RepairPlans repairs, RepairRequest r) {
        repairs.insert(r);
        store.audit(new AuditEntry(r.plan().createdAt(), r.cluster(), r.id(), r.requestedBy(), "propose-repair",
                "verification " + r.plan().verificationId() + ": " + r.plan().headline()
                        + (r.plan().refused() ? " | refused: " + r.plan().refusal() : "")
                        + (r.manual() ? " | manual, missing: " + String.join(" ", r.missingGrants()) : "")));
    }

    /** A person chose a table's source of truth: the plan changes while PROPOSED, audited. */
    public boolean repairSourceChosen(RepairPlans repairs, RepairRequest changed, int revision, String userId,
                                      String detail, Instant at) {
        if (!repairs.replace(changed, revision)) {
            return false;
        }
        store.audit(new AuditEntry(at, changed.cluster(), changed.id(), userId, "choose-source", detail));
        return true;
    }

    /** PROPOSED to EXECUTING, at most once, and only for the revision the approver saw. */
    public boolean approveRepair(RepairPlans repairs, RepairRequest r, int revision, String userId, Instant at) {
        if (!repairs.transition(r.id(), PlanMove.APPROVE.from, PlanMove.APPROVE.to, revision, userId, at)) {
            return false;
        }
        store.audit(new AuditEntry(at, r.cluster(), r.id(), userId, "approve-repair", r.plan().headline()));
        return true;
    }

    public boolean rejectRepair(RepairPlans repairs, RepairRequest r, String userId, Instant at) {
        if (!repairs.transition(r.id(), PlanMove.REJECT.from, PlanMove.REJECT.to, -1, userId, at)) {
            return false;
        }
        store.audit(new AuditEntry(at, r.cluster(), r.id(), userId, "reject", "repair"));
        return true;
    }

    public boolean expireRepair(RepairPlans repairs, RepairRequest r, String userId, String why, Instant at) {
        boolean moved = repairs.transition(r.id(), PlanMove.EXPIRE.from, PlanMove.EXPIRE.to, -1, "bot", at);
        store.audit(new AuditEntry(at, r.cluster(), r.id(), userId, "refuse", "expired: " + why));
        return moved;
    }

    /** Each statement of a repair, as it ran (or was skipped): the audit trail has every one. */
    public void repairStatement(RepairRequest r, String line, Instant at) {
        store.audit(new AuditEntry(at, r.cluster(), r.id(), "bot", "repair-statement", line));
    }

    /** The repair ran: SUCCEEDED when no statement failed, FAILED otherwise; with what was verified after. */
    public void repairFinished(RepairPlans repairs, RepairRequest r, boolean failed, String summary, Instant at) {
        PlanMove m = failed ? PlanMove.FAIL : PlanMove.SUCCEED;
        repairs.transition(r.id(), m.from, m.to, -1, "bot", at);
        store.audit(new AuditEntry(at, r.cluster(), r.id(), "bot", failed ? "failed" : "repaired", summary));
    }

    /** Nothing ran: why, in the audit trail (unauthorised, duplicate, missing grant, ...). */
    public void repairRefused(String cluster, String planId, String userId, String why, Instant at) {
        store.audit(new AuditEntry(at, cluster, planId, userId, "refuse", why));
    }

    // ---- helpers ---------------------------------------------------------------------------

    private boolean move(IncidentMove m, Incident stored, Incident next) {
        check(m, stored.state(), next.state());
        return store.updateIncident(next, stored.state());
    }

    private static void check(IncidentMove m, IncidentState from, IncidentState to) {
        if ((from != null && !m.allowedFrom(from)) || to != m.to) {
            throw new IllegalStateException("an incident cannot move " + from + " -> " + to + " as " + m);
        }
    }

    private void audit(Incident incident, String action, String detail) {
        store.audit(new AuditEntry(clock.instant(), incident.cluster(), "", "bot", action,
                incident.id() + ": " + detail));
    }
}
