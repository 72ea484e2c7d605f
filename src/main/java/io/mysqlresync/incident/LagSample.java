package io.mysqlresync.incident;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public record LagSample(Instant at, List<NodeLag> nodes) {
    public LagSample {
        nodes = List.copyOf(nodes);
    }

    public Optional<NodeLag> node(String name) {
        return nodes.stream().filter(n -> n.node().equals(name)).findFirst();
    }

    public boolean allInSync() {
        return !nodes.isEmpty() && nodes.stream().allMatch(NodeLag::inSync);
    }
}
