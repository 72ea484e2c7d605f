package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Finding;

import java.util.List;

/** THREADS_STOPPED_BY_OPERATOR: start replication again, after checking it was not stopped on purpose. */
final class StartReplicationAgain implements Recipe {

    @Override
    public void addTo(Situation at, PlanDraft plan) {
        Finding f = at.finding();
        plan.safeStep(new NodeStep(f.node(), f.kind(), "Start replication again on " + f.node(),
                List.of(at.sql().startReplica())));
        plan.safeRisk("Replication on " + f.node() + " was stopped without an error, probably on purpose "
                + "(maintenance, a backup): check with whoever stopped it.");
    }
}
