package io.mysqlresync.incident;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Who may approve a plan. Approvers are listed user IDs and/or members of one user group; with
 * the two-person rule, whoever asked for the plan may not approve it.
 */
public final class ApprovalPolicy {

    /**
     * Actors typing in terminal mode. Whoever has that terminal has a shell on the bot host and
     * the bot's database credentials, so they are approvers and the two-person rule (a Slack
     * control) cannot bind them; approving there still needs the plan id and a typed "yes".
     */
    public static final String CONSOLE_PREFIX = "console:";

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
    public Optional<String> refusal(ProposedPlan plan, String userId, boolean inApproverGroup, Instant now) {
        return refusal(plan.requestedBy(), userId, inApproverGroup);
    }

    /** The same rules for any plan a person asked for (recovery or repair). */
    public Optional<String> refusal(String requestedBy, String userId, boolean inApproverGroup) {
        if (!mayApprove(userId, inApproverGroup)) {
            return Optional.of("you are not an approver for recovery plans; ask one of the configured approvers");
        }
        if (twoPersonRule && userId.equals(requestedBy) && !userId.startsWith(CONSOLE_PREFIX)) {
            return Optional.of("the two-person rule is on: you asked for this plan, so someone else must approve it");
        }
        return Optional.empty();
    }
}
