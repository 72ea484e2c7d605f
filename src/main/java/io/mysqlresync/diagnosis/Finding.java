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
 * @param channel     the replication channel (MySQL) or connection (MariaDB) it is about; empty
 *                    for the default one and for findings about the node itself
 */
public record Finding(FindingKind kind, String node, String sourceNode, String summary,
                      String explanation, List<Evidence> evidence, String channel) {

    public Finding {
        evidence = List.copyOf(evidence);
        sourceNode = sourceNode == null ? "" : sourceNode;
        channel = channel == null ? "" : channel;
    }

    /** A finding about the node or its default channel. */
    public Finding(FindingKind kind, String node, String sourceNode, String summary, String explanation,
                   List<Evidence> evidence) {
        this(kind, node, sourceNode, summary, explanation, evidence, "");
    }

    public Severity severity() {
        return kind.severity();
    }
}
