package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.ledger.AtRiskTransaction;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ServerErrors;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * REPLICA_AHEAD_OF_SOURCE: the replica applied transactions its source lost in a crash, and the
 * source refuses it (1236). Runnable only where the position to resume from is provable:
 * <ul>
 *   <li>MariaDB: the ledger's first lost GTID is the one right after the source's current
 *       position in that domain, so the source has written nothing in that domain since it came
 *       back. Then moving the replica's gtid_slave_pos back to the source's GTID in that domain,
 *       every other domain unchanged, resumes replication and skips nothing of the source's. The
 *       lost transactions stay on the replica only: the source ignores its own server id's
 *       events when it replicates them back. If the source has written in that domain since,
 *       resuming at its position would skip those new transactions: manual.</li>
 *   <li>MySQL (auto-position): the source refuses until its gtid_executed covers the replica's
 *       GTIDs of its server_uuid (ER_REPLICA_HAS_MORE_GTIDS_THAN_SOURCE, sql/rpl_binlog_sender.cc,
 *       Binlog_sender::check_start_file), so nothing resumes by itself. The MySQL 8.0/8.4 manual,
 *       19.1.3.3 "GTID Auto-Positioning": clients committing on the restarted source can make the
 *       two "use the same GTID for different transactions"; "the correct approach ... is to check
 *       manually whether the source and replica have diverged". No statement is proven safe
 *       (committing empty transactions under the lost GTIDs on the source would hide exactly that
 *       reuse, which a replica skips without a word): manual.</li>
 * </ul>
 */
final class ResumeAtSourceGtidPosition implements Recipe {

    private static final Pattern MARIADB_GTID = Pattern.compile("(\\d{1,10})-(\\d{1,10})-(\\d{1,20})");

    @Override
    public void addTo(Situation at, PlanDraft plan) {
        Finding f = at.finding();
        NodeStatus n = at.node();
        String decide = "Decide which node is right for the transactions " + f.sourceNode() + " lost: compare them "
                + "(verify, pt-table-checksum), then rebuild the wrong node." + (at.ledger().read()
                ? " " + at.atRisk(f.sourceNode(), f.node()) : "");
        if (n.version().flavor() != Flavor.MARIADB) {
            plan.manual(f.sourceNode() + " refuses " + f.node() + " until " + f.sourceNode() + "'s gtid_executed holds "
                    + "every GTID of its server_uuid that " + f.node() + " has; replication does not resume by itself. "
                    + "Check by hand whether " + f.sourceNode() + " has given any of those GTIDs to new transactions since "
                    + "its restart (MySQL manual, GTID Auto-Positioning): " + f.node() + " would skip those without a word. "
                    + "The bot runs nothing here, not even the empty transactions the error message suggests. " + decide);
            return;
        }
        Optional<String> refused = whyNotRunnable(at);
        if (refused.isPresent()) {
            plan.manual(refused.get() + " " + decide);
            return;
        }
        DirectionLedger lost = at.ledger().direction(f.sourceNode(), f.node()).orElseThrow();
        ReplicaChannel c = at.channel();
        String first = firstLostGtid(lost).orElseThrow();
        long domain = domainOf(first);
        String resumeAt = MariaDbGtid.inDomain(at.reachableSource().orElseThrow().gtidBinlogPos(), domain).orElseThrow();
        String position = MariaDbGtid.replaceDomain(c.applier().gtidSlavePos(), resumeAt);
        SqlDialect sql = at.sql();
        // Every connection must be stopped to set gtid_slave_pos.
        boolean several = n.channels().size() > 1;
        plan.safeStep(new NodeStep(f.node(), f.kind(), "Resume " + f.node() + " at " + f.sourceNode()
                + "'s GTID position in domain " + domain + ", " + resumeAt + ": gtid_slave_pos " + c.applier().gtidSlavePos()
                + " becomes " + position + ", every other domain unchanged",
                List.of(several ? sql.stopAllReplicas() : sql.stopReplica(), sql.setGtidSlavePos(position),
                        several ? sql.startAllReplicas() : sql.startReplica())));
        plan.pinGtidSlavePos(f.node());
        plan.pinGtidInDomain(f.sourceNode(), domain);
        plan.safeLoss(lost.summary() + " They stay on " + f.node() + " only: " + f.node() + " resumes after "
                + resumeAt + ", and " + f.sourceNode() + " never receives them back (it ignores its own server id's "
                + "events). Verify the tables named and repair them (the rows on " + f.node() + " only) afterwards.");
        // MariaDB numbers a node's next transaction above the highest of its domain it has seen,
        // replicated back included (gtid_current_pos): then the lost numbers are not reused.
        String replicaAt = MariaDbGtid.inDomain(c.applier().gtidSlavePos(), domain).orElseThrow();
        long seen = MariaDbGtid.inDomain(at.reachableSource().orElseThrow().gtidExecuted(), domain)
                .map(MariaDbGtid::seqNo).orElse(0L);
        if (seen < MariaDbGtid.seqNo(replicaAt)) {
            plan.safeRisk(f.sourceNode() + " has not seen its lost transactions come back (its gtid_current_pos is below "
                    + replicaAt + "), so its next transactions in domain " + domain + " reuse their numbers (" + first
                    + " onwards), which " + f.node() + "'s binlog already holds for the lost ones: with gtid_strict_mode=ON on "
                    + f.node() + " the first of them stops its SQL thread (error 1950), and a GTID lookup for those numbers "
                    + "finds different transactions on the two nodes.");
        }
        plan.safeRisk("Setting gtid_slave_pos needs REPLICATION SLAVE ADMIN (or SUPER) on " + f.node()
                + ": without it that statement fails with error " + ServerErrors.PRIVILEGE_MISSING
                + ", replication stays stopped and nothing after it runs." + (several
                ? " STOP/START ALL SLAVES act on every connection of " + f.node() + ", including any stopped on purpose."
                : ""));
    }

    /** Why the position cannot be proven from what was read; empty when it can. */
    private static Optional<String> whyNotRunnable(Situation at) {
        Finding f = at.finding();
        ReplicaChannel c = at.channel();
        String src = f.sourceNode();
        if (!c.usesGtid()) {
            return Optional.of(f.node() + " does not replicate by GTID (Using_Gtid: No): no GTID position to resume from.");
        }
        Optional<NodeStatus> source = at.reachableSource();
        if (source.isEmpty()) {
            return Optional.of(src + " could not be read, so its GTID position is unknown.");
        }
        Optional<DirectionLedger> lost = at.ledger().direction(src, f.node());
        Optional<String> first = lost.flatMap(ResumeAtSourceGtidPosition::firstLostGtid);
        if (first.isEmpty()) {
            return Optional.of("The loss ledger does not say which of " + src + "'s GTIDs " + f.node()
                    + " holds alone, so no position is proven to skip nothing of " + src + "'s.");
        }
        long domain = domainOf(first.get());
        // Its binlog's position, not gtid_current_pos: that one also takes the source's own lost
        // transactions back from the replica's stream (ignored, but recorded in its gtid_slave_pos).
        Optional<String> sourceAt = MariaDbGtid.inDomain(source.get().gtidBinlogPos(), domain);
        String expected = first.get().substring(0, first.get().lastIndexOf('-') + 1) + (MariaDbGtid.seqNo(first.get()) - 1);
        if (sourceAt.isEmpty()) {
            return Optional.of(src + "'s binlog holds no GTID in domain " + domain + " (gtid_binlog_pos "
                    + source.get().gtidBinlogPos() + "): no position of " + src + "'s to resume " + f.node() + " at.");
        }
        if (!sourceAt.get().equals(expected)) {
            return Optional.of(src + "'s binlog is at " + sourceAt.get() + " in domain " + domain + ", not at "
                    + expected + " right before the lost " + first.get() + (MariaDbGtid.seqNo(sourceAt.get())
                    > MariaDbGtid.seqNo(expected) ? ": it has written in that domain since its restart, and resuming "
                    + f.node() + " at its position would skip those new transactions (they may even reuse the lost "
                    + "numbers)."
                    : ": the ledger and the position disagree."));
        }
        Optional<String> replicaAt = MariaDbGtid.inDomain(c.applier().gtidSlavePos(), domain);
        if (replicaAt.isEmpty() || MariaDbGtid.seqNo(replicaAt.get()) < MariaDbGtid.seqNo(first.get())) {
            return Optional.of(f.node() + "'s gtid_slave_pos (" + c.applier().gtidSlavePos() + ") is not past "
                    + src + "'s " + expected + ", so it is not ahead of " + src + " in domain " + domain + ".");
        }
        return Optional.empty();
    }

    /** The first GTID the ledger lists, or the first of its range when the transactions could not be read. */
    private static Optional<String> firstLostGtid(DirectionLedger lost) {
        String text = lost.transactions().stream().map(AtRiskTransaction::id).findFirst().orElse(lost.range());
        Matcher m = MARIADB_GTID.matcher(text);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    private static long domainOf(String gtid) {
        return Long.parseLong(gtid.substring(0, gtid.indexOf('-')));
    }
}
