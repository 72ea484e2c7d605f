package io.mysqlresync.replication;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status of every node of one cluster, read in the same pass, plus the topology from the
 * configuration: which node each node replicates from. Topology comes from configuration, not
 * from Master_Host, because host names in replication settings are often aliases.
 */
public record ClusterStatus(String cluster, List<NodeStatus> nodes, Map<String, String> sourceOf,
                            Map<String, NodeAddress> addresses) {

    public ClusterStatus {
        nodes = List.copyOf(nodes);
        sourceOf = Map.copyOf(sourceOf);
        addresses = addresses == null ? Map.of() : Map.copyOf(addresses);
    }

    /** Without configured addresses: the replica-source cross-check then uses server ids only. */
    public ClusterStatus(String cluster, List<NodeStatus> nodes, Map<String, String> sourceOf) {
        this(cluster, nodes, sourceOf, Map.of());
    }

    /** The configured address of a node. */
    public Optional<NodeAddress> address(String node) {
        return Optional.ofNullable(addresses.get(node));
    }

    public Optional<NodeStatus> node(String name) {
        return nodes.stream().filter(n -> n.node().equals(name)).findFirst();
    }

    /** The status of the node {@code replicaNode} replicates from, if configured and read. */
    public Optional<NodeStatus> sourceOf(String replicaNode) {
        String source = sourceOf.get(replicaNode);
        return source == null ? Optional.empty() : node(source);
    }
}
