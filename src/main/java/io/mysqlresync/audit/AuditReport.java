package io.mysqlresync.audit;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The crash-safety audit of one cluster.
 *
 * @param findings   per node in configured order, FINE ones included
 * @param unreadable nodes whose settings could not be read, with the reason: not vouched for
 */
public record AuditReport(String cluster, List<SettingFinding> findings, Map<String, String> unreadable) {

    public AuditReport {
        findings = List.copyOf(findings);
        unreadable = Map.copyOf(unreadable);
    }

    /** The worst finding; a node that could not be read counts as RISKY (nothing is known about it). */
    public Safety worst() {
        Safety worst = findings.stream().map(SettingFinding::safety).max(Comparator.naturalOrder()).orElse(Safety.FINE);
        return unreadable.isEmpty() || worst == Safety.UNSAFE ? worst : Safety.RISKY;
    }

    public List<SettingFinding> problems() {
        return findings.stream().filter(SettingFinding::isProblem).toList();
    }

    public List<SettingFinding> on(String node) {
        return findings.stream().filter(f -> f.node().equals(node)).toList();
    }

    /** The finding for one item on one node, if that item was checked there. */
    public Optional<SettingFinding> find(String node, String item) {
        return findings.stream().filter(f -> f.node().equals(node) && f.item().equals(item)).findFirst();
    }
}
