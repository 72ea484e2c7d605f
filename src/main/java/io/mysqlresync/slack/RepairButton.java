package io.mysqlresync.slack;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a repair plan's buttons carry: the repair id and, for a source choice, the table's and
 * the node's positions in the stored plan (never a table name or SQL); for Approve, the plan
 * revision the approver saw. Checked against these formats before anything is looked up.
 */
record RepairButton(String repairId, int table, int node, int revision) {

    static final String SOURCE_ACTION_PREFIX = "repair-source:";
    static final String APPROVE_ACTION = "repair-approve";
    static final String REJECT_ACTION = "repair-reject";

    private static final Pattern SOURCE = Pattern.compile("(r-[a-z0-9]{8}):(\\d{1,4}):([01])");
    private static final Pattern APPROVE = Pattern.compile("(r-[a-z0-9]{8}):(\\d{1,6})");
    private static final Pattern ID = Pattern.compile("r-[a-z0-9]{8}");

    /** One action id per table and node: Slack wants action ids unique within a message. */
    static String sourceActionId(int table, int node) {
        return SOURCE_ACTION_PREFIX + table + ":" + node;
    }

    static String sourceValue(String id, int table, int node) {
        return id + ":" + table + ":" + node;
    }

    static String approveValue(String id, int revision) {
        return id + ":" + revision;
    }

    static Optional<RepairButton> parseSource(String value) {
        Matcher m = value == null ? null : SOURCE.matcher(value);
        if (m == null || !m.matches()) return Optional.empty();
        return Optional.of(new RepairButton(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), -1));
    }

    static Optional<RepairButton> parseApprove(String value) {
        Matcher m = value == null ? null : APPROVE.matcher(value);
        if (m == null || !m.matches()) return Optional.empty();
        return Optional.of(new RepairButton(m.group(1), -1, -1, Integer.parseInt(m.group(2))));
    }

    static Optional<RepairButton> parseReject(String value) {
        if (value == null || !ID.matcher(value).matches()) return Optional.empty();
        return Optional.of(new RepairButton(value, -1, -1, -1));
    }
}
