package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ServerErrors;

import java.util.List;
import java.util.Optional;

/**
 * RELAY_LOG_CORRUPT: discard the relay log and fetch the events again from the last position
 * (or GTIDs) the node applied. The source is not restated: the seed incident's
 * MASTER_HOST='node1' on node1 cannot happen.
 */
final class RefetchRelayLog implements Recipe {

    @Override
    public void addTo(Situation at, PlanDraft plan) {
        Finding f = at.finding();
        ReplicaChannel c = at.channel();
        if (!c.usesGtid() && c.executed() == null) {
            plan.manual(f.node() + " reports no executed position (Relay_Master_Log_File is empty): "
                    + "find the last applied transaction by hand before re-pointing it.");
            return;
        }
        SqlDialect sql = at.sql();
        String reposition = c.usesGtid() ? sql.changeSourceToGtidPosition(c.gtidMode())
                : sql.changeSourcePosition(c.executed());
        ApplierGaps.fillFirst(at, plan);
        plan.safeStep(new NodeStep(f.node(), f.kind(),
                c.usesGtid()
                        ? "Discard the corrupt relay log and re-fetch from the GTIDs " + f.node() + " already applied"
                        : "Discard the corrupt relay log and re-fetch " + f.sourceNode() + "'s binlog from "
                        + c.executed() + ", the last position " + f.node() + " applied",
                List.of(sql.stopReplica(), reposition, sql.startReplica())));
        plan.safeLoss(f.node() + ": none expected: the discarded relay log events are fetched again from "
                + f.sourceNode() + ".");
        if (c.usesGtid()) {
            return;
        }
        Optional<NodeStatus> source = at.reachableSource();
        if (source.isPresent() && source.get().binaryLog(c.executed().file()).isEmpty()) {
            plan.safeRisk(f.sourceNode() + " no longer lists " + c.executed().file()
                    + " in SHOW BINARY LOGS: the re-fetch will fail with error "
                    + ServerErrors.FATAL_ERROR_READING_BINLOG + " and " + f.node() + " will need a rebuild.");
        }
        plan.safeRisk("The restart point comes from " + f.node() + "'s relay log info. If it was not "
                + "crash-safe (MySQL 5.7 with relay_log_info_repository=FILE), events may be "
                + "applied twice and stop on error " + ServerErrors.DUPLICATE_ENTRY + " or "
                + ServerErrors.ROW_NOT_FOUND + "; the bot will report it.");
    }
}
