package io.mysqlresync.audit;

import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.FindingKind;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Links a diagnosis to the settings that made it happen: "node1 runs sync_binlog=0: the power cut
 * lost its binlog tail, which is why node2 asked for a position past the end". Only settings the
 * audit found RISKY or UNSAFE are named; a crash on well-set nodes gets no cause, not a guess.
 */
public final class IncidentCauses {

    /** The finding kinds a setting can explain; for any other, the settings need not be read. */
    public static final Set<FindingKind> EXPLAINABLE = EnumSet.of(FindingKind.SOURCE_BINLOG_TRUNCATED,
            FindingKind.REPLICA_AHEAD_OF_SOURCE, FindingKind.RELAY_LOG_CORRUPT, FindingKind.SOURCE_BINLOGS_PURGED,
            FindingKind.DUPLICATE_KEY, FindingKind.ROW_NOT_FOUND);

    private IncidentCauses() {
    }

    public static List<Cause> explain(List<Finding> findings, AuditReport audit) {
        List<Cause> causes = new ArrayList<>();
        for (Finding f : findings) {
            String node = f.node();
            String source = f.sourceNode();
            switch (f.kind()) {
                case SOURCE_BINLOG_TRUNCATED -> problem(audit, source, SyncBinlog.ITEM).ifPresent(s -> causes.add(
                        cause(f, s, source + " runs " + s.setting() + "=" + s.current() + ": the power cut lost its"
                                + " binlog tail, which is why " + node + " asked for a position past the end")));
                case REPLICA_AHEAD_OF_SOURCE -> {
                    problem(audit, source, SyncBinlog.ITEM).ifPresent(s -> causes.add(cause(f, s, source + " runs "
                            + s.setting() + "=" + s.current() + ": the crash lost transactions from its binlog that "
                            + node + " had already received, which is why " + node + " is ahead of its source")));
                    problem(audit, source, InnodbFlushLogAtTrxCommit.ITEM).ifPresent(s -> causes.add(cause(f, s,
                            source + " runs " + s.setting() + "=" + s.current() + ": the crash lost commits " + node
                                    + " had already received, which is why " + node + " is ahead of its source")));
                }
                case RELAY_LOG_CORRUPT -> problem(audit, node, RelayLogRecovery.ITEM).ifPresent(s -> causes.add(
                        cause(f, s, node + " runs " + s.setting() + "=" + s.current() + ": it kept the relay log the"
                                + " crash tore instead of fetching it again" + from(source) + ", which is why its SQL"
                                + " thread stopped on a relay log read failure")));
                case SOURCE_BINLOGS_PURGED -> problem(audit, source, BinlogRetention.ITEM).ifPresent(s -> causes.add(
                        cause(f, s, source + " keeps binlogs too briefly (" + s.current() + "): " + node + " was away"
                                + " longer, which is why the files it needed were purged")));
                case DUPLICATE_KEY, ROW_NOT_FOUND -> {
                    if (f.kind() == FindingKind.DUPLICATE_KEY) {
                        autoIncrementClash(audit, node, source).ifPresent(s -> causes.add(cause(f, s, s.node()
                                + " and " + (s.node().equals(node) ? source : node) + " hand out the same"
                                + " auto-increment ids (" + s.current() + " on " + s.node() + "): rows inserted on both"
                                + " at once collided, which is why " + node + " stopped on a duplicate key")));
                    }
                    problem(audit, node, InfoRepositories.ITEM).filter(s -> s.setting().equals("relay_log_info_repository"))
                            .ifPresent(s -> causes.add(cause(f, s, node + " keeps its applier position in a file ("
                                    + s.setting() + "=" + s.current() + "): after the crash it repeated or skipped"
                                    + " transactions, which is why it stopped on "
                                    + (f.kind() == FindingKind.DUPLICATE_KEY ? "a duplicate key" : "a missing row"))));
                }
                default -> {
                    // Unreachable nodes, auth failures, lag: no setting explains them.
                }
            }
        }
        return causes;
    }

    private static Cause cause(Finding f, SettingFinding s, String sentence) {
        return new Cause(f.node(), f.kind(), s, sentence);
    }

    private static String from(String source) {
        return source.isEmpty() ? "" : " from " + source;
    }

    private static Optional<SettingFinding> problem(AuditReport audit, String node, String item) {
        return audit.findings().stream()
                .filter(s -> s.node().equals(node) && s.item().equals(item) && s.isProblem())
                .findFirst();
    }

    /** The auto-increment finding lands on one node of the colliding pair: whichever it is. */
    private static Optional<SettingFinding> autoIncrementClash(AuditReport audit, String node, String source) {
        return problem(audit, node, AutoIncrementSequences.ITEM).or(() -> problem(audit, source, AutoIncrementSequences.ITEM));
    }
}
