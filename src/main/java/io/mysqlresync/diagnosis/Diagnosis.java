package io.mysqlresync.diagnosis;

import io.mysqlresync.ledger.LedgerReader;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.ledger.TruncatedBinlog;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * All findings for one cluster at one moment, with the status they were drawn from, and the loss
 * ledger: which transactions a crash may have left on one node only ({@link LossLedger#NOT_READ}
 * until an adapter has read the logs).
 *
 * @param causes the settings that explain these findings, one sentence each ("node1 runs
 *               sync_binlog=0: ..."), added by the crash-safety audit after diagnosing; empty when
 *               no setting explains them or the settings could not be read
 */
public record Diagnosis(String cluster, Instant at, ClusterStatus status, List<Finding> findings, LossLedger ledger,
                        List<String> causes) {

    public Diagnosis {
        findings = List.copyOf(findings);
        ledger = ledger == null ? LossLedger.NOT_READ : ledger;
        // Plans stored before causes existed have none.
        causes = causes == null ? List.of() : List.copyOf(causes);
    }

    public Diagnosis(String cluster, Instant at, ClusterStatus status, List<Finding> findings) {
        this(cluster, at, status, findings, LossLedger.NOT_READ, List.of());
    }

    public Diagnosis(String cluster, Instant at, ClusterStatus status, List<Finding> findings, LossLedger ledger) {
        this(cluster, at, status, findings, ledger, List.of());
    }

    /** The same diagnosis, explained by these settings. */
    public Diagnosis withCauses(List<String> sentences) {
        return new Diagnosis(cluster, at, status, findings, ledger, sentences);
    }

    /** This diagnosis with the ledger {@code reader} reads for its truncated binlogs and GTID gaps. */
    public Diagnosis withLedgerFrom(LedgerReader reader) {
        return new Diagnosis(cluster, at, status, findings, reader.read(status, truncatedBinlogs()), causes);
    }

    /** Each SOURCE_BINLOG_TRUNCATED finding whose source file size is known, as the ledger reader's input. */
    public List<TruncatedBinlog> truncatedBinlogs() {
        return findings.stream().filter(f -> f.kind() == FindingKind.SOURCE_BINLOG_TRUNCATED)
                .flatMap(f -> {
                    ReplicaChannel ch = status.node(f.node()).flatMap(NodeStatus::replica).orElse(null);
                    if (ch == null || ch.received() == null) return java.util.stream.Stream.empty();
                    return status.node(f.sourceNode()).filter(NodeStatus::reachable)
                            .flatMap(s -> s.binaryLog(ch.received().file()))
                            .map(file -> new TruncatedBinlog(f.sourceNode(), f.node(), ch.received(), file.sizeBytes()))
                            .stream();
                }).toList();
    }

    public Severity worst() {
        return findings.stream().map(Finding::severity).max(Comparator.naturalOrder()).orElse(Severity.OK);
    }

    /** Broken means someone has to act: an error, a stopped thread, an unreachable node. */
    public boolean broken() {
        return worst() == Severity.CRITICAL || findings.stream()
                .anyMatch(f -> f.kind() == FindingKind.THREADS_STOPPED_BY_OPERATOR);
    }

    public boolean inSync() {
        return findings.stream().allMatch(f -> f.kind() == FindingKind.HEALTHY
                || f.kind() == FindingKind.RECENTLY_RESTARTED);
    }

    public List<Finding> on(String node) {
        return findings.stream().filter(f -> f.node().equals(node)).toList();
    }

    /**
     * One verdict per configured node, the broken ones first (in node order), then the fine ones:
     * the grouping every channel's "what is broken" shows, formatted its own way.
     */
    public List<NodeVerdict> byNodeBrokenFirst() {
        List<NodeVerdict> broken = new ArrayList<>();
        List<NodeVerdict> fine = new ArrayList<>();
        Set<String> nodes = new LinkedHashSet<>();
        status.nodes().forEach(n -> nodes.add(n.node()));
        findings.forEach(f -> nodes.add(f.node()));
        for (String node : nodes) {
            List<Finding> worstFirst = on(node).stream().filter(f -> f.kind() != FindingKind.HEALTHY)
                    .sorted(Comparator.comparing(Finding::severity).reversed()).toList();
            NodeVerdict v = new NodeVerdict(node, worstFirst, status.node(node).flatMap(NodeStatus::replica));
            (v.fine() ? fine : broken).add(v);
        }
        broken.addAll(fine);
        return broken;
    }

    public List<Finding> problems() {
        return findings.stream().filter(f -> f.severity() != Severity.OK).toList();
    }

    public String headline() {
        List<Finding> problems = problems().stream()
                .filter(f -> f.kind() != FindingKind.RECENTLY_RESTARTED).toList();
        if (problems.isEmpty()) {
            return cluster + ": replication healthy on every node";
        }
        StringBuilder sb = new StringBuilder(cluster).append(": ");
        for (int i = 0; i < problems.size(); i++) {
            Finding f = problems.get(i);
            if (i > 0) sb.append("; ");
            sb.append(f.node()).append(' ').append(f.kind().title().toLowerCase());
        }
        return sb.toString();
    }
}
