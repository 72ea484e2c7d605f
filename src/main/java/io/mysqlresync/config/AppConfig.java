package io.mysqlresync.config;

import java.util.List;
import java.util.Optional;

public record AppConfig(SlackSettings slack, ApprovalSettings approvals, MonitorSettings monitor,
                        StateSettings state, List<ClusterConfig> clusters, HttpSettings http) {

    /** Without the HTTP section: its defaults (loopback, port 9464). */
    public AppConfig(SlackSettings slack, ApprovalSettings approvals, MonitorSettings monitor,
                     StateSettings state, List<ClusterConfig> clusters) {
        this(slack, approvals, monitor, state, clusters,
                new HttpSettings(ConfigLoader.DEFAULT_HTTP_BIND, ConfigLoader.DEFAULT_HTTP_PORT));
    }

    public Optional<ClusterConfig> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<String> clusterNames() {
        return clusters.stream().map(ClusterConfig::name).toList();
    }
}
