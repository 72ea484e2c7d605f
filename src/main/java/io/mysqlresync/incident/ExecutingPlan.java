package io.mysqlresync.incident;

import java.time.Instant;

/**
 * A plan in EXECUTING, with who runs it and when that bot last said it was alive.
 *
 * @param executor    the bot process running it ("pid@host/boot"), empty for plans approved before heartbeats
 * @param heartbeatAt the last heartbeat; null when none was written
 */
public record ExecutingPlan(ProposedPlan plan, String executor, Instant heartbeatAt) {

    public ExecutingPlan {
        executor = executor == null ? "" : executor;
    }

    /** Gone when its last sign of life (heartbeat, else the approval) is older than {@code after}. */
    public boolean executorGone(Instant now, java.time.Duration after) {
        Instant last = heartbeatAt != null ? heartbeatAt : plan.decidedAt();
        return last == null || last.plus(after).isBefore(now);
    }
}
