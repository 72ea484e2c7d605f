package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ServerErrors;

import java.util.List;

/**
 * MySQL's multithreaded applier without replica_preserve_commit_order (5.7, and 8.0 before
 * 8.0.27 by default) can stop, after a crash, with gaps: later transactions committed, earlier
 * ones not. CHANGE REPLICATION SOURCE / CHANGE MASTER then fails with error 1802 until
 * START REPLICA UNTIL SQL_AFTER_MTS_GAPS has filled them (MySQL manual, "Replication and
 * Transaction Inconsistencies").
 */
final class ApplierGaps {

    private ApplierGaps() {
    }

    static boolean possible(Situation at) {
        ReplicaChannel c = at.channel();
        return at.node().version().flavor() != Flavor.MARIADB && c.applier().multithreaded()
                && !c.applier().preservesCommitOrder();
    }

    /** Adds the gap-filling step before a recipe's CHANGE, when the applier can have gaps. */
    static void fillFirst(Situation at, PlanDraft plan) {
        if (!possible(at)) return;
        Finding f = at.finding();
        SqlDialect sql = at.sql();
        plan.safeStep(new NodeStep(f.node(), f.kind(),
                "Let " + f.node() + "'s multithreaded applier fill the gaps the crash left, so that it can be re-pointed",
                List.of(sql.stopReplica(), sql.fillApplierGaps())));
        plan.safeRisk(f.node() + "'s applier runs " + at.channel().applier().parallelWorkers()
                + " workers without commit order: the re-pointing step fails with error "
                + ServerErrors.CHANGE_SOURCE_WITH_MTS_GAPS + " while gaps remain. If the SQL thread stops on an error "
                + "while filling them, the relay log cannot fill them: the bot reports it.");
    }
}
