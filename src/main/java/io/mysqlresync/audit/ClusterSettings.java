package io.mysqlresync.audit;

import java.util.List;
import java.util.Map;

/**
 * Every node's settings that could be read, in configured order, and why the others could not.
 *
 * @param unreadable node name to the reason its settings could not be read
 */
public record ClusterSettings(List<NodeSettings> nodes, Map<String, String> unreadable) {

    public ClusterSettings {
        nodes = List.copyOf(nodes);
        unreadable = Map.copyOf(unreadable);
    }
}
