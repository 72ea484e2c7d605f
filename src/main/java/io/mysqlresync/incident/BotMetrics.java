package io.mysqlresync.incident;

import io.mysqlresync.replication.NodeStatus;

import java.time.Duration;

/**
 * What the bot tells its metrics, in the DBA's and the on-call's words; the one port the
 * adapters (monitor, Slack, approvals) call and the {@code metrics} adapter implements with a
 * Prometheus registry. Every method has a do-nothing default, so a test or a terminal session
 * that does not care passes {@link #NONE}. Arguments are values only: labels are derived from
 * cluster and node names, never from plan ids or error texts.
 */
public interface BotMetrics {

    BotMetrics NONE = new BotMetrics() {
    };

    /** One node was read by a poll or a lag watch, taking {@code took} (unreachable nodes too). */
    default void nodeRead(String cluster, NodeStatus status, Duration took) {
    }

    /** After a monitor poll: whether the cluster has an incident open (including one being recovered). */
    default void incidentOpen(String cluster, boolean open) {
    }

    /** A verification of the pair's data finished: identical or not, and how many rows differ. */
    default void verified(String cluster, boolean identical, long rowsDiffering) {
    }

    /** An approval (or rejection) ended with this outcome. {@code cluster} is empty for an unknown plan. */
    default void approval(String cluster, ApprovalOutcome.Kind outcome) {
    }

    /** One monitor sweep, to the end of its last poll; {@code overran}: it skipped a cluster still polling. */
    default void sweep(Duration took, boolean overran) {
    }

    /** Time from a Slack request reaching the bot to its acknowledgement. */
    default void slackAck(Duration took) {
    }
}
