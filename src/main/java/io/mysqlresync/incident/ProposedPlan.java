package io.mysqlresync.incident;

import io.mysqlresync.recovery.RecoveryPlan;

import java.time.Instant;

/**
 * A recovery plan waiting for (or past) a human decision, as stored.
 *
 * @param channel   where the plan message was posted (Slack channel ID, or "console")
 * @param messageTs the Slack message to update as the plan moves on; empty until posted
 */
public record ProposedPlan(RecoveryPlan plan, String requestedBy, Instant expiresAt, PlanState state,
                           String decidedBy, Instant decidedAt, String channel, String messageTs)
        implements AwaitingDecision {

    public String id() {
        return plan.id();
    }

    public String cluster() {
        return plan.cluster();
    }

    @Override
    public String noun() {
        return "plan";
    }

    @Override
    public String renewal() {
        return "ask for a fresh plan";
    }

    public ProposedPlan withState(PlanState s, String by, Instant at) {
        return new ProposedPlan(plan, requestedBy, expiresAt, s, by, at, channel, messageTs);
    }

    public ProposedPlan withMessage(String ch, String ts) {
        return new ProposedPlan(plan, requestedBy, expiresAt, state, decidedBy, decidedAt, ch, ts);
    }
}
