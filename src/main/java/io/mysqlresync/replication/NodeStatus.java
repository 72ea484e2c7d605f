package io.mysqlresync.replication;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything read from one node in one pass. A node that could not be read is still a
 * NodeStatus, with {@link #unreachableReason()} set and the server fields empty, so that one
 * dead node never hides the other node's state.
 *
 * @param ownBinlogHead  SHOW MASTER STATUS / SHOW BINARY LOG STATUS: where this node writes now
 * @param gtidExecuted   @@gtid_executed (MySQL) or @@gtid_current_pos (MariaDB)
 * @param gtidBinlogPos  MariaDB's @@gtid_binlog_pos: what its binlog holds and numbers new
 *                       transactions from, unlike gtid_current_pos, which also takes the node's
 *                       own transactions it saw come back through replication; empty on MySQL
 */
public record NodeStatus(
        String node,
        Instant readAt,
        String unreachableReason,
        ServerVersion version,
        long serverId,
        long uptimeSeconds,
        boolean readOnly,
        boolean gtidEnabled,
        String gtidExecuted,
        List<BinlogFile> binaryLogs,
        BinlogCoordinates ownBinlogHead,
        List<ReplicaChannel> channels,
        String gtidBinlogPos) {

    public NodeStatus {
        gtidBinlogPos = gtidBinlogPos == null ? "" : gtidBinlogPos.replace("\n", "").trim();
        binaryLogs = binaryLogs == null ? List.of() : List.copyOf(binaryLogs);
        channels = channels == null ? List.of() : List.copyOf(channels);
        gtidExecuted = gtidExecuted == null ? "" : gtidExecuted;
    }

    /** A status without MariaDB's gtid_binlog_pos (MySQL, or read without it). */
    public NodeStatus(String node, Instant readAt, String unreachableReason, ServerVersion version, long serverId,
                      long uptimeSeconds, boolean readOnly, boolean gtidEnabled, String gtidExecuted,
                      List<BinlogFile> binaryLogs, BinlogCoordinates ownBinlogHead, List<ReplicaChannel> channels) {
        this(node, readAt, unreachableReason, version, serverId, uptimeSeconds, readOnly, gtidEnabled, gtidExecuted,
                binaryLogs, ownBinlogHead, channels, "");
    }

    public static NodeStatus unreachable(String node, Instant readAt, String reason) {
        return new NodeStatus(node, readAt, reason == null || reason.isBlank() ? "unreachable" : reason,
                null, 0, 0, false, false, "", List.of(), null, List.of());
    }

    public boolean reachable() {
        return unreachableReason == null;
    }

    /** The replication channel of an active-active pair: the default (unnamed) one, else the first. */
    public Optional<ReplicaChannel> replica() {
        return channels.stream().filter(c -> c.channelName().isEmpty()).findFirst()
                .or(() -> channels.stream().findFirst());
    }

    public Optional<BinlogFile> binaryLog(String name) {
        return binaryLogs.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /** The first binlog after {@code name} that this node still has: where a replica resumes after a truncated file. */
    public Optional<BinlogFile> binaryLogAfter(String name) {
        long seq = BinlogCoordinates.sequenceOf(name);
        String base = BinlogCoordinates.baseNameOf(name);
        return binaryLogs.stream()
                .filter(b -> BinlogCoordinates.baseNameOf(b.name()).equals(base) && b.sequence() > seq)
                .min((a, b) -> Long.compare(a.sequence(), b.sequence()));
    }

    /** When the server started, to the second: uptime going down means it restarted. */
    public Optional<Instant> startedAt() {
        return reachable() ? Optional.of(readAt.minusSeconds(uptimeSeconds)) : Optional.empty();
    }
}
