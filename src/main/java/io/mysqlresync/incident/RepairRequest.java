package io.mysqlresync.incident;

import io.mysqlresync.repair.RepairPlan;

import java.time.Instant;
import java.util.List;

/**
 * A repair plan waiting for (or past) a human decision, as stored. Moves through the same
 * {@link PlanState}s as a recovery plan, by the same {@link IncidentLifecycle.PlanMove}s.
 *
 * @param revision      bumped each time a source of truth is chosen: an Approve click carries the
 *                      revision it saw, so a plan changed under the approver's eyes is not run
 * @param missingGrants what the bot lacks to apply the plan itself (then it is a manual plan)
 */
public record RepairRequest(RepairPlan plan, int revision, String requestedBy, Instant expiresAt, PlanState state,
                            String decidedBy, Instant decidedAt, String channel, String messageTs,
                            List<String> missingGrants) implements AwaitingDecision {

    public RepairRequest {
        missingGrants = List.copyOf(missingGrants);
        decidedBy = decidedBy == null ? "" : decidedBy;
        channel = channel == null ? "" : channel;
        messageTs = messageTs == null ? "" : messageTs;
    }

    public String id() {
        return plan.id();
    }

    public String cluster() {
        return plan.cluster();
    }

    @Override
    public String noun() {
        return "repair plan";
    }

    @Override
    public String renewal() {
        return "verify again for a fresh plan";
    }

    public boolean manual() {
        return !missingGrants.isEmpty();
    }

    public RepairRequest withPlan(RepairPlan p, List<String> grants) {
        return new RepairRequest(p, revision + 1, requestedBy, expiresAt, state, decidedBy, decidedAt, channel,
                messageTs, grants);
    }

    public RepairRequest withMessage(String ch, String ts) {
        return new RepairRequest(plan, revision, requestedBy, expiresAt, state, decidedBy, decidedAt, ch, ts,
                missingGrants);
    }
}
