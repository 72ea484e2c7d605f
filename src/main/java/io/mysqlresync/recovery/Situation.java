package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;

import java.util.Optional;

/** A finding to fix and the cluster status it was drawn from: what a recipe plans with. */
record Situation(Finding finding, ClusterStatus status) {

    /** The node the finding is about, where the fix runs; recipes for reachable nodes only ask for it. */
    NodeStatus node() {
        return status.node(finding.node()).orElseThrow();
    }

    /** The node's replication channel; recipes ask only for findings about a channel. */
    ReplicaChannel channel() {
        return status.node(finding.node()).filter(NodeStatus::reachable).flatMap(NodeStatus::replica).orElseThrow();
    }

    SqlDialect sql() {
        return SqlDialect.of(node().version());
    }

    /** The source's status, when it is configured and answered. */
    Optional<NodeStatus> reachableSource() {
        return status.sourceOf(finding.node()).filter(NodeStatus::reachable);
    }
}
