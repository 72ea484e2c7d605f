package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Finding;

import java.util.List;

/** EVENT_LARGER_THAN_PACKET_LIMIT (1153): raise the replica's packet limit to its maximum and refetch. */
final class RaisePacketLimit implements Recipe {

    @Override
    public void addTo(Situation at, PlanDraft plan) {
        Finding f = at.finding();
        SqlDialect sql = at.sql();
        plan.safeStep(new NodeStep(f.node(), f.kind(),
                "Raise " + f.node() + "'s replica packet limit to 1 GiB and fetch the large event again",
                List.of(sql.stopIoThread(), sql.raiseReplicaPacketLimit(), sql.startIoThread())));
        plan.safeRisk("SET GLOBAL lasts until " + f.node() + " restarts: put the same value in its configuration "
                + "file, or the next large event stops replication again.");
    }
}
