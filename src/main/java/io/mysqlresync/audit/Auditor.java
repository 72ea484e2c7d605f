package io.mysqlresync.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs every rule on every node of a cluster. Reads nothing and changes nothing: plain values in, findings out. */
public final class Auditor {

    private final List<SettingRule> rules;
    private final AuditPolicy policy;

    public Auditor() {
        this(SettingRules.ALL, AuditPolicy.DEFAULT);
    }

    public Auditor(List<SettingRule> rules, AuditPolicy policy) {
        this.rules = List.copyOf(rules);
        this.policy = policy;
    }

    /** The variables an adapter must read from each node for these rules. */
    public List<String> variables() {
        return List.copyOf(SettingRules.variables(rules));
    }

    public AuditReport audit(String cluster, List<NodeSettings> nodes, Map<String, String> unreadable) {
        List<SettingFinding> findings = new ArrayList<>();
        for (NodeSettings node : nodes) {
            AuditContext context = new AuditContext(node, nodes, policy);
            for (SettingRule rule : rules) {
                try {
                    findings.addAll(rule.check(context));
                } catch (RuntimeException e) {
                    // One odd value (a number a server printed differently) must not hide every other finding.
                    findings.add(new SettingFinding(node.node(), rule.getClass().getSimpleName(), "", "", "",
                            Safety.RISKY, "could not be checked: " + e.getMessage(), Fix.NONE));
                }
            }
        }
        return new AuditReport(cluster, findings, unreadable);
    }
}
