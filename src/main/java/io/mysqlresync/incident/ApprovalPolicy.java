package io.mysqlresync.incident;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The one gate every approval and rejection passes, of a recovery plan and of a repair plan
 * alike: a plan already decided is not decided again, approvers are listed user IDs and/or
 * members of one user group, with the two-person rule whoever asked for the plan may not approve
 * it, and an expired plan is not run. Pure: the services apply what it says (audit, expiry move).
 */
public final class ApprovalPolicy {

    /**
     * Actors typing in terminal mode. Whoever has that terminal has a shell on the bot host and
     * the bot's database credentials, so they are approvers and the two-person rule (a Slack
     * control) cannot bind them; approving there still needs the plan id and a typed "yes".
     */
    public static final String CONSOLE_PREFIX = "console:";

    /** Why the gate stopped a decision, in the order it asks. */
    public enum Reason { ALREADY_DECIDED, UNAUTHORISED, EXPIRED }

    /** @param message for the person who clicked or typed, and the audit trail */
    public record Refusal(Reason reason, String message) {
    }

    private final Set<String> approvers;
    private final boolean groupConfigured;
    private final boolean twoPersonRule;

    public ApprovalPolicy(Set<String> approvers, boolean groupConfigured, boolean twoPersonRule) {
        this.approvers = Set.copyOf(approvers);
        this.groupConfigured = groupConfigured;
        this.twoPersonRule = twoPersonRule;
    }

    public boolean mayApprove(String userId, boolean inApproverGroup) {
        return userId.startsWith(CONSOLE_PREFIX) || approvers.contains(userId) || (groupConfigured && inApproverGroup);
    }

    /** Why this user may not approve this plan now, or empty if they may. */
    public Optional<Refusal> approval(AwaitingDecision plan, String userId, boolean inApproverGroup, Instant now) {
        if (plan.state().decided()) {
            return Optional.of(new Refusal(Reason.ALREADY_DECIDED, alreadyDecided(plan)));
        }
        if (!mayApprove(userId, inApproverGroup)) {
            return Optional.of(new Refusal(Reason.UNAUTHORISED,
                    "you are not an approver for recovery plans; ask one of the configured approvers"));
        }
        if (twoPersonRule && userId.equals(plan.requestedBy()) && !userId.startsWith(CONSOLE_PREFIX)) {
            return Optional.of(new Refusal(Reason.UNAUTHORISED,
                    "the two-person rule is on: you asked for this plan, so someone else must approve it"));
        }
        if (plan.expiredAt(now)) {
            return Optional.of(new Refusal(Reason.EXPIRED, plan.noun() + " " + plan.id() + " expired at "
                    + plan.expiresAt() + "; " + plan.renewal()));
        }
        return Optional.empty();
    }

    /**
     * Why this user may not reject this plan, or empty if they may. Rejecting runs nothing, but
     * is still limited to approvers and to whoever asked for the plan.
     */
    public Optional<Refusal> rejection(AwaitingDecision plan, String userId, boolean inApproverGroup) {
        if (!mayApprove(userId, inApproverGroup) && !userId.equals(plan.requestedBy())) {
            return Optional.of(new Refusal(Reason.UNAUTHORISED,
                    "only an approver or the requester can reject this " + plan.noun()));
        }
        return Optional.empty();
    }

    /** What a second decision on a decided plan is told: by whom it was decided, and that nothing ran again. */
    public static String alreadyDecided(AwaitingDecision plan) {
        return plan.noun() + " " + plan.id() + " was already " + plan.state().name().toLowerCase(Locale.ROOT)
                + (plan.decidedBy().isEmpty() ? "" : " by " + plan.decidedBy()) + "; nothing was run again";
    }
}
