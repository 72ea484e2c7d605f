package io.mysqlresync.incident;

import java.time.Instant;

/**
 * A plan a person asked for and an approver decides on, a recovery plan or a repair plan: what
 * {@link ApprovalPolicy} reads of it to let an approval or a rejection through.
 */
public interface AwaitingDecision {

    String id();

    String requestedBy();

    Instant expiresAt();

    PlanState state();

    /** Who moved it out of PROPOSED; empty while it waits, and for moves nobody made (expiry, a crash). */
    String decidedBy();

    /** How refusals name it, e.g. "repair plan". */
    String noun();

    /** What to do for a fresh one once it expired, e.g. "ask for a fresh plan". */
    String renewal();

    default boolean expiredAt(Instant now) {
        return now.isAfter(expiresAt());
    }
}
