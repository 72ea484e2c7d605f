package io.mysqlresync.mysql;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.util.Threads;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * One long-lived JDBC connection per node, reused across polls (connecting costs more than the
 * status queries), replaced when it breaks. Every socket operation is bounded: connectTimeout
 * for a blackholed host, socketTimeout for a server that accepts and then hangs.
 */
public final class NodeConnections implements AutoCloseable {

    private final Map<String, ClusterConfig> clusters = new ConcurrentHashMap<>();
    private final Map<String, Connection> open = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private static final ThreadFactory ABORT_THREADS = Threads.named("jdbc-abort");
    /**
     * A thread of its own per abort, no pool: aborts are rare (a broken connection), and closing
     * a TLS socket can wait for a lock that a reader stuck on it holds; the caller must not wait.
     */
    private static final Executor ABORTER = r -> ABORT_THREADS.newThread(r).start();

    public NodeConnections(Iterable<ClusterConfig> configured) {
        for (ClusterConfig c : configured) {
            clusters.put(c.name(), c);
        }
    }

    public ClusterConfig cluster(String name) {
        ClusterConfig c = clusters.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown cluster '" + name + "'");
        }
        return c;
    }

    /** Serialises use of one node's connection: JDBC connections are not thread-safe. */
    public Object lockFor(String cluster, String node) {
        return locks.computeIfAbsent(key(cluster, node), k -> new Object());
    }

    /** The open connection for a node, connecting if needed. Caller holds {@link #lockFor}. */
    public Connection connection(String cluster, String node) throws SQLException {
        String key = key(cluster, node);
        Connection c = open.get(key);
        if (c != null && !c.isClosed()) {
            return c;
        }
        ClusterConfig cfg = cluster(cluster);
        NodeConfig n = cfg.node(node).orElseThrow(() -> new IllegalArgumentException(
                "cluster '" + cluster + "' has no node '" + node + "'"));
        Connection fresh = open(cfg, n);
        open.put(key, fresh);
        return fresh;
    }

    /** Whether a kept connection exists for the node (it may still turn out to be dead). */
    public boolean isOpen(String cluster, String node) {
        return open.containsKey(key(cluster, node));
    }

    /**
     * A new connection to one node with the cluster's credentials and bounded timeouts: the one
     * place that knows how the bot connects to a node.
     */
    public static Connection open(ClusterConfig cfg, NodeConfig n) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", cfg.user().reveal());
        p.setProperty("password", cfg.password().reveal());
        p.setProperty("connectTimeout", Long.toString(cfg.connectTimeout().toMillis()));
        p.setProperty("socketTimeout", Long.toString(cfg.readTimeout().toMillis()));
        p.setProperty("sslMode", "PREFERRED");
        // caching_sha2_password over a non-TLS link needs the server's RSA key.
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("connectionAttributes", "program_name:mysql-resync");
        p.setProperty("useInformationSchema", "false");
        return DriverManager.getConnection(url(n), p);
    }

    /** IPv6 literals need brackets in a JDBC URL. */
    static String url(NodeConfig n) {
        String host = n.host().contains(":") ? "[" + n.host() + "]" : n.host();
        return "jdbc:mysql://" + host + ":" + n.port() + "/";
    }

    /** Drops a connection after an error so the next use reconnects. */
    public void discard(String cluster, String node) {
        Connection c = open.remove(key(cluster, node));
        if (c != null) {
            try {
                // abort, not close: close would wait on a hung socket.
                c.abort(ABORTER);
            } catch (SQLException | RuntimeException ignored) {
                // already broken
            }
        }
    }

    @Override
    public void close() {
        for (String key : open.keySet()) {
            String[] parts = key.split("/", 2);
            discard(parts[0], parts[1]);
        }
    }

    private static String key(String cluster, String node) {
        return cluster + "/" + node;
    }
}
