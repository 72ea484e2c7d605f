package io.mysqlresync.mysql;

import io.mysqlresync.audit.ClusterSettings;
import io.mysqlresync.audit.NodeSettings;
import io.mysqlresync.audit.SettingsReader;
import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.recovery.SqlDialect;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.ServerVersion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the variables the audit needs from each node: SHOW GLOBAL VARIABLES and SHOW GLOBAL STATUS
 * for a fixed list of names, which any login may run (no grant beyond the bot's status grants).
 * Read-only: it never sets anything.
 */
public final class JdbcSettingsReader implements SettingsReader, CachedSettingsReader.NodeReader {

    /** A replica status column the audit reads alongside the variables (see RelayLogRecovery). */
    static final String USING_GTID = "using_gtid";

    private final NodeConnections connections;
    private final List<String> names;

    /** @param names the variable (and status) names to read, e.g. {@code Auditor.variables()} */
    public JdbcSettingsReader(NodeConnections connections, List<String> names) {
        this.connections = connections;
        this.names = List.copyOf(names);
    }

    @Override
    public ClusterSettings read(String cluster) {
        ClusterConfig config = connections.cluster(cluster);
        List<NodeSettings> nodes = new ArrayList<>();
        Map<String, String> unreadable = new LinkedHashMap<>();
        for (NodeConfig node : config.nodes()) {
            try {
                nodes.add(readNode(cluster, node.name()));
            } catch (SQLException e) {
                unreadable.put(node.name(), e.getMessage());
            }
        }
        return new ClusterSettings(nodes, unreadable);
    }

    /** The configured nodes of a cluster, in order. */
    @Override
    public List<String> nodes(String cluster) {
        return connections.cluster(cluster).nodes().stream().map(NodeConfig::name).toList();
    }

    /** One node's settings; the exception's message says why they could not be read. */
    @Override
    public NodeSettings readNode(String cluster, String node) throws SQLException {
        synchronized (connections.lockFor(cluster, node)) {
            try {
                return read(connections.connection(cluster, node), node, names);
            } catch (SQLException | RuntimeException e) {
                connections.discard(cluster, node);
                throw new SQLException(JdbcClusterReader.describe(e), e);
            }
        }
    }

    static NodeSettings read(Connection c, String node, List<String> wanted) throws SQLException {
        List<String> names = new ArrayList<>(wanted);
        names.add("version");
        names.add("version_comment");
        Map<String, String> values = new LinkedHashMap<>();
        // Status first, so a variable of the same name wins; status carries what only it knows
        // (MariaDB's Slave_heartbeat_period).
        values.putAll(rows(c, "SHOW GLOBAL STATUS", names));
        values.putAll(rows(c, "SHOW GLOBAL VARIABLES", names));
        if (!values.containsKey("version")) {
            throw new SQLException(node + ": SHOW GLOBAL VARIABLES returned no version");
        }
        ServerVersion version = ServerVersion.parse(values.get("version"), values.get("version_comment"));
        if (version.flavor() == Flavor.MARIADB && names.contains(USING_GTID)) {
            usingGtid(c, version).ifPresent(g -> values.put(USING_GTID, g));
        }
        return new NodeSettings(node, version, values);
    }

    /**
     * Using_Gtid of the default replica connection: whether a MariaDB replica resumes by GTID.
     * Needs the SLAVE MONITOR the bot already has; without it the audit judges as if by position.
     */
    private static Optional<String> usingGtid(Connection c, ServerVersion version) {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(SqlDialect.of(version).showReplicaStatus())) {
            while (rs.next()) {
                if (rs.getString("Connection_name").isEmpty()) {
                    return Optional.ofNullable(rs.getString("Using_Gtid"));
                }
            }
        } catch (SQLException e) {
            // No grant or an odd row: the rule then assumes file/position, the stricter reading.
        }
        return Optional.empty();
    }

    private static Map<String, String> rows(Connection c, String show, List<String> names) throws SQLException {
        // Variable_name compares case-insensitively, so status names match in any case.
        String sql = show + " WHERE Variable_name IN (" + String.join(", ", Collections.nCopies(names.size(), "?")) + ")";
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < names.size(); i++) {
                ps.setString(i + 1, names.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
                }
            }
        }
        return out;
    }
}
