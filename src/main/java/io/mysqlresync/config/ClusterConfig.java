package io.mysqlresync.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A replication cluster: usually an active-active pair. The bot's MySQL user and password are
 * per cluster, from the environment.
 */
public record ClusterConfig(String name, Secret user, Secret password, Duration connectTimeout,
                            Duration readTimeout, List<NodeConfig> nodes) {

    public Optional<NodeConfig> node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }

    /** Which node each node replicates from: explicit {@code source}, else the other node of a pair. */
    public Map<String, String> sourceOf() {
        Map<String, String> map = new LinkedHashMap<>();
        for (NodeConfig n : nodes) {
            if (n.source() != null && !n.source().isBlank()) {
                map.put(n.name(), n.source());
            } else if (nodes.size() == 2) {
                map.put(n.name(), nodes.get(0) == n ? nodes.get(1).name() : nodes.get(0).name());
            }
        }
        return map;
    }
}
