package io.mysqlresync.incident;

import java.util.List;

/**
 * A plan whose bot died between statements, as found by a surviving or restarted bot.
 *
 * @param plan  the plan, now INTERRUPTED
 * @param ran   its statements that ran, in order, from the audit trail ("node1: STOP SLAVE -> OK (3 ms)")
 * @param fresh a plan made from the servers as they are now, or null when none could be made
 */
public record Interruption(ProposedPlan plan, String executor, List<String> ran, ProposedPlan fresh) {
    public Interruption {
        ran = List.copyOf(ran);
    }
}
