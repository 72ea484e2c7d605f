package io.mysqlresync.incident;

import java.util.List;
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
    boolean transitionPlan(String planId, PlanState from, PlanState to, String actor, java.time.Instant at);

    void setPlanMessage(String planId, String channel, String messageTs);

    /** Plans still PROPOSED, e.g. to expire them. */
    List<ProposedPlan> pendingPlans();

    Optional<Incident> openIncident(String cluster);

    /** Inserts the incident unless the cluster already has an open one; false then. */
    boolean openIncidentIfNone(Incident incident);

    /** Replaces the incident if its stored state is still {@code expected}; false otherwise. */
    boolean updateIncident(Incident incident, IncidentState expected);

    void saveWatch(LagWatch watch);

    Optional<LagWatch> watch(String cluster);

    List<LagWatch> watches();

    void deleteWatch(String cluster);

    void audit(AuditEntry entry);

    /** Newest first; {@code cluster} null for every cluster. */
    List<AuditEntry> history(String cluster, int limit);
}
