package io.mysqlresync.incident;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Persistence of plans, incidents, lag watches and the audit trail. Implemented over JDBC (H2
 * embedded, or MySQL/MariaDB for several bot replicas). The compare-and-set methods are the
 * guards that make a click execute once even with retries and several replicas.
 */
public interface ResyncStore {

    void savePlan(ProposedPlan plan);

    Optional<ProposedPlan> plan(String planId);

    /** Atomically moves a plan from {@code from} to {@code to}; false if someone else moved it first. */
    boolean transitionPlan(String planId, PlanState from, PlanState to, String actor, Instant at);

    void setPlanMessage(String planId, String channel, String messageTs);

    /** The executing bot is alive: its heartbeat on a plan it runs (ignored once the plan moved on). */
    void beatPlan(String planId, String executor, Instant at);

    /** Plans in EXECUTING with their executor and last heartbeat (V8__plan_executor.sql). */
    List<ExecutingPlan> executingPlans();

    /** Every audit entry of one plan, oldest first. */
    List<AuditEntry> planHistory(String planId);

    /** Plans still PROPOSED, e.g. to expire them. */
    List<ProposedPlan> pendingPlans();

    Optional<Incident> openIncident(String cluster);

    /** The incident, open or closed. */
    Optional<Incident> incident(String incidentId);

    /**
     * Records the alert's message once it is posted (the outbox may deliver it long after the
     * incident was saved); false when the incident already has one or does not exist.
     */
    boolean setAlertMessage(String incidentId, String channel, String messageTs);

    /** Inserts the incident unless the cluster already has an open one; false then. */
    boolean openIncidentIfNone(Incident incident);

    /** Replaces the incident if its stored state is still {@code expected}; false otherwise. */
    boolean updateIncident(Incident incident, IncidentState expected);

    /** Stores a new watch of the cluster, replacing any running one: a person started it. */
    void saveWatch(LagWatch watch);

    /**
     * Saves a check's view of the watch if the cluster's stored watch is still the one that
     * started at {@code watch.startedAt()}; false when a newer watch replaced it meanwhile.
     */
    boolean updateWatch(LagWatch watch);

    Optional<LagWatch> watch(String cluster);

    List<LagWatch> watches();

    /** Removes the watch that started at {@code startedAt} and what it said; a newer watch stays. */
    void deleteWatch(String cluster, Instant startedAt);

    // ---- poll memory: what one poll or check leaves for the next, on whichever replica ----

    /** The last start time seen per node of the cluster. */
    Map<String, Instant> nodeStarts(String cluster);

    /**
     * Remembers a node's start time unless a later one is remembered already: a start time never
     * moves back, even when a late poll on one replica writes after a newer poll on another.
     */
    void rememberNodeStart(String cluster, String node, Instant startedAt);

    /**
     * Forgets the start times of clusters no longer configured: a cluster configured again later
     * starts blind rather than comparing against start times from long ago.
     */
    void retainNodeStarts(Collection<String> clusters);

    /** The incident whose alert still has to be posted, if the last attempt failed. */
    Optional<String> pendingAlert(String cluster);

    /** Marks the alert to post, claimed by nobody: the next poll posts it. */
    default void setPendingAlert(String cluster, String incidentId) {
        setPendingAlert(cluster, incidentId, null);
    }

    /**
     * Marks the alert to post, claimed until {@code claimedUntil} by the replica posting it now
     * (null: by nobody), so a poll on another replica meanwhile does not post it too.
     */
    void setPendingAlert(String cluster, String incidentId, Instant claimedUntil);

    /**
     * Takes over the posting of a pending alert whose claim has run out (its poster failed or
     * died) or that nobody claims; false when another replica holds it.
     */
    boolean claimPendingAlert(String cluster, String incidentId, Instant now, Instant claimedUntil);

    void clearPendingAlert(String cluster);

    /** What the current watch of the cluster already said; a fresh memory for a newer watch. */
    WatchMemory watchMemory(String cluster, Instant watchStartedAt);

    void saveWatchMemory(String cluster, WatchMemory memory);

    // ---- monitor shards: who polled which shard, and when ----

    /**
     * Keeps a row for shards 0 to {@code shards - 1} (a new one dated {@code configuredAt}, so a
     * shard never polled is seen late too) and forgets the others.
     */
    void retainShards(int shards, Instant configuredAt);

    /** A poll of the shard starts on {@code instance}: counted, its end cleared. */
    void shardPollStarted(int shard, String instance, Instant at);

    /** The poll started at {@code startedAt} has ended; ignored if a later poll has started meanwhile. */
    void shardPollEnded(int shard, Instant startedAt, Instant at);

    /** Every shard's last poll, by shard. */
    List<ShardPoll> shardPolls();

    /** Marks the shard late (or polled again) unless it is already; false then: someone else said it. */
    boolean markShardLate(int shard, boolean late);

    void audit(AuditEntry entry);

    /** Newest first; {@code cluster} null for every cluster. */
    List<AuditEntry> history(String cluster, int limit);
}
