package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ThreadState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns a cluster's status into findings. Pure: the same status always gives the same
 * diagnosis, so it is tested with status rows captured from real servers (see
 * {@code StatusSamplesReplayTest}). What each finding kind looks like is its own rule;
 * {@link Rules} lists them in the order they are asked.
 */
public final class Diagnoser {

    private final Thresholds thresholds;

    public Diagnoser(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public Diagnosis diagnose(ClusterStatus status) {
        List<Finding> findings = new ArrayList<>();
        for (NodeStatus node : status.nodes()) {
            findings.addAll(diagnoseNode(NodeFacts.of(status, node, thresholds)));
        }
        return new Diagnosis(status.cluster(),
                status.nodes().stream().map(NodeStatus::readAt).max(Comparator.naturalOrder()).orElse(Instant.EPOCH),
                status, findings);
    }

    private List<Finding> diagnoseNode(NodeFacts node) {
        if (!node.status().reachable()) {
            return first(Rules.UNREACHABLE_NODE, node);
        }
        List<Finding> out = new ArrayList<>();
        for (NodeRule rule : Rules.EVERY_NODE) {
            rule.diagnose(node).ifPresent(out::add);
        }
        List<ReplicaChannel> channels = node.status().channels();
        if (channels.isEmpty()) {
            out.addAll(first(Rules.NO_CHANNEL, node));
            return out;
        }
        // Each channel (MySQL FOR CHANNEL, MariaDB named connection) is diagnosed on its own:
        // one channel's broken applier says nothing about another's.
        for (ReplicaChannel ch : channels) {
            out.addAll(diagnoseChannel(node.on(ch)));
        }
        return out;
    }

    private List<Finding> diagnoseChannel(NodeFacts node) {
        ReplicaChannel ch = node.channel();
        List<Finding> out = new ArrayList<>();
        boolean ioFailed = ch.ioThread() != ThreadState.RUNNING && ch.ioError().present();
        boolean sqlFailed = ch.sqlThread() != ThreadState.RUNNING && ch.sqlError().present();
        if (ioFailed) {
            out.addAll(first(Rules.IO_ERROR, ThreadError.io(node)));
        }
        if (sqlFailed) {
            out.addAll(first(Rules.SQL_ERROR, ThreadError.sql(node)));
        }
        if (!ioFailed && !sqlFailed) {
            out.addAll(first(Rules.NO_ERROR, node));
        }
        return out;
    }

    private static List<Finding> first(List<NodeRule> rules, NodeFacts node) {
        for (NodeRule rule : rules) {
            Optional<Finding> f = rule.diagnose(node);
            if (f.isPresent()) return List.of(f.get());
        }
        return List.of();
    }

    private static List<Finding> first(List<ErrorRule> rules, ThreadError error) {
        for (ErrorRule rule : rules) {
            Optional<Finding> f = rule.diagnose(error);
            if (f.isPresent()) return List.of(f.get());
        }
        return List.of();
    }
}
