package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.BinlogFile;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ServerErrors;

import java.util.List;
import java.util.Optional;

/**
 * SOURCE_BINLOG_TRUNCATED: resume at the start of the source's next binlog, the one it began
 * when it came back, and say what the cut end of the old one may have cost: the ledger's transactions.
 */
final class ResumeFromNextBinlog implements Recipe {

    @Override
    public void addTo(Situation at, PlanDraft plan) {
        Finding f = at.finding();
        NodeStatus n = at.node();
        ReplicaChannel c = at.channel();
        if (c.received() == null) {
            plan.manual(f.node() + " reports no source position; re-point it by hand.");
            return;
        }
        if (c.usesGtid()) {
            resumeByGtid(at, plan);
            return;
        }
        Optional<NodeStatus> source = at.reachableSource();
        Optional<BinlogFile> truncated = source.flatMap(s -> s.binaryLog(c.received().file()));
        Optional<BinlogFile> next = source.flatMap(s -> s.binaryLogAfter(c.received().file()));
        if (next.isEmpty()) {
            plan.manual("On " + f.sourceNode() + ": FLUSH BINARY LOGS so that " + f.node()
                    + " has a new binlog to resume from, then ask for the plan again.");
            return;
        }
        SqlDialect sql = at.sql();
        ApplierGaps.fillFirst(at, plan);
        BinlogCoordinates resume = new BinlogCoordinates(next.get().name(), BinlogCoordinates.FIRST_EVENT_POSITION);
        plan.safeStep(new NodeStep(f.node(), f.kind(),
                "Resume replication from " + f.sourceNode() + "'s next binlog, " + resume,
                List.of(sql.stopReplica(), sql.changeSourcePosition(resume), sql.startReplica())));
        long missing = truncated.map(t -> c.received().position() - t.sizeBytes()).orElse(-1L);
        // The loss is the transactions, from the ledger; the byte figure is only evidence.
        String evidence = missing > 0
                ? " (Evidence: " + f.sourceNode() + "'s " + c.received().file() + " ends at "
                + truncated.get().sizeBytes() + "; " + f.node() + " had read to " + c.received().position()
                + ": " + missing + " bytes.)"
                : " (Evidence: " + f.sourceNode() + " reports " + c.received().file()
                + " no shorter than the requested position.)";
        plan.safeLoss(at.atRisk(f.sourceNode(), f.node()) + evidence);
        plan.safeRisk("Transactions " + f.sourceNode() + " committed after " + c.received()
                + " and before the crash were cut from its binlog: if its tables kept them, "
                + f.node() + " will never receive them. Resuming at " + resume + " skips them for good.");
        c.unappliedBytesInSameFile().ifPresent(unapplied -> {
            if (unapplied > 0) {
                plan.safeRisk(f.node() + " received " + unapplied + " bytes from " + f.sourceNode()
                        + " that it has not applied yet (Exec < Read). Re-pointing discards its relay "
                        + "log, so those events are lost unless its SQL thread applies them first.");
            }
        });
    }

    /**
     * With GTID auto-positioning (MySQL Auto_Position=1, MariaDB Using_Gtid) the replica asks for
     * the transactions it lacks, not for a file and position: SOURCE_LOG_FILE/POS would be refused
     * (error 1776 on MySQL). Reconnecting the IO thread is the whole fix; if the source lost
     * transactions the replica already has, it answers with a different 1236 that the diagnosis
     * reports on its own.
     */
    private static void resumeByGtid(Situation at, PlanDraft plan) {
        Finding f = at.finding();
        SqlDialect sql = at.sql();
        plan.safeStep(new NodeStep(f.node(), f.kind(),
                "Reconnect " + f.node() + " to " + f.sourceNode() + " by GTID: it asks for the transactions it lacks",
                List.of(sql.stopIoThread(), sql.startIoThread())));
        plan.safeRisk("If " + f.sourceNode() + "'s crash cut transactions that " + f.node() + " already applied, "
                + f.sourceNode() + " refuses the reconnect (error " + ServerErrors.FATAL_ERROR_READING_BINLOG
                + ", the replica has GTIDs the source lacks) and the bot reports it.");
    }
}
