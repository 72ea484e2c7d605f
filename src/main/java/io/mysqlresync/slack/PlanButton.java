package io.mysqlresync.slack;

import io.mysqlresync.recovery.Planner;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an Approve or Reject button carries: the plan id and, for Approve, the option id, and
 * nothing else. Everything that will run is looked up in the store by the plan id, so a forged
 * or stale button value can at worst name a plan, never SQL. Values coming back from Slack are
 * checked against the id formats before they reach the service.
 */
record PlanButton(String planId, String optionId) {

    static final String APPROVE_ACTION_PREFIX = "approve:";
    static final String REJECT_ACTION = "reject";
    static final String PROPOSE_ACTION = "propose";

    /** ResyncService makes plan ids as "p-" plus 8 characters of a lower-case alphabet. */
    private static final Pattern PLAN_ID = Pattern.compile("p-[a-z0-9]{8}");
    /** The only option ids the planner makes that the bot can run. */
    static final Set<String> EXECUTABLE_OPTIONS = Set.of(Planner.RESYNC, Planner.SKIP_EVENT);

    static String approveActionId(String optionId) {
        return APPROVE_ACTION_PREFIX + optionId;
    }

    static String approveValue(String planId, String optionId) {
        return planId + ":" + optionId;
    }

    /** "p-abcd2345:resync" from an Approve button; empty if it is anything else. */
    static Optional<PlanButton> parseApprove(String value) {
        if (value == null || value.length() > 64) return Optional.empty();
        int colon = value.indexOf(':');
        if (colon < 0) return Optional.empty();
        String plan = value.substring(0, colon);
        String option = value.substring(colon + 1);
        if (!PLAN_ID.matcher(plan).matches() || !EXECUTABLE_OPTIONS.contains(option)) return Optional.empty();
        return Optional.of(new PlanButton(plan, option));
    }

    /** "p-abcd2345" from a Reject button; empty if it is anything else. */
    static Optional<PlanButton> parseReject(String value) {
        if (value == null || !PLAN_ID.matcher(value).matches()) return Optional.empty();
        return Optional.of(new PlanButton(value, ""));
    }
}
