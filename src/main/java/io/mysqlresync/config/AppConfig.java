package io.mysqlresync.config;

import java.util.List;
import java.util.Optional;

public record AppConfig(SlackSettings slack, ApprovalSettings approvals, MonitorSettings monitor,
                        StateSettings state, List<ClusterConfig> clusters, VerifySettings verify) {

    /** Without a verify section: the defaults. */
    public AppConfig(SlackSettings slack, ApprovalSettings approvals, MonitorSettings monitor, StateSettings state,
                     List<ClusterConfig> clusters) {
        this(slack, approvals, monitor, state, clusters, VerifySettings.defaults());
    }

    public Optional<ClusterConfig> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<String> clusterNames() {
        return clusters.stream().map(ClusterConfig::name).toList();
    }
}
