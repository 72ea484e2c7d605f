package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.BinlogFile;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.StatusField;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One node as a rule sees it: its status, the cluster around it, and the words every finding
 * shares (evidence fields in the node's own column names, durations, clipped messages).
 *
 * @param sourceName the node it replicates from, by configuration; empty when none is configured
 * @param channel    the replication channel the rules are asked about; null before one is chosen
 */
record NodeFacts(ClusterStatus cluster, NodeStatus status, String sourceName, Thresholds thresholds,
                 ReplicaChannel channel) {

    private static final int MAX_MESSAGE_EVIDENCE = 400;

    static NodeFacts of(ClusterStatus cluster, NodeStatus node, Thresholds thresholds) {
        return new NodeFacts(cluster, node, cluster.sourceOf().getOrDefault(node.node(), ""), thresholds, null);
    }

    /** The same node, asked about one of its channels: every channel is diagnosed on its own. */
    NodeFacts on(ReplicaChannel ch) {
        return new NodeFacts(cluster, status, sourceName, thresholds, ch);
    }

    String name() {
        return status.node();
    }

    /** The replication channel; rules are only asked about it once the node is known to have one. */
    @Override
    public ReplicaChannel channel() {
        if (channel == null) throw new IllegalStateException("no channel chosen for " + name());
        return channel;
    }

    /** The channel's name, or empty for the default channel and for findings about the node. */
    String channelName() {
        return channel == null ? "" : channel.channelName();
    }

    /** How a finding's summary names a named channel, in the server's word for it. */
    String channelSuffix() {
        if (channelName().isEmpty()) return "";
        return status.version() != null && status.version().flavor() == Flavor.MARIADB
                ? " (connection '" + channelName() + "')" : " (channel '" + channelName() + "')";
    }

    Flavor flavor() {
        return status.version().flavor();
    }

    /** The source's status, when it is configured and was read (it may still be unreachable). */
    Optional<NodeStatus> source() {
        return cluster.sourceOf(name());
    }

    Finding finding(FindingKind kind, String summary, String explanation, List<Evidence> evidence) {
        return new Finding(kind, name(), sourceName, summary + channelSuffix(), explanation, evidence, channelName());
    }

    Evidence field(StatusField f, String value) {
        String column = f.columnName(flavor());
        return new Evidence(column != null ? column : f.classicName(), value);
    }

    List<Evidence> threadEvidence() {
        ReplicaChannel ch = channel();
        return List.of(field(StatusField.IO_RUNNING, ch.ioThread().statusWord()),
                field(StatusField.SQL_RUNNING, ch.sqlThread().statusWord()));
    }

    /** {@code ev} plus the tail of the source's SHOW BINARY LOGS: what a binlog finding is judged on. */
    List<Evidence> withSourceBinlogs(List<Evidence> ev) {
        List<Evidence> out = new ArrayList<>(ev);
        source().ifPresent(source -> {
            if (!source.reachable()) {
                out.add(new Evidence(source.node() + " SHOW BINARY LOGS", "unreachable"));
                return;
            }
            List<BinlogFile> logs = source.binaryLogs();
            // The tail of the list is what matters; a busy server may list hundreds of files.
            List<BinlogFile> tail = logs.subList(Math.max(0, logs.size() - 4), logs.size());
            StringBuilder sb = new StringBuilder();
            if (logs.size() > tail.size()) sb.append("... ");
            for (BinlogFile f : tail) {
                if (sb.length() > 4) sb.append(", ");
                sb.append(f.name()).append(" (").append(f.sizeBytes()).append(" bytes)");
            }
            out.add(new Evidence(source.node() + " SHOW BINARY LOGS", sb.toString()));
        });
        return out;
    }

    static String file(BinlogCoordinates c) {
        return c == null ? "" : c.file();
    }

    static String pos(BinlogCoordinates c) {
        return c == null ? "" : Long.toString(c.position());
    }

    static String clip(String s) {
        String oneLine = s.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_MESSAGE_EVIDENCE ? oneLine : oneLine.substring(0, MAX_MESSAGE_EVIDENCE) + "...";
    }

    static String human(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        if (seconds < 120) return seconds + " s";
        if (seconds < 7200) return d.toMinutes() + " min";
        if (seconds < 172800) return d.toHours() + " h " + d.toMinutesPart() + " min";
        return d.toDays() + " days";
    }
}
