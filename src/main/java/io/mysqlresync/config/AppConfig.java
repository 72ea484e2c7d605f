package io.mysqlresync.config;

import java.util.List;
import java.util.Optional;

public record AppConfig(SlackSettings slack, ApprovalSettings approvals, MonitorSettings monitor,
                        StateSettings state, List<ClusterConfig> clusters) {

    public Optional<ClusterConfig> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<String> clusterNames() {
        return clusters.stream().map(ClusterConfig::name).toList();
    }
}
