package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ServerErrors;

import io.mysqlresync.replication.Applier;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.NodeStatus;

import java.util.ArrayList;
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
        NodeStatus n = at.node();
        boolean mariadb = n.version().flavor() == Flavor.MARIADB;
        int domains = MariaDbGtid.domains(c.applier().gtidSlavePos().isEmpty() ? n.gtidExecuted() : c.applier().gtidSlavePos());
        if (sql.canSkipWithCounter(n.gtidEnabled(), c.usesGtid(), c.applier().multithreaded(), domains)) {
            List<String> statements = new ArrayList<>();
            statements.add(sql.stopReplica());
            statements.addAll(sql.skipOneEventStatements());
            statements.add(sql.startReplica());
            plan.skipStep(new NodeStep(f.node(), f.kind(),
                    "Skip " + what + " (one event group) on " + f.node() + " and continue", statements));
        } else if (mariadb) {
            skipByGtidSlavePos(at, plan, domains);
        } else {
            skipByEmptyTransaction(at, plan);
        }
        plan.skipRisk("The skip sets a system variable (the skip counter, GTID_NEXT or gtid_slave_pos), which needs "
                + "SUPER (MariaDB) or SYSTEM_VARIABLES_ADMIN (MySQL 8), "
                + "which the recommended least-privilege bot user may lack: the bot reads its own grants and then "
                + "offers this option as instructions for a DBA (it would fail with error "
                + ServerErrors.PRIVILEGE_MISSING + " after stopping replication).");
        plan.skipRisk("Skipping on " + f.node() + " drops " + f.sourceNode() + "'s version of the row: the "
                + "nodes stay different for that row until someone repairs it (pt-table-sync). "
                + "If more events conflict, replication stops again.");
        plan.rebuild("Rebuild " + f.node() + " from a consistent copy of " + f.sourceNode()
                + " (mariabackup / xtrabackup / CLONE), then restart replication from the backup's "
                + "binlog coordinates. Slow, but leaves no divergence.");
    }

    /**
     * MySQL with gtid_mode=ON refuses the skip counter (error 1858, auto-position or not): the
     * failing transaction is skipped by committing it empty under its own GTID, which the
     * applier then treats as applied. The GTID comes from performance_schema (the worker's
     * APPLYING_TRANSACTION), never from parsing Last_SQL_Error.
     */
    private void skipByEmptyTransaction(Situation at, PlanDraft plan) {
        Finding f = at.finding();
        ReplicaChannel c = at.channel();
        SqlDialect sql = at.sql();
        String gtid = c.applier().failingTransaction();
        if (!Applier.isMysqlGtid(gtid)) {
            plan.skipRisk("MySQL with gtid_mode=ON refuses the skip counter (error "
                    + ServerErrors.SKIP_COUNTER_REFUSED_IN_GTID_MODE + "), and the failing transaction's GTID could not "
                    + "be read (grant SELECT on performance_schema.replication_applier_status_by_worker): on " + f.node()
                    + " read APPLYING_TRANSACTION there, commit an empty transaction with it (SET GTID_NEXT='<gtid>'; "
                    + "BEGIN; COMMIT; SET GTID_NEXT='AUTOMATIC'), then " + sql.startReplica() + ".");
            return;
        }
        List<String> statements = new ArrayList<>();
        statements.add(sql.stopReplica());
        statements.addAll(sql.commitEmptyTransaction(gtid));
        statements.add(sql.startReplica());
        plan.skipStep(new NodeStep(f.node(), f.kind(), "Skip " + what + ", transaction " + gtid + ", on " + f.node()
                + " by committing it empty, and continue", statements));
    }

    /**
     * MariaDB with parallel replication and several GTID domains refuses the skip counter (error
     * 1966): move @@gtid_slave_pos past the failing GTID instead, which needs every connection
     * stopped. The failing GTID is the Gtid event at the executed position in the source's binlog.
     */
    private void skipByGtidSlavePos(Situation at, PlanDraft plan, int domains) {
        Finding f = at.finding();
        ReplicaChannel c = at.channel();
        SqlDialect sql = at.sql();
        String slavePos = c.applier().gtidSlavePos();
        String failing = c.applier().failingTransaction();
        if (!Applier.isMariaDbGtid(failing) || slavePos.isEmpty()) {
            plan.skipRisk("MariaDB with parallel replication and " + domains + " GTID domains refuses the skip counter "
                    + "(error " + ServerErrors.SKIP_COUNTER_REFUSED_PARALLEL_MULTI_DOMAIN + "): on " + f.node()
                    + " STOP ALL SLAVES, set gtid_slave_pos past the failing GTID in its domain, START ALL SLAVES.");
            return;
        }
        String position = MariaDbGtid.replaceDomain(slavePos, failing);
        plan.skipStep(new NodeStep(f.node(), f.kind(), "Skip " + what + ", GTID " + failing + ", on " + f.node()
                + " by moving gtid_slave_pos past it (the skip counter is refused with parallel replication and "
                + domains + " domains), and continue",
                List.of(sql.stopAllReplicas(), sql.setGtidSlavePos(position), sql.startAllReplicas())));
    }
}
