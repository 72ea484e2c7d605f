package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.BinlogFile;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;

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
        Optional<NodeStatus> source = at.reachableSource();
        Optional<BinlogFile> truncated = source.flatMap(s -> s.binaryLog(c.received().file()));
        Optional<BinlogFile> next = source.flatMap(s -> s.binaryLogAfter(c.received().file()));
        if (next.isEmpty()) {
            plan.manual("On " + f.sourceNode() + ": FLUSH BINARY LOGS so that " + f.node()
                    + " has a new binlog to resume from, then ask for the plan again.");
            return;
        }
        SqlDialect sql = SqlDialect.of(n.version());
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
}
