package io.mysqlresync.config;

import java.util.List;
import java.util.Optional;

public record AppConfig(SlackSettings slack, ApprovalSettings approvals, MonitorSettings monitor,
                        StateSettings state, List<ClusterConfig> clusters, VerifySettings verify,
                        HttpSettings http, AuditSettings audit) {

    /** Without an audit section: its defaults. */
    public AppConfig(SlackSettings slack, ApprovalSettings approvals, MonitorSettings monitor, StateSettings state,
                     List<ClusterConfig> clusters, VerifySettings verify, HttpSettings http) {
        this(slack, approvals, monitor, state, clusters, verify, http, AuditSettings.defaults());
    }

    /** Without a verify or an HTTP section: their defaults. */
    public AppConfig(SlackSettings slack, ApprovalSettings approvals, MonitorSettings monitor, StateSettings state,
                     List<ClusterConfig> clusters) {
        this(slack, approvals, monitor, state, clusters, VerifySettings.defaults());
    }

    /** Without an HTTP section: its defaults (loopback, port 9464). */
    public AppConfig(SlackSettings slack, ApprovalSettings approvals, MonitorSettings monitor, StateSettings state,
                     List<ClusterConfig> clusters, VerifySettings verify) {
        this(slack, approvals, monitor, state, clusters, verify,
                new HttpSettings(ConfigLoader.DEFAULT_HTTP_BIND, ConfigLoader.DEFAULT_HTTP_PORT));
    }

    public Optional<ClusterConfig> cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<String> clusterNames() {
        return clusters.stream().map(ClusterConfig::name).toList();
    }
}
