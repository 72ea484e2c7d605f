package io.mysqlresync.audit;

import java.util.List;

/**
 * What a rule sees: the node it audits, every node of its cluster (the pair's other node, for
 * checks across nodes) in configured order, and the operator's targets.
 */
public record AuditContext(NodeSettings node, List<NodeSettings> cluster, AuditPolicy policy) {

    public AuditContext {
        cluster = List.copyOf(cluster);
    }

    /** The other nodes: the pair's other node in an active-active pair. */
    public List<NodeSettings> others() {
        return cluster.stream().filter(n -> !n.node().equals(node.node())).toList();
    }

    /** This node's place in the configured order, from 0: decides which node a shared fix goes to. */
    public int position() {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.get(i).node().equals(node.node())) {
                return i;
            }
        }
        throw new IllegalStateException(node.node() + " is not in its own cluster");
    }
}
