package io.mysqlresync.diagnosis;

import java.util.List;

/**
 * One thing the diagnosis found on one node.
 *
 * @param node        the node showing the symptom, which is also where the fix runs
 * @param sourceNode  the node it replicates from, when that matters (truncated source binlog)
 * @param summary     one line, with the numbers
 * @param explanation plain words: what happened and why it matters
 * @param evidence    the status fields that prove it
 */
public record Finding(FindingKind kind, String node, String sourceNode, String summary,
                      String explanation, List<Evidence> evidence) {

    public Finding {
        evidence = List.copyOf(evidence);
        sourceNode = sourceNode == null ? "" : sourceNode;
    }

    public Severity severity() {
        return kind.severity();
    }
}
