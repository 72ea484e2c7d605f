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

    /**
     * What a later audit has to say relative to an earlier one, for a scheduled audit that posts
     * only changes: problems that are new or changed value or severity, and problems now gone.
     */
    public Changes changesSince(AuditReport previous) {
        List<SettingFinding> appeared = problems().stream()
                .filter(f -> previous.problems().stream().noneMatch(p -> sameState(p, f))).toList();
        List<SettingFinding> fixed = previous.problems().stream()
                .filter(p -> problems().stream().noneMatch(f -> sameItem(p, f)))
                .filter(p -> !unreadable.containsKey(p.node())) // unknown is not fixed
                .toList();
        return new Changes(appeared, fixed);
    }

    /** @param appeared problems new since the previous audit, or with another value or severity
     *  @param fixed    problems of the previous audit that are no longer there */
    public record Changes(List<SettingFinding> appeared, List<SettingFinding> fixed) {
        public boolean isEmpty() {
            return appeared.isEmpty() && fixed.isEmpty();
        }
    }

    private static boolean sameItem(SettingFinding a, SettingFinding b) {
        return a.node().equals(b.node()) && a.item().equals(b.item()) && a.setting().equals(b.setting());
    }

    private static boolean sameState(SettingFinding a, SettingFinding b) {
        return sameItem(a, b) && a.current().equals(b.current()) && a.safety() == b.safety();
    }

    /** The finding for one item on one node, if that item was checked there. */
    public Optional<SettingFinding> find(String node, String item) {
        return findings.stream().filter(f -> f.node().equals(node) && f.item().equals(item)).findFirst();
    }
}
