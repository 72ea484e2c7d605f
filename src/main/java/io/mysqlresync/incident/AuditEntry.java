package io.mysqlresync.incident;

import java.time.Instant;

/**
 * One line of the audit trail: every request, approval, refusal and statement.
 *
 * @param actor  a Slack user ID, "console:<user>", or "bot" for what the bot did by itself
 * @param action short verb: diagnose, propose, approve, refuse, reject, expire, statement, alert, ...
 */
public record AuditEntry(Instant at, String cluster, String planId, String actor, String action, String detail) {
    public AuditEntry {
        planId = planId == null ? "" : planId;
        detail = detail == null ? "" : detail;
    }
}
