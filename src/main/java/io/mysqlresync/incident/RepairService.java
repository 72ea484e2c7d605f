package io.mysqlresync.incident;

import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.repair.RepairExecutor;
import io.mysqlresync.repair.RepairPlan;
import io.mysqlresync.repair.RepairPlanner;
import io.mysqlresync.repair.RowFix;
import io.mysqlresync.repair.RowOutcome;
import io.mysqlresync.repair.RowRepairs;
import io.mysqlresync.repair.SourceSuggestion;
import io.mysqlresync.repair.TableRepair;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.DataVerifier;
import io.mysqlresync.verify.ProgressListener;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.RowKey;
import io.mysqlresync.verify.TableRef;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationLog;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The repair conversation every channel (command line, terminal, Slack) has with the bot: a
 * plan from a stored verification, a source of truth per table, approval under the same rules
 * as a recovery (approvers, two-person rule, expiry, one execution), every statement audited,
 * and the repaired rows verified again before anyone is told they are identical.
 */
public final class RepairService {

    private final VerificationLog verifications;
    private final DataVerifier verifier;
    private final RowRepairs rows;
    private final RepairPlans repairs;
    private final RepairPlanner planner;
    private final ApprovalPolicy policy;
    private final Duration expiry;
    private final Clock clock;
    private final IncidentLifecycle lifecycle;
    /** The cluster's last loss ledger, for the suggested sources; none by default. */
    private volatile Function<String, LossLedger> ledgers = c -> LossLedger.NOT_READ;

    public RepairService(VerificationLog verifications, DataVerifier verifier, RowRepairs rows, RepairPlans repairs,
                         RepairPlanner planner, ApprovalPolicy policy, Duration expiry, ResyncStore store,
                         Clock clock) {
        this.verifications = verifications;
        this.verifier = verifier;
        this.rows = rows;
        this.repairs = repairs;
        this.planner = planner;
        this.policy = policy;
        this.expiry = expiry;
        this.clock = clock;
        this.lifecycle = IncidentLifecycle.forConversation(store, clock);
    }

    public void suggestFrom(Function<String, LossLedger> lastLedger) {
        this.ledgers = lastLedger;
    }

    public Optional<RepairRequest> find(String id) {
        return repairs.find(id);
    }

    public void posted(String id, String channel, String ts) {
        repairs.setMessage(id, channel, ts);
    }

    /**
     * A repair plan from verification {@code verificationId}: {@code source} (may be null) is the
     * source of truth for every table; without it each table waits for its choice.
     *
     * @throws IllegalArgumentException with the message to show (no such verification, nothing differs, bad node)
     */
    public RepairRequest propose(String verificationId, String source, String requestedBy, String channel) {
        VerificationLog.Stored v = verifications.find(verificationId).orElseThrow(() ->
                new IllegalArgumentException("there is no verification " + verificationId
                        + "; run verify first and use the id it prints"));
        List<RowDifference> diffs = verifications.differences(verificationId);
        if (diffs.isEmpty()) {
            throw new IllegalArgumentException("verification " + verificationId + " found no differing rows ("
                    + v.headline() + "): nothing to repair");
        }
        List<String> nodes = new ArrayList<>(diffs.get(0).valuesByNode().keySet());
        if (source != null && !nodes.contains(source)) {
            throw new IllegalArgumentException("'" + source + "' is not a node of " + v.cluster() + " (nodes: "
                    + String.join(", ", nodes) + ")");
        }
        Map<TableRef, String> sources = new LinkedHashMap<>();
        if (source != null) {
            diffs.forEach(d -> sources.put(d.table(), source));
        }
        Instant now = clock.instant();
        RepairPlan plan = plan(newId(), v.cluster(), verificationId, now, nodes, diffs, sources);
        RepairRequest r = new RepairRequest(plan, 0, requestedBy, now.plus(expiry), PlanState.PROPOSED, "", null,
                channel, "", grants(plan));
        lifecycle.repairProposed(repairs, r);
        return r;
    }

    private RepairPlan plan(String id, String cluster, String verificationId, Instant now, List<String> nodes,
                            List<RowDifference> diffs, Map<TableRef, String> sources) {
        Set<TableRef> tables = new LinkedHashSet<>();
        diffs.forEach(d -> tables.add(d.table()));
        Map<TableRef, SourceSuggestion> suggestions = SourceSuggestion.fromLedger(ledgers.apply(cluster), tables);
        String typesFrom = sources.values().stream().findFirst().orElse(nodes.get(0));
        String target = nodes.get(0).equals(typesFrom) ? nodes.get(1) : nodes.get(0);
        return planner.plan(id, cluster, verificationId, now, nodes, diffs, sources, suggestions,
                rows.columnTypes(cluster, typesFrom),
                diffs.size() > planner.maxRows() ? rows.version(cluster, target) : null);
    }

    private List<String> grants(RepairPlan plan) {
        if (!plan.ready()) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        plan.tables().stream().map(TableRepair::target).distinct()
                .forEach(t -> missing.addAll(rows.missingGrants(plan.cluster(), t, plan)));
        return missing;
    }

    /** A person chose the source of truth of one table (a Slack button): the plan is made again. */
    public Optional<RepairRequest> chooseSource(String id, TableRef table, String node, String userId) {
        Optional<RepairRequest> found = repairs.find(id);
        if (found.isEmpty() || found.get().state() != PlanState.PROPOSED) {
            return Optional.empty();
        }
        RepairRequest r = found.get();
        RepairPlan p = r.plan();
        if (!p.nodes().contains(node) || p.tables().stream().noneMatch(t -> t.table().equals(table))) {
            throw new IllegalArgumentException("repair plan " + id + " has no table " + table + " or node " + node);
        }
        Map<TableRef, String> sources = new LinkedHashMap<>();
        p.tables().forEach(t -> {
            if (t.source() != null) sources.put(t.table(), t.source());
        });
        sources.put(table, node);
        RepairPlan again = plan(p.id(), p.cluster(), p.verificationId(), p.createdAt(), p.nodes(),
                verifications.differences(p.verificationId()), sources);
        RepairRequest changed = r.withPlan(again, grants(again));
        if (!lifecycle.repairSourceChosen(repairs, changed, r.revision(), userId,
                table + ": source of truth " + node, clock.instant())) {
            return Optional.empty();
        }
        return repairs.find(id);
    }

    /**
     * An approver approved the repair. It runs at most once whatever the clicks, retries or
     * replicas (the store's compare-and-set), and only the plan revision the approver saw
     * ({@code revision}; -1 from a channel that shows the plan and asks again right away).
     */
    public RepairOutcome approve(String id, int revision, String userId, boolean inApproverGroup,
                                 Consumer<RowOutcome> onEach) {
        Instant now = clock.instant();
        Optional<RepairRequest> found = repairs.find(id);
        if (found.isEmpty()) {
            return RepairOutcome.refused(RepairOutcome.Kind.UNKNOWN_PLAN, "there is no repair plan " + id, null);
        }
        RepairRequest r = found.get();
        Optional<ApprovalPolicy.Refusal> refusal = policy.approval(r, userId, inApproverGroup, now);
        if (refusal.isPresent()) {
            String msg = refusal.get().message();
            // A switch expression: a refusal reason added later cannot fall through to running the plan.
            return switch (refusal.get().reason()) {
                case ALREADY_DECIDED -> duplicate(r, userId, now);
                case EXPIRED -> {
                    lifecycle.expireRepair(repairs, r, userId, msg, now);
                    yield RepairOutcome.refused(RepairOutcome.Kind.REFUSED_EXPIRED, msg, repairs.find(id).orElse(r));
                }
                case UNAUTHORISED -> {
                    lifecycle.repairRefused(r.cluster(), id, userId, "unauthorised: " + msg, now);
                    yield RepairOutcome.refused(RepairOutcome.Kind.REFUSED_UNAUTHORISED, msg, r);
                }
            };
        }
        if (r.plan().refused()) {
            String msg = r.plan().refusal() + ". Nothing was run.";
            lifecycle.repairRefused(r.cluster(), id, userId, "not ready: " + msg, now);
            return RepairOutcome.refused(RepairOutcome.Kind.REFUSED_NOT_READY, msg, r);
        }
        if (!r.plan().ready()) {
            String msg = "choose the source of truth first for " + String.join(", ", r.plan().tables().stream()
                    .filter(t -> !t.chosen()).map(t -> t.table().toString()).toList()) + "; nothing was run";
            lifecycle.repairRefused(r.cluster(), id, userId, "not ready: " + msg, now);
            return RepairOutcome.refused(RepairOutcome.Kind.REFUSED_NOT_READY, msg, r);
        }
        // Grants are read again: one granted since the plan was made makes it runnable, one revoked does not.
        List<String> missing = grants(r.plan());
        if (!missing.isEmpty()) {
            String msg = "the bot lacks the privileges to repair without replicating the change; run this as"
                    + " an administrator, or apply the statements by hand with SET SESSION sql_log_bin = 0: "
                    + String.join(" ", missing) + " Nothing was run.";
            lifecycle.repairRefused(r.cluster(), id, userId, "missing grant: " + String.join(" ", missing), now);
            return RepairOutcome.refused(RepairOutcome.Kind.REFUSED_MISSING_GRANTS, msg, r);
        }
        if (!lifecycle.approveRepair(repairs, r, revision, userId, now)) {
            RepairRequest cur = repairs.find(id).orElse(r);
            if (cur.state() == PlanState.PROPOSED) {
                String msg = "repair plan " + id + " changed since you saw it (a source of truth was chosen);"
                        + " read it again and approve that; nothing was run";
                lifecycle.repairRefused(r.cluster(), id, userId, "changed: " + msg, now);
                return RepairOutcome.refused(RepairOutcome.Kind.REFUSED_PLAN_CHANGED, msg, cur);
            }
            return duplicate(cur, userId, now);
        }
        return run(r, onEach);
    }

    private RepairOutcome duplicate(RepairRequest r, String userId, Instant now) {
        String msg = ApprovalPolicy.alreadyDecided(r);
        lifecycle.repairRefused(r.cluster(), r.id(), userId, "duplicate: " + msg, now);
        return RepairOutcome.refused(RepairOutcome.Kind.REFUSED_ALREADY_DECIDED, msg, r);
    }

    private RepairOutcome run(RepairRequest r, Consumer<RowOutcome> onEach) {
        long t0 = System.nanoTime();
        List<RowOutcome> outcomes;
        try {
            outcomes = new RepairExecutor(rows).execute(r.plan(), o -> {
                lifecycle.repairStatement(r, o.line(), clock.instant());
                onEach.accept(o);
            });
        } catch (RuntimeException e) {
            String msg = "the repair stopped: " + e.getMessage() + "; verify again before retrying";
            lifecycle.repairFinished(repairs, r, true, msg, clock.instant());
            return new RepairOutcome(RepairOutcome.Kind.FAILED, msg, repairs.find(r.id()).orElse(r), List.of(), null);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        VerificationResult after = verifyAgain(r.plan());
        long applied = outcomes.stream().filter(o -> o.result() == RowOutcome.Result.APPLIED).count();
        List<RowOutcome> skipped = outcomes.stream().filter(o -> o.result() == RowOutcome.Result.SKIPPED_CHANGED).toList();
        List<RowOutcome> failed = outcomes.stream().filter(o -> o.result() == RowOutcome.Result.FAILED).toList();
        StringBuilder msg = new StringBuilder(String.format("%,d of %,d statement%s applied in %.1f s", applied,
                outcomes.size(), outcomes.size() == 1 ? "" : "s", seconds));
        if (!skipped.isEmpty()) {
            msg.append("; ").append(skipped.size()).append(" row").append(skipped.size() == 1 ? "" : "s")
                    .append(" skipped, not overwritten, because the application changed ")
                    .append(skipped.size() == 1 ? "it" : "them").append(" since the verification: ")
                    .append(String.join("; ", skipped.stream().limit(5)
                            .map(o -> o.fix().where() + " (" + o.detail() + ")").toList()))
                    .append(skipped.size() > 5 ? "; ..." : "");
        }
        if (!failed.isEmpty()) {
            msg.append("; ").append(failed.size()).append(" failed: ").append(failed.get(0).fix().where()).append(": ")
                    .append(failed.get(0).detail());
        }
        RepairOutcome.Kind kind;
        if (after.verdict() == TableVerdict.IDENTICAL && skipped.isEmpty() && failed.isEmpty()) {
            kind = RepairOutcome.Kind.REPAIRED_IDENTICAL;
            msg.append(". Verified again: ").append(after.headline()).append(".");
        } else {
            kind = failed.isEmpty() ? RepairOutcome.Kind.ROWS_STILL_DIFFER : RepairOutcome.Kind.FAILED;
            msg.append(". Verified again: ").append(after.headline())
                    .append(". Not identical yet: verify again, then repair what still differs.");
        }
        lifecycle.repairFinished(repairs, r, !failed.isEmpty(), msg.toString(), clock.instant());
        if (kind == RepairOutcome.Kind.REPAIRED_IDENTICAL) {
            // The drift incident closes only once the repaired rows verified identical.
            lifecycle.closeDriftIfIdentical(r.cluster(), after, true, repairs.find(r.id())
                    .map(RepairRequest::decidedBy).filter(u -> !u.isEmpty()).orElse("bot"));
        }
        return new RepairOutcome(kind, msg.toString(), repairs.find(r.id()).orElse(r), outcomes, after);
    }

    /**
     * Only the repaired rows (keysOnly): seconds, and stored like any verification. The keys come
     * from the verification, spelled as the tables spell them, so a deleted row found on neither
     * node is the repair done, not a row left unchecked.
     */
    private VerificationResult verifyAgain(RepairPlan plan) {
        Map<TableRef, List<RowKey>> keys = new LinkedHashMap<>();
        for (RowFix f : plan.fixes()) {
            keys.computeIfAbsent(f.table(), k -> new ArrayList<>()).add(f.key());
        }
        VerificationResult after = verifier.verify(plan.cluster(), new VerifyRequest(
                keys.keySet().stream().map(TableRef::toString).toList(), keys, true, true), ProgressListener.NONE,
                new CancelToken());
        try {
            verifications.record(VerificationLog.afterRepair(plan.id()), "bot", after);
        } catch (RuntimeException e) {
            // The answer stands without its record; the audit has the repair's own entry.
        }
        return after;
    }

    public RepairOutcome reject(String id, String userId, boolean inApproverGroup) {
        Instant now = clock.instant();
        Optional<RepairRequest> found = repairs.find(id);
        if (found.isEmpty()) {
            return RepairOutcome.refused(RepairOutcome.Kind.UNKNOWN_PLAN, "there is no repair plan " + id, null);
        }
        RepairRequest r = found.get();
        Optional<ApprovalPolicy.Refusal> refusal = policy.rejection(r, userId, inApproverGroup);
        if (refusal.isPresent()) {
            lifecycle.repairRefused(r.cluster(), id, userId, "unauthorised reject", now);
            return RepairOutcome.refused(RepairOutcome.Kind.REFUSED_UNAUTHORISED, refusal.get().message(), r);
        }
        if (!lifecycle.rejectRepair(repairs, r, userId, now)) {
            return duplicate(repairs.find(id).orElse(r), userId, now);
        }
        return RepairOutcome.refused(RepairOutcome.Kind.REJECTED, "rejected by " + userId, repairs.find(id).orElse(r));
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final char[] ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();

    /** "r-" and 8 unambiguous characters: typed in the terminal, carried in button values. */
    static String newId() {
        StringBuilder sb = new StringBuilder("r-");
        for (int i = 0; i < 8; i++) sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        return sb.toString();
    }
}
