package io.mysqlresync.metrics;

import io.mysqlresync.incident.BotMetrics;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Reports every node of every read to the metrics, around the real reader: the monitor and the
 * lag watch read through this one, so the node figures are as fresh as the last poll. A node's
 * read duration runs from the start of the cluster's read to the node's {@code readAt} (the
 * reader stamps it when the node's last query returned, or when it gave up on the node).
 */
public final class MeasuredClusterReader implements ClusterReader {

    private final ClusterReader reader;
    private final BotMetrics metrics;
    private final Clock clock;

    public MeasuredClusterReader(ClusterReader reader, BotMetrics metrics, Clock clock) {
        this.reader = reader;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public ClusterStatus read(String cluster) {
        Instant start = clock.instant();
        ClusterStatus status = reader.read(cluster);
        for (NodeStatus node : status.nodes()) {
            Duration took = Duration.between(start, node.readAt());
            metrics.nodeRead(cluster, node, took.isNegative() ? Duration.ZERO : took);
        }
        return status;
    }
}
