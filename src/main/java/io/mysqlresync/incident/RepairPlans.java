package io.mysqlresync.incident;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where repair plans are kept (the state database). {@link #transition} is the compare-and-set
 * that makes a click run a repair once, whatever the clicks, retries or replicas.
 */
public interface RepairPlans {

    void insert(RepairRequest r);

    /** Replaces the plan of a PROPOSED request whose revision is still {@code revision}; false otherwise. */
    boolean replace(RepairRequest r, int revision);

    Optional<RepairRequest> find(String id);

    /**
     * Moves a request from {@code from} to {@code to}; with {@code revision} >= 0 only if the plan
     * is still that revision. False when someone else moved or changed it first.
     */
    boolean transition(String id, PlanState from, PlanState to, int revision, String actor, Instant at);

    void setMessage(String id, String channel, String messageTs);

    List<RepairRequest> pending();
}
