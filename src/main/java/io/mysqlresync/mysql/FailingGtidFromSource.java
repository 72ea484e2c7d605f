package io.mysqlresync.mysql;

import io.mysqlresync.replication.Applier;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MariaDB's applier error does not name the failing transaction's GTID, and with parallel
 * replication its Relay_Log_Pos does not point at it either. The source's binlog does: the
 * failing event group starts at the replica's executed position (Relay_Master_Log_File /
 * Exec_Master_Log_Pos, the first group not committed in order) with a Gtid event whose Info is
 * "BEGIN GTID d-s-n". Read once per poll, and only for a MariaDB GTID channel whose SQL thread
 * stopped on an error; SHOW BINLOG EVENTS needs BINLOG MONITOR, which the bot has.
 */
final class FailingGtidFromSource {

    private static final Logger log = LoggerFactory.getLogger(FailingGtidFromSource.class);
    private static final Pattern GTID_EVENT = Pattern.compile("\\bGTID (\\d+-\\d+-\\d+)");

    private FailingGtidFromSource() {
    }

    static List<NodeStatus> fill(NodeConnections connections, String cluster, List<NodeStatus> nodes,
                                 Map<String, String> sourceOf) {
        List<NodeStatus> out = new ArrayList<>(nodes.size());
        for (NodeStatus n : nodes) {
            out.add(needsIt(n) ? withFailingGtid(connections, cluster, n, nodes, sourceOf.get(n.node())) : n);
        }
        return out;
    }

    private static boolean needsIt(NodeStatus n) {
        return n.reachable() && n.version().flavor() == Flavor.MARIADB
                && n.replica().filter(FailingGtidFromSource::stoppedOnGtid).isPresent();
    }

    private static boolean stoppedOnGtid(ReplicaChannel ch) {
        return ch.sqlError().present() && ch.usesGtid() && ch.executed() != null
                && ch.applier().failingTransaction().isEmpty();
    }

    /** The configured source only feeds the node's default (or only) channel. */
    private static NodeStatus withFailingGtid(NodeConnections connections, String cluster, NodeStatus n,
                                              List<NodeStatus> nodes, String sourceName) {
        Optional<NodeStatus> source = nodes.stream().filter(s -> s.node().equals(sourceName) && s.reachable()).findFirst();
        ReplicaChannel ch = n.replica().orElseThrow();
        if (source.isEmpty()) return n;
        Optional<String> gtid = gtidAt(connections, cluster, sourceName, ch.executed());
        if (gtid.isEmpty()) return n;
        List<ReplicaChannel> channels = n.channels().stream()
                .map(c -> c == ch ? c.withApplier(c.applier().withFailingTransaction(gtid.get())) : c).toList();
        return new NodeStatus(n.node(), n.readAt(), null, n.version(), n.serverId(), n.uptimeSeconds(), n.readOnly(),
                n.gtidEnabled(), n.gtidExecuted(), n.binaryLogs(), n.ownBinlogHead(), channels, n.gtidBinlogPos());
    }

    static String query(BinlogCoordinates at) {
        // Validated coordinates: a base name plus a number, a non-negative position.
        return "SHOW BINLOG EVENTS IN '" + at.file() + "' FROM " + at.position() + " LIMIT 1";
    }

    private static Optional<String> gtidAt(NodeConnections connections, String cluster, String source,
                                           BinlogCoordinates at) {
        synchronized (connections.lockFor(cluster, source)) {
            try {
                Connection c = connections.connection(cluster, source);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query(at))) {
                    if (rs.next() && "Gtid".equalsIgnoreCase(rs.getString("Event_type"))) {
                        Matcher m = GTID_EVENT.matcher(rs.getString("Info") == null ? "" : rs.getString("Info"));
                        if (m.find() && Applier.isMariaDbGtid(m.group(1))) return Optional.of(m.group(1));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                log.debug("{}: the failing GTID could not be read at {}: {}", source, at, e.getMessage());
            }
        }
        return Optional.empty();
    }
}
