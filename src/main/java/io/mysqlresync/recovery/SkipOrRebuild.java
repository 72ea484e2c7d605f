package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ServerErrors;

import java.util.List;

/**
 * DUPLICATE_KEY and ROW_NOT_FOUND: the nodes diverged, and only a human can say which row is
 * right. Offers skipping the event (fast, leaves the row different) and rebuilding the node
 * (slow, leaves nothing different), never one of them silently.
 */
final class SkipOrRebuild implements Recipe {

    private final String what;

    /** @param what the event being skipped, in the step's words */
    SkipOrRebuild(String what) {
        this.what = what;
    }

    @Override
    public void addTo(Situation at, PlanDraft plan) {
        Finding f = at.finding();
        ReplicaChannel c = at.channel();
        SqlDialect sql = at.sql();
        if (sql.canSkipWithCounter(c.usesGtid())) {
            plan.skipStep(new NodeStep(f.node(), f.kind(),
                    "Skip " + what + " (one event group) on " + f.node() + " and continue",
                    List.of(sql.stopReplica(), sql.skipOneEvent(), sql.startReplica())));
        } else {
            plan.skipRisk("MySQL with GTID auto-position cannot skip with the skip counter: on "
                    + f.node() + " commit an empty transaction with the failing GTID (see Last_SQL_Error), "
                    + "then START REPLICA.");
        }
        plan.skipRisk("Setting the skip counter needs SUPER (MariaDB) or SYSTEM_VARIABLES_ADMIN (MySQL 8), "
                + "which the recommended least-privilege bot user lacks: the bot reads its own grants and then "
                + "offers this option as instructions for a DBA (it would fail with error "
                + ServerErrors.PRIVILEGE_MISSING + " after stopping replication).");
        plan.skipRisk("Skipping on " + f.node() + " drops " + f.sourceNode() + "'s version of the row: the "
                + "nodes stay different for that row until someone repairs it (pt-table-sync). "
                + "If more events conflict, replication stops again.");
        plan.rebuild("Rebuild " + f.node() + " from a consistent copy of " + f.sourceNode()
                + " (mariabackup / xtrabackup / CLONE), then restart replication from the backup's "
                + "binlog coordinates. Slow, but leaves no divergence.");
    }
}
