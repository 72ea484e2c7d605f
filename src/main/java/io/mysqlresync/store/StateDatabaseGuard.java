package io.mysqlresync.store;

import com.mysql.cj.conf.ConnectionUrl;
import com.mysql.cj.conf.HostInfo;
import com.mysql.cj.exceptions.CJException;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.ConfigException;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.config.StateSettings;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses a state database that lives on one of the servers the bot repairs. A recovery stops
 * and repositions replication there, and the crash that broke the pair may have rolled that
 * server back: the approvals, the audit trail and the execute-once guard would go with it.
 * <p>
 * The static check compares host and port of {@code state.jdbcUrl} with every node; the
 * connected check compares the servers themselves, which catches a node reached under another
 * name (a DNS alias, a VIP, a second address).
 */
public final class StateDatabaseGuard {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "0:0:0:0:0:0:0:1");

    private StateDatabaseGuard() {
    }

    /** A host and port a JDBC URL points at. */
    public record Endpoint(String host, int port) {
        /** Same server address: host names compared without case, localhost/127.0.0.1/::1 alike. */
        public boolean sameAs(Endpoint other) {
            return port == other.port && canonicalHost(host).equals(canonicalHost(other.host));
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * Who a MySQL/MariaDB server is. MySQL has @@server_uuid; MariaDB has none, so there two
     * servers are the same when hostname, port and data directory are (two servers on one
     * machine can share a port on different addresses, but never a data directory).
     */
    public record ServerIdentity(String serverUuid, String hostname, int port, String datadir) {
        public boolean sameServerAs(ServerIdentity o) {
            if (!serverUuid.isEmpty() && !o.serverUuid.isEmpty()) {
                return serverUuid.equalsIgnoreCase(o.serverUuid);
            }
            return hostname.equalsIgnoreCase(o.hostname) && port == o.port && datadir.equals(o.datadir);
        }

        @Override
        public String toString() {
            return hostname + ":" + port + (serverUuid.isEmpty() ? " (datadir " + datadir + ")" : " (server_uuid " + serverUuid + ")");
        }
    }

    /** Opens a short-lived connection to a node for the connected check (the app passes NodeConnections::open). */
    @FunctionalInterface
    public interface NodeConnector {
        Connection open(ClusterConfig cluster, NodeConfig node) throws SQLException;
    }

    // ---- static check --------------------------------------------------------------------

    /** Throws naming {@code state.jdbcUrl} and every node it points at. No connection is made. */
    public static void checkStatic(AppConfig config) {
        String url = config.state().jdbcUrl();
        List<String> problems = new ArrayList<>();
        for (Endpoint state : endpoints(url)) {
            for (ClusterConfig cluster : config.clusters()) {
                for (NodeConfig node : cluster.nodes()) {
                    Endpoint n = new Endpoint(node.host(), node.port());
                    if (state.sameAs(n)) {
                        problems.add("state.jdbcUrl: " + state + " is node '" + node.name() + "' of cluster '"
                                + cluster.name() + "' (" + n + "); " + advice());
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * The servers a MySQL/MariaDB JDBC URL names, as Connector/J itself reads them: host[:port],
     * [ipv6][:port], host lists, address=(host=..)(port=..) and (host=..,port=..). MariaDB
     * Connector/J URLs share that syntax. Empty for H2 and anything else that is not a
     * MySQL-protocol server.
     */
    public static List<Endpoint> endpoints(String jdbcUrl) {
        String url = jdbcUrl == null ? "" : jdbcUrl.trim();
        if (url.startsWith("jdbc:mariadb:")) {
            url = "jdbc:mysql:" + url.substring("jdbc:mariadb:".length());
        }
        // jdbc:mysql+srv: names a DNS SRV record, not hosts (and parsing it would query DNS):
        // left to the connected check.
        if (!url.startsWith("jdbc:mysql:") || url.contains("+srv:")) {
            return List.of();
        }
        ConnectionUrl parsed;
        try {
            parsed = ConnectionUrl.getConnectionUrlInstance(url, null);
        } catch (CJException e) {
            String why = String.valueOf(e.getMessage()).replace(url, StateSettings.redact(url));
            throw new ConfigException("state.jdbcUrl: " + StateSettings.redact(why));
        }
        List<Endpoint> out = new ArrayList<>();
        for (HostInfo h : parsed.getHostsList()) {
            out.add(new Endpoint(unbracket(h.getHost()), h.getPort()));
        }
        return out;
    }

    private static String unbracket(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static String canonicalHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return LOOPBACK.contains(h) ? "localhost" : h;
    }

    // ---- connected check -----------------------------------------------------------------

    /**
     * Compares the state server with every node it can reach. A node that does not answer is
     * skipped (it may be the crashed one) and listed in the result, so the caller can log it;
     * the static check still covers it.
     *
     * @return "cluster/node: why" for each node that could not be compared
     */
    public static List<String> checkConnected(AppConfig config, DataSource state, NodeConnector connector) {
        Optional<ServerIdentity> stateId;
        try (Connection c = state.getConnection()) {
            stateId = identify(c);
        } catch (SQLException e) {
            throw new StateStoreException("state database: could not read its server identity: " + e.getMessage(), e);
        }
        if (stateId.isEmpty()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        for (ClusterConfig cluster : config.clusters()) {
            for (NodeConfig node : cluster.nodes()) {
                try (Connection c = connector.open(cluster, node)) {
                    Optional<ServerIdentity> nodeId = identify(c);
                    if (nodeId.isPresent() && stateId.get().sameServerAs(nodeId.get())) {
                        problems.add("state.jdbcUrl: the state database server " + stateId.get() + " is node '"
                                + node.name() + "' of cluster '" + cluster.name() + "' (configured as "
                                + new Endpoint(node.host(), node.port()) + "); " + advice());
                    }
                } catch (SQLException e) {
                    unchecked.add(cluster.name() + "/" + node.name() + ": " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return unchecked;
    }

    /** The identity of the server behind a connection; empty when it is not MySQL or MariaDB (H2). */
    public static Optional<ServerIdentity> identify(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        if (product == null || !(product.toLowerCase(Locale.ROOT).contains("mysql")
                || product.toLowerCase(Locale.ROOT).contains("mariadb"))) {
            return Optional.empty();
        }
        String hostname;
        int port;
        String datadir;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@hostname, @@port, @@datadir")) {
            rs.next();
            hostname = rs.getString(1);
            port = rs.getInt(2);
            datadir = rs.getString(3);
        }
        String uuid = "";
        // @@server_uuid is MySQL only; MariaDB answers "Unknown system variable" (1193).
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@server_uuid")) {
            if (rs.next() && rs.getString(1) != null) {
                uuid = rs.getString(1);
            }
        } catch (SQLException mariadb) {
            uuid = "";
        }
        return Optional.of(new ServerIdentity(uuid, nullToEmpty(hostname), port, nullToEmpty(datadir)));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String advice() {
        return "keep the bot's state on a server it does not repair (the embedded H2 default, or a separate "
                + "MySQL/MariaDB server): a recovery repositions replication on the nodes and a crash may roll them back";
    }
}
