package io.mysqlresync.incident;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.audit.CrashSafety;
import io.mysqlresync.audit.Safety;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.ledger.LedgerReader;
import io.mysqlresync.recovery.ExecutionReport;
import io.mysqlresync.recovery.PlanExecutor;
import io.mysqlresync.recovery.PlanOption;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.recovery.StatementOutcome;
import io.mysqlresync.replication.ClusterReader;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The conversation every channel (Slack, terminal) has with the bot: diagnose, propose a plan,
 * approve or reject it, run it once, keep the audit trail. Channels only render and collect clicks.
 */
public final class ResyncService {

    private final List<String> clusters;
    private final ClusterReader reader;
    private final Diagnoser diagnoser;
    private final Planner planner;
    private final PlanExecutor executor;
    private final ResyncStore store;
    private final ApprovalPolicy policy;
    private final Duration planExpiry;
    private final Clock clock;
    private final IncidentLifecycle lifecycle;
    private volatile Consumer<ProposedPlan> afterRecovery = p -> { };
    private volatile BotMetrics metrics = BotMetrics.NONE;
    /** The crash-safety audit, when the app wires one: explains diagnoses and answers audit requests. */
    private volatile CrashSafety crashSafety;
    /** Reads a cluster's loss ledger (which transactions a crash left on one node only); none by default. */
    private volatile Function<String, Optional<LedgerReader>> ledgers = cluster -> Optional.empty();

    public ResyncService(List<String> clusters, ClusterReader reader, Diagnoser diagnoser, Planner planner,
                         PlanExecutor executor, ResyncStore store, ApprovalPolicy policy, Duration planExpiry,
                         Clock clock) {
        this.clusters = List.copyOf(clusters);
        this.reader = reader;
        this.diagnoser = diagnoser;
        this.planner = planner;
        this.executor = executor;
        this.store = store;
        this.policy = policy;
        this.planExpiry = planExpiry;
        this.clock = clock;
        this.lifecycle = IncidentLifecycle.forConversation(store, clock);
    }

    /** Called after a plan ran successfully: the app starts the lag progress watch here. */
    public void onRecovery(Consumer<ProposedPlan> listener) {
        this.afterRecovery = listener;
    }

    /** Where approvals' outcomes are counted (plans executed, refused by reason). */
    public void measure(BotMetrics metrics) {
        this.metrics = metrics;
    }

    /** Every diagnosis a person asks for carries the cluster's loss ledger, read by {@code readers}. */
    public void readLedgersWith(Function<String, Optional<LedgerReader>> readers) {
        this.ledgers = readers;
    }

    public List<String> clusters() {
        return clusters;
    }

    /**
     * Explains every diagnosis by the settings that made it happen, and answers {@link #audit}
     * requests. Without it diagnoses carry no causes and audits are not available.
     */
    public void explainWith(CrashSafety crashSafety) {
        this.crashSafety = crashSafety;
    }

    /** For reads (tests, the demo); every change goes through the service or the lifecycle. */
    public ResyncStore store() {
        return store;
    }

    /** The plan's message was posted in a channel: later edits and the lag watch's thread go there. */
    public void planPosted(String planId, String channel, String messageTs) {
        lifecycle.planPosted(planId, channel, messageTs);
    }

    public ApprovalPolicy policy() {
        return policy;
    }

    public String requireCluster(String name) {
        if (name == null || !clusters.contains(name)) {
            throw new UnknownClusterException(name == null ? "" : name, clusters);
        }
        return name;
    }

    public Diagnosis diagnose(String cluster) {
        requireCluster(cluster);
        Diagnosis d = diagnoser.diagnose(reader.read(cluster));
        Diagnosis withLedger = ledgers.apply(cluster).map(d::withLedgerFrom).orElse(d);
        CrashSafety explainer = crashSafety;
        return explainer == null ? withLedger : explainer.explain(withLedger);
    }

    /**
     * A person asked for the crash-safety audit of a cluster: read every node's settings afresh,
     * audit them and put the request in the audit trail. Changes no setting.
     */
    public AuditReport audit(String cluster, String requestedBy) {
        requireCluster(cluster);
        CrashSafety auditor = crashSafety;
        if (auditor == null) {
            throw new IllegalStateException("the crash-safety audit is not available in this deployment");
        }
        AuditReport report = auditor.audit(cluster);
        long unsafe = report.problems().stream().filter(f -> f.safety() == Safety.UNSAFE).count();
        store.audit(new AuditEntry(clock.instant(), cluster, "", requestedBy, "audit", report.worst()
                + (report.problems().isEmpty() ? "" : ": " + unsafe + " unsafe, " + (report.problems().size() - unsafe)
                + " risky")
                + (report.unreadable().isEmpty() ? "" : "; not read: " + String.join(", ", report.unreadable().keySet()))));
        return report;
    }

    /** A person asked for the diagnosis: read, diagnose and put the request in the audit trail. */
    public Diagnosis diagnose(String cluster, String requestedBy) {
        Diagnosis d = diagnose(cluster);
        store.audit(new AuditEntry(clock.instant(), cluster, "", requestedBy, "diagnose", d.headline()));
        return d;
    }

    /** Diagnoses, plans, stores the plan as PROPOSED and audits the request. */
    public ProposedPlan propose(String cluster, String requestedBy, String channel) {
        Diagnosis d = diagnose(cluster);
        Instant now = clock.instant();
        RecoveryPlan plan = planner.plan(d, newPlanId(), now);
        ProposedPlan proposed = new ProposedPlan(plan, requestedBy, now.plus(planExpiry), PlanState.PROPOSED,
                "", null, channel, "");
        lifecycle.proposed(proposed, d.headline(), now);
        return proposed;
    }

    public Optional<ProposedPlan> plan(String planId) {
        return store.plan(planId);
    }

    /**
     * An approver clicked Approve on one option. Runs the option at most once, whatever the number
     * of clicks, retries or bot replicas: the PROPOSED to EXECUTING transition in the store decides.
     */
    public ApprovalOutcome approve(String planId, String optionId, String userId, boolean inApproverGroup,
                                   Consumer<StatementOutcome> onStatement) {
        return counted(decide(planId, optionId, userId, inApproverGroup, onStatement));
    }

    private ApprovalOutcome counted(ApprovalOutcome outcome) {
        metrics.approval(outcome.plan() == null ? "" : outcome.plan().cluster(), outcome.kind());
        return outcome;
    }

    private ApprovalOutcome decide(String planId, String optionId, String userId, boolean inApproverGroup,
                                   Consumer<StatementOutcome> onStatement) {
        Instant now = clock.instant();
        Optional<ProposedPlan> found = store.plan(planId);
        if (found.isEmpty()) {
            return ApprovalOutcome.refused(ApprovalOutcome.Kind.UNKNOWN_PLAN, "there is no plan " + planId, null);
        }
        ProposedPlan p = found.get();
        String cluster = p.cluster();
        if (p.state().decided()) {
            String msg = "plan " + planId + " was already " + p.state().name().toLowerCase()
                    + (p.decidedBy().isEmpty() ? "" : " by " + p.decidedBy()) + "; nothing was run again";
            store.audit(new AuditEntry(now, cluster, planId, userId, "refuse", "duplicate: " + msg));
            return ApprovalOutcome.refused(ApprovalOutcome.Kind.REFUSED_ALREADY_DECIDED, msg, p);
        }
        Optional<PlanOption> option = p.plan().option(optionId).filter(PlanOption::executable);
        if (option.isEmpty()) {
            return ApprovalOutcome.refused(ApprovalOutcome.Kind.UNKNOWN_OPTION,
                    "plan " + planId + " has no option '" + optionId + "' the bot can run", p);
        }
        Optional<String> refusal = policy.refusal(p, userId, inApproverGroup, now);
        if (refusal.isPresent()) {
            store.audit(new AuditEntry(now, cluster, planId, userId, "refuse", "unauthorised: " + refusal.get()));
            return ApprovalOutcome.refused(ApprovalOutcome.Kind.REFUSED_UNAUTHORISED, refusal.get(), p);
        }
        if (p.expiredAt(now)) {
            String msg = "plan " + planId + " expired at " + p.expiresAt() + "; ask for a fresh plan";
            lifecycle.expiredAtClick(p, userId, msg, now);
            return ApprovalOutcome.refused(ApprovalOutcome.Kind.REFUSED_EXPIRED, msg, store.plan(planId).orElse(p));
        }
        if (!lifecycle.approve(p, optionId, userId, now)) {
            ProposedPlan now2 = store.plan(planId).orElse(p);
            String msg = "plan " + planId + " was already " + now2.state().name().toLowerCase()
                    + " by " + now2.decidedBy() + "; nothing was run again";
            store.audit(new AuditEntry(now, cluster, planId, userId, "refuse", "duplicate: " + msg));
            return ApprovalOutcome.refused(ApprovalOutcome.Kind.REFUSED_ALREADY_DECIDED, msg, now2);
        }
        boolean recovering = lifecycle.recoveryStarted(cluster);
        ExecutionReport report = executor.execute(p.plan(), optionId, outcome -> {
            store.audit(new AuditEntry(clock.instant(), cluster, planId, "bot", "statement",
                    outcome.node() + ": " + outcome.sql() + " -> " + (outcome.succeeded() ? "OK" : "error "
                            + outcome.errorCode() + ": " + outcome.errorMessage()) + " (" + outcome.millis() + " ms)"));
            onStatement.accept(outcome);
        });
        Instant done = clock.instant();
        if (recovering && !report.succeeded()) {
            lifecycle.recoveryFailed(cluster);
        }
        if (report.refused()) {
            lifecycle.wentStale(p, userId, report.refusals(), done);
            ProposedPlan fresh = propose(cluster, p.requestedBy(), p.channel());
            return new ApprovalOutcome(ApprovalOutcome.Kind.REFUSED_STALE,
                    "the servers changed since the plan was made, so nothing was run: "
                            + String.join("; ", report.refusals()) + ". Here is a fresh plan.",
                    store.plan(planId).orElse(p), report, fresh);
        }
        if (report.succeeded()) {
            lifecycle.succeeded(p, userId, report.outcomes().size(), done);
            ProposedPlan after = store.plan(planId).orElse(p);
            afterRecovery.accept(after);
            return new ApprovalOutcome(ApprovalOutcome.Kind.EXECUTED,
                    "all " + report.outcomes().size() + " statements succeeded; watching the lag until both nodes are in sync",
                    after, report, null);
        }
        StatementOutcome failed = report.firstFailure().orElseThrow();
        lifecycle.failed(p, userId, failed, done);
        ProposedPlan after = store.plan(planId).orElse(p);
        return new ApprovalOutcome(ApprovalOutcome.Kind.FAILED,
                "stopped at the first failure on " + failed.node() + ": " + failed.errorMessage()
                        + ". Later statements were not run. "
                        + (report.aftermath().isEmpty() ? "" : report.aftermath() + " ")
                        + "Diagnose again before retrying.",
                after, report, null);
    }

    public ApprovalOutcome reject(String planId, String userId, boolean inApproverGroup) {
        return counted(decideRejection(planId, userId, inApproverGroup));
    }

    private ApprovalOutcome decideRejection(String planId, String userId, boolean inApproverGroup) {
        Instant now = clock.instant();
        Optional<ProposedPlan> found = store.plan(planId);
        if (found.isEmpty()) {
            return ApprovalOutcome.refused(ApprovalOutcome.Kind.UNKNOWN_PLAN, "there is no plan " + planId, null);
        }
        ProposedPlan p = found.get();
        // Rejecting is safe, but still limited to approvers and to requesters of their own plan.
        if (!policy.mayApprove(userId, inApproverGroup) && !userId.equals(p.requestedBy())) {
            store.audit(new AuditEntry(now, p.cluster(), planId, userId, "refuse", "unauthorised reject"));
            return ApprovalOutcome.refused(ApprovalOutcome.Kind.REFUSED_UNAUTHORISED,
                    "only an approver or the requester can reject this plan", p);
        }
        if (!lifecycle.reject(p, userId, now)) {
            ProposedPlan cur = store.plan(planId).orElse(p);
            return ApprovalOutcome.refused(ApprovalOutcome.Kind.REFUSED_ALREADY_DECIDED,
                    "plan " + planId + " was already " + cur.state().name().toLowerCase(), cur);
        }
        return ApprovalOutcome.refused(ApprovalOutcome.Kind.REJECTED, "rejected by " + userId,
                store.plan(planId).orElse(p));
    }

    /** Marks PROPOSED plans past their expiry as EXPIRED; returns them so channels can update messages. */
    public List<ProposedPlan> expireOldPlans() {
        Instant now = clock.instant();
        return store.pendingPlans().stream()
                .filter(p -> p.expiredAt(now))
                .filter(p -> lifecycle.expire(p, now))
                .map(p -> store.plan(p.id()).orElse(p))
                .toList();
    }

    public List<AuditEntry> history(String cluster, int limit) {
        if (cluster != null) requireCluster(cluster);
        return store.history(cluster, limit);
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();

    /** Short, unambiguous, unguessable: it is typed in the terminal and carried in button values. */
    static String newPlanId() {
        StringBuilder sb = new StringBuilder("p-");
        for (int i = 0; i < 8; i++) sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        return sb.toString();
    }
}
