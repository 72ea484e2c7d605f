package io.mysqlresync.incident;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.diagnosis.Diagnosis;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Where the monitor and the lag watch speak: the incident channel in Slack, or the terminal.
 * One alert per incident, updated in place; progress is one message updated in place, with
 * milestones in its thread, to stay far below Slack's rate limits.
 */
public interface Notifier {

    MessageRef incidentOpened(Incident incident, Diagnosis diagnosis);

    void incidentChanged(Incident incident, Diagnosis diagnosis);

    /** The problem went away without a recovery: said once. */
    void incidentCleared(Incident incident, Diagnosis diagnosis);

    MessageRef progressStarted(LagWatch watch, ProgressView view);

    void progressUpdated(LagWatch watch, ProgressView view);

    /** A short line in the progress message's thread: "node2 caught up", "lag stopped falling", ... */
    void progressMilestone(LagWatch watch, String text);

    /**
     * Monitor shards not polled within {@code limit}: their clusters are not watched (every
     * replica that could poll them is down or stuck). Said once per shard until it is polled again.
     */
    default void shardsLate(List<ShardPoll> late, int shards, Duration limit) {
        LoggerFactory.getLogger(Notifier.class).warn("monitor shards not polled within {}: {}", limit, late);
    }

    /** Shards announced late are polled again. */
    default void shardsPolledAgain(List<ShardPoll> back, int shards) {
        LoggerFactory.getLogger(Notifier.class).info("monitor shards polled again: {}", back);
    }

    /** A plan expired without a click: redraw its message without buttons. */
    default void planExpired(ProposedPlan plan) {
    }

    /**
     * The scheduled audit found settings changed since the last one (new or changed problems,
     * problems fixed). False when it could not be said: the next scheduled audit says it again.
     */
    default boolean settingsChanged(AuditReport report, AuditReport.Changes changes) {
        return true;
    }

    /**
     * The bot running a plan died between statements: redraw the plan's message as interrupted with
     * what ran where, and offer the fresh plan next to it. Returns where the fresh plan was posted.
     */
    default MessageRef planInterrupted(Interruption interruption) {
        return MessageRef.NONE;
    }

    /**
     * The state database is unreachable (or back): post the outage message when {@code message} is
     * NONE, else update it in place. Returns where it is.
     */
    default MessageRef stateOutage(MessageRef message, StateOutage outage) {
        return message;
    }

    /**
     * A verification after a recovery found rows that differ: offer the repair plan of verification
     * {@code verificationId} in the recovery's thread ({@code thread}). Where no channel offers
     * repairs, nothing: the verdict line already says a repair is next.
     */
    default void repairNeeded(LagWatch thread, String verificationId, String requestedBy) {
    }
}
