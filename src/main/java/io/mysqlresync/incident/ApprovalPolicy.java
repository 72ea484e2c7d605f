package io.mysqlresync.incident;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Who may approve a plan. Approvers are listed user IDs and/or members of one user group; with
 * the two-person rule, whoever asked for the plan may not approve it.
 */
public final class ApprovalPolicy {

    private final Set<String> approvers;
    private final boolean groupConfigured;
    private final boolean twoPersonRule;

    public ApprovalPolicy(Set<String> approvers, boolean groupConfigured, boolean twoPersonRule) {
        this.approvers = Set.copyOf(approvers);
        this.groupConfigured = groupConfigured;
        this.twoPersonRule = twoPersonRule;
    }

    public boolean mayApprove(String userId, boolean inApproverGroup) {
        return approvers.contains(userId) || (groupConfigured && inApproverGroup);
    }

    /** Why this user may not approve this plan now, or empty if they may. */
    public Optional<String> refusal(ProposedPlan plan, String userId, boolean inApproverGroup, Instant now) {
        if (!mayApprove(userId, inApproverGroup)) {
            return Optional.of("you are not an approver for recovery plans; ask one of the configured approvers");
        }
        if (twoPersonRule && userId.equals(plan.requestedBy())) {
            return Optional.of("the two-person rule is on: you asked for this plan, so someone else must approve it");
        }
        return Optional.empty();
    }
}
