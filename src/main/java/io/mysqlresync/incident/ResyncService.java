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
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
    /** This bot process, as written on the plans it runs: "pid@host/boot". */
    private volatile String executorId = defaultExecutorId();

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

    /** How this process signs the plans it runs (the heartbeat tells a live executor from a dead one). */
    public String executorId() {
        return executorId;
    }

    public void identifyAs(String executor) {
        this.executorId = executor;
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

    /** The incident's alert was posted, maybe late: see {@link IncidentLifecycle#alertPosted}. */
    public void alertPosted(String incidentId, String channel, String messageTs) {
        lifecycle.alertPosted(incidentId, channel, messageTs);
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
        try {
            store.audit(new AuditEntry(clock.instant(), cluster, "", requestedBy, "diagnose", d.headline()));
        } catch (RuntimeException e) {
            // Reading and diagnosing need no state database: the answer matters more than its audit line.
            if (!StateUnreachable.in(e)) throw e;
            log().warn("diagnosis of {} for {} not audited: {}", cluster, requestedBy, e.getMessage());
        }
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
        Optional<ApprovalPolicy.Refusal> refusal = policy.approval(p, userId, inApproverGroup, now);
        if (refusal.filter(r -> r.reason() == ApprovalPolicy.Reason.ALREADY_DECIDED).isPresent()) {
            return alreadyDecided(p, userId, now);
        }
        // A click names an option: one this plan does not offer says so before who clicked is weighed.
        Optional<PlanOption> option = p.plan().option(optionId).filter(PlanOption::executable);
        if (option.isEmpty()) {
            return ApprovalOutcome.refused(ApprovalOutcome.Kind.UNKNOWN_OPTION,
                    "plan " + planId + " has no option '" + optionId + "' the bot can run", p);
        }
        if (refusal.isPresent()) {
            String msg = refusal.get().message();
            if (refusal.get().reason() == ApprovalPolicy.Reason.EXPIRED) {
                lifecycle.expiredAtClick(p, userId, msg, now);
                return ApprovalOutcome.refused(ApprovalOutcome.Kind.REFUSED_EXPIRED, msg, store.plan(planId).orElse(p));
            }
            store.audit(new AuditEntry(now, cluster, planId, userId, "refuse", "unauthorised: " + msg));
            return ApprovalOutcome.refused(ApprovalOutcome.Kind.REFUSED_UNAUTHORISED, msg, p);
        }
        if (!lifecycle.approve(p, optionId, userId, now)) {
            return alreadyDecided(store.plan(planId).orElse(p), userId, now);
        }
        try (Heartbeat beating = heartbeat(planId)) {
            return execute(p, optionId, userId, onStatement);
        }
    }

    private ApprovalOutcome alreadyDecided(ProposedPlan p, String userId, Instant now) {
        String msg = ApprovalPolicy.alreadyDecided(p);
        store.audit(new AuditEntry(now, p.cluster(), p.id(), userId, "refuse", "duplicate: " + msg));
        return ApprovalOutcome.refused(ApprovalOutcome.Kind.REFUSED_ALREADY_DECIDED, msg, p);
    }

    /**
     * Runs the approved option. Statements are never held up or broken off by the state database:
     * an audit line that cannot be written is kept and written when the database is back, and the
     * plan's final move waits for it (the heartbeat goes on meanwhile, so no other replica takes the
     * plan for interrupted). A plan is thus recorded once, with every statement it ran.
     */
    private ApprovalOutcome execute(ProposedPlan p, String optionId, String userId,
                                    Consumer<StatementOutcome> onStatement) {
        String cluster = p.cluster();
        String planId = p.id();
        boolean recovering = lifecycle.recoveryStarted(cluster);
        List<AuditEntry> unwritten = new ArrayList<>();
        ExecutionReport report = executor.execute(p.plan(), optionId, (node, sql) -> {
            AuditEntry line = new AuditEntry(clock.instant(), cluster, planId, "bot", SENDING, node + ": " + sql);
            try {
                if (unwritten.isEmpty()) {
                    store.audit(line);
                } else {
                    unwritten.add(line);
                }
            } catch (RuntimeException e) {
                if (!StateUnreachable.in(e)) throw e;
                unwritten.add(line);
            }
        }, outcome -> {
            AuditEntry line = new AuditEntry(clock.instant(), cluster, planId, "bot", "statement",
                    outcome.node() + ": " + outcome.sql() + " -> " + (outcome.succeeded() ? "OK" : "error "
                            + outcome.errorCode() + ": " + outcome.errorMessage()) + " (" + outcome.millis() + " ms)");
            try {
                if (unwritten.isEmpty()) {
                    store.audit(line);
                } else {
                    unwritten.add(line);
                }
            } catch (RuntimeException e) {
                if (!StateUnreachable.in(e)) throw e;
                log().warn("plan {}: statement ran, its audit line waits for the state database: {}", planId,
                        line.detail());
                unwritten.add(line);
            }
            onStatement.accept(outcome);
        });
        for (AuditEntry line : unwritten) {
            whenReachable("audit a statement of plan " + planId, () -> store.audit(line));
        }
        Instant done = clock.instant();
        if (recovering && !report.succeeded()) {
            whenReachable("give incident of " + cluster + " back to the monitor", () -> lifecycle.recoveryFailed(cluster));
        }
        if (report.refused()) {
            whenReachable("record plan " + planId + " stale", () -> lifecycle.wentStale(p, userId, report.refusals(), done));
            ProposedPlan fresh = propose(cluster, p.requestedBy(), p.channel());
            return new ApprovalOutcome(ApprovalOutcome.Kind.REFUSED_STALE,
                    "the servers changed since the plan was made, so nothing was run: "
                            + String.join("; ", report.refusals()) + ". Here is a fresh plan.",
                    store.plan(planId).orElse(p), report, fresh);
        }
        if (report.succeeded()) {
            whenReachable("record plan " + planId + " succeeded",
                    () -> lifecycle.succeeded(p, userId, report.outcomes().size(), done));
            ProposedPlan after = store.plan(planId).orElse(p);
            afterRecovery.accept(after);
            return new ApprovalOutcome(ApprovalOutcome.Kind.EXECUTED,
                    "all " + report.outcomes().size() + " statements succeeded; watching the lag until both nodes are in sync",
                    after, report, null);
        }
        StatementOutcome failed = report.firstFailure().orElseThrow();
        whenReachable("record plan " + planId + " failed", () -> lifecycle.failed(p, userId, failed, done));
        ProposedPlan after = store.plan(planId).orElse(p);
        return new ApprovalOutcome(ApprovalOutcome.Kind.FAILED,
                "stopped at the first failure on " + failed.node() + ": " + failed.errorMessage()
                        + ". Later statements were not run. "
                        + (report.aftermath().isEmpty() ? "" : report.aftermath() + " ")
                        + "Diagnose again before retrying.",
                after, report, null);
    }

    /** Longest wait for the state database to record a plan that ran; the bot log keeps it otherwise. */
    static final Duration RECORD_WAIT = Duration.ofMinutes(30);

    /**
     * Runs {@code write} until the state database takes it: retried every second (up to 10 s
     * apart) while it is unreachable, for at most {@link #RECORD_WAIT}. Other failures throw.
     */
    private void whenReachable(String what, Runnable write) {
        long until = System.nanoTime() + RECORD_WAIT.toNanos();
        long pause = 1000;
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                if (attempt > 1) {
                    log().info("state database back: could {} after {} attempts", what, attempt);
                }
                return;
            } catch (RuntimeException e) {
                if (!StateUnreachable.in(e) || System.nanoTime() > until) throw e;
                if (attempt == 1) {
                    log().warn("could not {} yet, retrying until the state database is back: {}", what, e.getMessage());
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to " + what, e);
            }
            pause = Math.min(10_000, pause * 2);
        }
    }

    private static org.slf4j.Logger log() {
        return org.slf4j.LoggerFactory.getLogger(ResyncService.class);
    }

    // ---- interrupted executions ------------------------------------------------------------

    /** How often a running plan's executor says it is alive. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(2);
    /** Silence after which a running plan's executor counts as dead: several missed heartbeats. */
    public static final Duration EXECUTOR_GONE_AFTER = Duration.ofSeconds(12);

    private static final ScheduledExecutorService BEATS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "plan-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /** Stops the heartbeat of one execution; never throws. */
    private interface Heartbeat extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Writes this process's name and the time on the plan now and every {@link #HEARTBEAT} until
     * closed, from its own thread, so a statement that takes minutes does not look like a dead bot.
     * A heartbeat that cannot be written (state database away) is skipped.
     */
    private Heartbeat heartbeat(String planId) {
        Runnable beat = () -> {
            try {
                store.beatPlan(planId, executorId, clock.instant());
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ResyncService.class)
                        .warn("plan {}: could not record its heartbeat: {}", planId, e.getMessage());
            }
        };
        beat.run();
        ScheduledFuture<?> f = BEATS.scheduleAtFixedRate(beat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    /**
     * Plans left EXECUTING by a bot that died between statements (no heartbeat for
     * {@link #EXECUTOR_GONE_AFTER}): each is marked INTERRUPTED once, with what had run where from
     * the audit trail, and the cluster is diagnosed again for a fresh plan in the same place.
     * Nothing of the old plan is run again: a person decides on the fresh one.
     */
    public List<Interruption> recoverInterrupted() {
        Instant now = clock.instant();
        List<Interruption> found = new ArrayList<>();
        for (ExecutingPlan e : store.executingPlans()) {
            if (!e.executorGone(now, EXECUTOR_GONE_AFTER)) {
                continue;
            }
            ProposedPlan p = e.plan();
            List<String> ran = whatRan(store.planHistory(p.id()));
            if (!lifecycle.interrupted(p, e.executor(), ran, now)) {
                continue;
            }
            ProposedPlan fresh = null;
            try {
                fresh = propose(p.cluster(), p.requestedBy(), p.channel());
            } catch (RuntimeException ex) {
                org.slf4j.LoggerFactory.getLogger(ResyncService.class)
                        .warn("plan {} was interrupted; no fresh plan could be made: {}", p.id(), ex.toString());
            }
            found.add(new Interruption(store.plan(p.id()).orElse(p), e.executor(), ran, fresh));
        }
        return found;
    }

    /** Audit action written just before a plan statement is sent; "statement" follows with its outcome. */
    static final String SENDING = "sending";

    /**
     * Each statement of a plan with its outcome, from its audit lines; one sent but never answered
     * (the bot died while it ran) is listed with its outcome unknown.
     */
    static List<String> whatRan(List<AuditEntry> trail) {
        List<String> ran = new ArrayList<>();
        String sent = null;
        for (AuditEntry a : trail) {
            if (a.action().equals(SENDING)) {
                sent = a.detail();
            } else if (a.action().equals("statement")) {
                ran.add(a.detail());
                sent = null;
            }
        }
        if (sent != null) {
            ran.add(sent + " -> sent, outcome unknown: the bot died while it ran; check the node");
        }
        return ran;
    }

    private static String defaultExecutorId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
            host = "unknown-host";
        }
        return ProcessHandle.current().pid() + "@" + host + "/" + UUID.randomUUID().toString().substring(0, 8);
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
        Optional<ApprovalPolicy.Refusal> refusal = policy.rejection(p, userId, inApproverGroup);
        if (refusal.isPresent()) {
            store.audit(new AuditEntry(now, p.cluster(), planId, userId, "refuse", "unauthorised reject"));
            return ApprovalOutcome.refused(ApprovalOutcome.Kind.REFUSED_UNAUTHORISED, refusal.get().message(), p);
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
