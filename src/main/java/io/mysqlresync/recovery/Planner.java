package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.BinlogFile;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns findings into recovery options with exact SQL per node. Pure, like the diagnosis. */
public final class Planner {

    public static final String RESYNC = "resync";
    public static final String SKIP_EVENT = "skip-event";
    public static final String REBUILD = "rebuild";

    public RecoveryPlan plan(Diagnosis diagnosis, String planId, Instant now) {
        ClusterStatus status = diagnosis.status();
        List<NodeStep> safeSteps = new ArrayList<>();
        List<String> safeRisks = new ArrayList<>();
        List<String> safeLoss = new ArrayList<>();
        List<NodeStep> skipSteps = new ArrayList<>();
        List<String> skipRisks = new ArrayList<>();
        List<String> rebuildActions = new ArrayList<>();
        List<String> manual = new ArrayList<>();

        for (Finding f : diagnosis.findings()) {
            Optional<NodeStatus> node = status.node(f.node());
            Optional<ReplicaChannel> ch = node.filter(NodeStatus::reachable).flatMap(NodeStatus::replica);
            switch (f.kind()) {
                case RELAY_LOG_CORRUPT -> {
                    NodeStatus n = node.orElseThrow();
                    ReplicaChannel c = ch.orElseThrow();
                    if (!c.usesGtid() && c.executed() == null) {
                        manual.add(f.node() + " reports no executed position (Relay_Master_Log_File is empty): "
                                + "find the last applied transaction by hand before re-pointing it.");
                        continue;
                    }
                    SqlDialect sql = SqlDialect.of(n.version());
                    String reposition = c.usesGtid() ? sql.changeSourceToGtidPosition()
                            : sql.changeSourcePosition(c.executed());
                    safeSteps.add(new NodeStep(f.node(), f.kind(),
                            c.usesGtid()
                                    ? "Discard the corrupt relay log and re-fetch from the GTIDs " + f.node() + " already applied"
                                    : "Discard the corrupt relay log and re-fetch " + f.sourceNode() + "'s binlog from "
                                    + c.executed() + ", the last position " + f.node() + " applied",
                            List.of(sql.stopReplica(), reposition, sql.startReplica())));
                    safeLoss.add(f.node() + ": none expected: the discarded relay log events are fetched again from "
                            + f.sourceNode() + ".");
                    Optional<NodeStatus> source = status.sourceOf(f.node()).filter(NodeStatus::reachable);
                    if (!c.usesGtid()) {
                        if (source.isPresent() && source.get().binaryLog(c.executed().file()).isEmpty()) {
                            safeRisks.add(f.sourceNode() + " no longer lists " + c.executed().file()
                                    + " in SHOW BINARY LOGS: the re-fetch will fail with error 1236 and "
                                    + f.node() + " will need a rebuild.");
                        }
                        safeRisks.add("The restart point comes from " + f.node() + "'s relay log info. If it was not "
                                + "crash-safe (MySQL 5.7 with relay_log_info_repository=FILE), events may be "
                                + "applied twice and stop on error 1062 or 1032; the bot will report it.");
                    }
                }
                case SOURCE_BINLOG_TRUNCATED -> {
                    NodeStatus n = node.orElseThrow();
                    ReplicaChannel c = ch.orElseThrow();
                    if (c.received() == null) {
                        manual.add(f.node() + " reports no source position; re-point it by hand.");
                        continue;
                    }
                    Optional<NodeStatus> source = status.sourceOf(f.node()).filter(NodeStatus::reachable);
                    Optional<BinlogFile> truncated = source.flatMap(s -> s.binaryLog(c.received().file()));
                    Optional<BinlogFile> next = source.flatMap(s -> s.binaryLogAfter(c.received().file()));
                    if (next.isEmpty()) {
                        manual.add("On " + f.sourceNode() + ": FLUSH BINARY LOGS so that " + f.node()
                                + " has a new binlog to resume from, then ask for the plan again.");
                        continue;
                    }
                    SqlDialect sql = SqlDialect.of(n.version());
                    BinlogCoordinates resume = new BinlogCoordinates(next.get().name(), BinlogCoordinates.FIRST_EVENT_POSITION);
                    safeSteps.add(new NodeStep(f.node(), f.kind(),
                            "Resume replication from " + f.sourceNode() + "'s next binlog, " + resume,
                            List.of(sql.stopReplica(), sql.changeSourcePosition(resume), sql.startReplica())));
                    long missing = truncated.map(t -> c.received().position() - t.sizeBytes()).orElse(-1L);
                    // The byte figure is evidence; the loss is the transactions, from the ledger.
                    String evidence = missing > 0
                            ? " (Evidence: " + f.sourceNode() + "'s " + c.received().file() + " ends at "
                            + truncated.get().sizeBytes() + "; " + f.node() + " had read to " + c.received().position()
                            + ": " + missing + " bytes.)"
                            : " (Evidence: " + f.sourceNode() + " reports " + c.received().file()
                            + " no shorter than the requested position.)";
                    safeLoss.add(lossFromLedger(diagnosis, f.sourceNode(), f.node()) + evidence);
                    safeRisks.add("Transactions " + f.sourceNode() + " committed after " + c.received()
                            + " and before the crash were cut from its binlog: if its tables kept them, "
                            + f.node() + " will never receive them. Resuming at " + resume + " skips them for good.");
                    c.unappliedBytesInSameFile().ifPresent(unapplied -> {
                        if (unapplied > 0) {
                            safeRisks.add(f.node() + " received " + unapplied + " bytes from " + f.sourceNode()
                                    + " that it has not applied yet (Exec < Read). Re-pointing discards its relay "
                                    + "log, so those events are lost unless its SQL thread applies them first.");
                        }
                    });
                }
                case THREADS_STOPPED_BY_OPERATOR -> {
                    NodeStatus n = node.orElseThrow();
                    SqlDialect sql = SqlDialect.of(n.version());
                    safeSteps.add(new NodeStep(f.node(), f.kind(), "Start replication again on " + f.node(),
                            List.of(sql.startReplica())));
                    safeRisks.add("Replication on " + f.node() + " was stopped without an error, probably on purpose "
                            + "(maintenance, a backup): check with whoever stopped it.");
                }
                case DUPLICATE_KEY, ROW_NOT_FOUND -> {
                    NodeStatus n = node.orElseThrow();
                    ReplicaChannel c = ch.orElseThrow();
                    SqlDialect sql = SqlDialect.of(n.version());
                    String what = f.kind() == FindingKind.DUPLICATE_KEY ? "the conflicting insert" : "the change to the missing row";
                    if (sql.canSkipWithCounter(c.usesGtid())) {
                        skipSteps.add(new NodeStep(f.node(), f.kind(),
                                "Skip " + what + " (one event group) on " + f.node() + " and continue",
                                List.of(sql.stopReplica(), sql.skipOneEvent(), sql.startReplica())));
                    } else {
                        skipRisks.add("MySQL with GTID auto-position cannot skip with the skip counter: on "
                                + f.node() + " commit an empty transaction with the failing GTID (see Last_SQL_Error), "
                                + "then START REPLICA.");
                    }
                    skipRisks.add("Setting the skip counter needs SUPER (MariaDB) or SYSTEM_VARIABLES_ADMIN (MySQL 8), "
                            + "which the recommended least-privilege bot user lacks: then the skip statement fails "
                            + "with error 1227, replication stays stopped, nothing after it runs, and a DBA skips by hand.");
                    skipRisks.add("Skipping on " + f.node() + " drops " + f.sourceNode() + "'s version of the row: the "
                            + "nodes stay different for that row until someone repairs it (pt-table-sync). "
                            + "If more events conflict, replication stops again.");
                    rebuildActions.add("Rebuild " + f.node() + " from a consistent copy of " + f.sourceNode()
                            + " (mariabackup / xtrabackup / CLONE), then restart replication from the backup's "
                            + "binlog coordinates. Slow, but leaves no divergence.");
                }
                case SOURCE_BINLOGS_PURGED -> manual.add("Rebuild " + f.node() + " from a backup or clone of "
                        + f.sourceNode() + ": the binlogs it needs are gone, no statement can bring them back.");
                case REPLICA_AHEAD_OF_SOURCE -> manual.add("Decide which node is right for the transactions "
                        + f.sourceNode() + " lost: compare them (pt-table-checksum), then rebuild the wrong node."
                        + (diagnosis.ledger().read() ? " " + lossFromLedger(diagnosis, f.sourceNode(), f.node()) : ""));
                case REPLICATION_AUTH_FAILURE -> manual.add("On " + f.sourceNode() + ": fix the replication user's "
                        + "password or grants, then run START SLAVE IO_THREAD (or START REPLICA IO_THREAD) on " + f.node() + ".");
                case SOURCE_UNREACHABLE -> manual.add("Bring " + f.sourceNode() + " back or fix the network between "
                        + f.node() + " and " + f.sourceNode() + "; replication resumes by itself.");
                case NODE_UNREACHABLE -> manual.add("Bring " + f.node() + " back (or let the bot reach it), then ask for "
                        + "the plan again.");
                case NOT_A_REPLICA -> manual.add("Configure replication on " + f.node() + " from " + f.sourceNode()
                        + " by hand: the bot never writes host, user or password settings.");
                case UNKNOWN_ERROR -> manual.add("Read the error on " + f.node() + " and fix it by hand: " + f.summary() + ".");
                case HEALTHY, LAGGING, RECENTLY_RESTARTED -> {
                }
            }
        }

        List<PlanOption> options = new ArrayList<>();
        if (!safeSteps.isEmpty()) {
            options.add(new PlanOption(RESYNC, skipSteps.isEmpty() && rebuildActions.isEmpty()
                    ? "Resync the pair" : "Fix what is safe, leave the conflict for later",
                    true, safeSteps, List.of(), safeRisks, safeLoss));
        }
        if (!skipSteps.isEmpty()) {
            List<NodeStep> steps = new ArrayList<>(safeSteps);
            steps.addAll(skipSteps);
            List<String> risks = new ArrayList<>(skipRisks);
            risks.addAll(safeRisks);
            List<String> loss = new ArrayList<>(safeLoss);
            loss.add("The skipped event(s): the rows they touch differ between the nodes until repaired.");
            options.add(new PlanOption(SKIP_EVENT, "Skip the conflicting event", true, steps, List.of(), risks, loss));
        } else if (!skipRisks.isEmpty()) {
            manual.addAll(skipRisks);
        }
        if (!rebuildActions.isEmpty()) {
            options.add(new PlanOption(REBUILD, "Rebuild the diverged node", false, List.of(), rebuildActions,
                    List.of("The node is out of service while it is rebuilt."), List.of("None, if the copy is consistent.")));
        }
        List<NodeExpectation> pre = status.nodes().stream().map(NodeExpectation::of).toList();
        return new RecoveryPlan(planId, diagnosis.cluster(), now, diagnosis, options, manual, pre);
    }

    /** The transactions at risk in this direction, in one line, or why they are not listed. */
    static String lossFromLedger(Diagnosis diagnosis, String origin, String holder) {
        LossLedger ledger = diagnosis.ledger();
        if (!ledger.read()) {
            return "Not listed: the loss ledger was not read, so the transactions " + holder + " received past the end of "
                    + origin + "'s binlog are unknown; compare every replicated table after recovery.";
        }
        return ledger.direction(origin, holder).map(DirectionLedger::summary)
                .orElse("None: " + holder + " holds no transaction of " + origin + " that " + origin
                        + "'s binlog lost (GTID positions compared).");
    }
}
