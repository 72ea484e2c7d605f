package io.mysqlresync.incident;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.audit.CrashSafety;
import io.mysqlresync.audit.FixAdvice;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.recovery.PlanOption;
import io.mysqlresync.recovery.StatementOutcome;
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
        /** The problem changed: the alert is updated, not repeated. */
        ALERT_UPDATE(EnumSet.of(IncidentState.OPEN), IncidentState.OPEN, "alert-update"),
        /** The problem went away without a recovery. */
        CLEAR(EnumSet.of(IncidentState.OPEN), IncidentState.CLEARED, "alert-cleared"),
        /** A plan was approved, or a lag watch started: the recovery owns the incident now. */
        RECOVER(EnumSet.of(IncidentState.OPEN), IncidentState.CATCHING_UP, ""),
        /** The recovery did not run to the end: the monitor owns the incident again. */
        RECOVERY_FAILED(EnumSet.of(IncidentState.CATCHING_UP), IncidentState.OPEN, ""),
        /** A recovering incident whose lag watch is gone: the monitor takes it back. */
        WATCH_LOST(EnumSet.of(IncidentState.CATCHING_UP), IncidentState.OPEN, ""),
        /** Recovery ran and replication caught up on every node. */
        IN_SYNC(EnumSet.of(IncidentState.OPEN, IncidentState.CATCHING_UP), IncidentState.IN_SYNC, "in-sync");

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

    private final ResyncStore store;
    private final Notifier notifier;
    private final Clock clock;
    private final LagWatches watches;
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
     * Recovery ran and replication caught up: every node has both threads running and no lag
     * for enough checks in a row. The watch ends here and its incident closes IN_SYNC. This is
     * where a data check after catching up belongs: before the incident closes.
     */
    public void replicationCaughtUp(LagWatch watch, Diagnosis d) {
        Instant now = clock.instant();
        milestone(watch, "Back in sync: every node has both replication threads running and 0 s lag, "
                + watch.inSyncStreak() + " checks in a row. Watch over.");
        recommendFixes(watch);
        if (!watch.incidentId().isEmpty()) {
            store.openIncident(watch.cluster())
                    .filter(i -> i.id().equals(watch.incidentId()))
                    .filter(i -> IncidentMove.IN_SYNC.allowedFrom(i.state()))
                    .ifPresent(i -> closeInSync(i, d, now));
        }
        store.audit(new AuditEntry(now, watch.cluster(), "", "bot", IncidentMove.IN_SYNC.auditAction,
                "lag watch over after " + Durations.words(Duration.between(watch.startedAt(), now))
                        + (watch.incidentId().isEmpty() ? "" : "; incident " + watch.incidentId())));
        store.deleteWatch(watch.cluster(), watch.startedAt());
    }

    private void closeInSync(Incident open, Diagnosis d, Instant now) {
        Incident done = open.with(IncidentState.IN_SYNC, open.problemKey(), d.headline(), now);
        if (move(IncidentMove.IN_SYNC, open, done) && !done.messageTs().isEmpty()) {
            try {
                notifier().incidentChanged(done, d);
            } catch (RuntimeException e) {
                log.warn("incident {}: could not mark its alert in sync: {}", done.id(), e.toString(), e);
            }
        }
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
