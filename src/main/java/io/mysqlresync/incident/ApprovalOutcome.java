package io.mysqlresync.incident;

import io.mysqlresync.recovery.ExecutionReport;

/**
 * What became of a click on Approve.
 *
 * @param plan      the plan as it stands after the click (state, decided by)
 * @param report    statements run, for EXECUTED and FAILED
 * @param freshPlan for REFUSED_STALE: the plan re-made from the current state, to approve instead
 */
public record ApprovalOutcome(Kind kind, String message, ProposedPlan plan, ExecutionReport report,
                              ProposedPlan freshPlan) {

    public enum Kind {
        EXECUTED, FAILED, REFUSED_UNAUTHORISED, REFUSED_EXPIRED, REFUSED_ALREADY_DECIDED, REFUSED_STALE,
        REJECTED, UNKNOWN_PLAN, UNKNOWN_OPTION;

        public boolean ran() {
            return this == EXECUTED || this == FAILED;
        }
    }

    static ApprovalOutcome refused(Kind kind, String message, ProposedPlan plan) {
        return new ApprovalOutcome(kind, message, plan, null, null);
    }
}
