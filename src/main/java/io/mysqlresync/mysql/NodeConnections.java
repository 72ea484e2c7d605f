package io.mysqlresync.mysql;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.util.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived JDBC connection per node, reused across polls (connecting costs more than the
 * status queries), replaced when it breaks. Every socket operation is bounded: connectTimeout
 * for a blackholed host, socketTimeout for a server that accepts and then hangs.
 *
 * <p>With an idle limit, a connection this process has not used for that long is closed (and
 * opened again by the next use). Quartz hands each monitor shard to whichever replica asks first,
 * so shards move between replicas every interval: without the limit every replica ends up holding
 * a connection to every node, and connections per server and per-node memory grow with the
 * number of replicas instead of dividing by it (BENCHMARKS.md, section 7).
 */
public final class NodeConnections implements AutoCloseable {

    private final Map<String, ClusterConfig> clusters = new ConcurrentHashMap<>();
    private final Map<String, Connection> open = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** System.nanoTime() of each open connection's last hand-out. */
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private final Duration idleLimit;
    private final ScheduledExecutorService housekeeper;
    private static final Logger log = LoggerFactory.getLogger(NodeConnections.class);
    private static final ThreadFactory ABORT_THREADS = Threads.named("jdbc-abort");
    /**
     * A thread of its own per abort, no pool: aborts are rare (a broken connection), and closing
     * a TLS socket can wait for a lock that a reader stuck on it holds; the caller must not wait.
     */
    private static final Executor ABORTER = r -> ABORT_THREADS.newThread(r).start();

    /** Connections kept until they break or {@link #close()}: for commands that end soon. */
    public NodeConnections(Iterable<ClusterConfig> configured) {
        this(configured, null);
    }

    /**
     * @param idleLimit a connection not used for this long is closed, checked every third of it;
     *                  null keeps connections until they break
     */
    public NodeConnections(Iterable<ClusterConfig> configured, Duration idleLimit) {
        for (ClusterConfig c : configured) {
            clusters.put(c.name(), c);
        }
        this.idleLimit = idleLimit;
        if (idleLimit == null) {
            this.housekeeper = null;
        } else {
            if (idleLimit.isNegative() || idleLimit.isZero()) {
                throw new IllegalArgumentException("idle limit must be positive, not " + idleLimit);
            }
            this.housekeeper = Executors.newSingleThreadScheduledExecutor(Threads.named("node-connections-idle"));
            long every = Math.max(1, idleLimit.toMillis() / 3);
            housekeeper.scheduleWithFixedDelay(this::closeIdleQuietly, every, every, TimeUnit.MILLISECONDS);
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
            lastUsed.put(key, System.nanoTime());
            return c;
        }
        ClusterConfig cfg = cluster(cluster);
        NodeConfig n = cfg.node(node).orElseThrow(() -> new IllegalArgumentException(
                "cluster '" + cluster + "' has no node '" + node + "'"));
        Connection fresh = open(cfg, n);
        lastUsed.put(key, System.nanoTime());
        open.put(key, fresh);
        return fresh;
    }

    /** Kept connections, open or not yet found broken. */
    public int openCount() {
        return open.size();
    }

    /**
     * Closes every kept connection not handed out for {@code idleFor}; returns how many. Takes
     * each node's lock, so a connection in use is never closed under its user; the next
     * {@link #connection} opens a new one.
     */
    public int closeIdle(Duration idleFor) {
        int closed = 0;
        for (String key : open.keySet()) {
            if (!idle(key, idleFor)) {
                continue;
            }
            synchronized (locks.computeIfAbsent(key, k -> new Object())) {
                if (!idle(key, idleFor)) {
                    continue; // used while we waited for the lock
                }
                Connection c = open.remove(key);
                lastUsed.remove(key);
                if (c != null) {
                    closed++;
                    try {
                        // close, not abort: the server sees a goodbye, not an aborted connection in its log.
                        // Bounded by the socket timeout like every other call on it.
                        c.close();
                    } catch (SQLException | RuntimeException ignored) {
                        // broken anyway: gone either way
                    }
                }
            }
        }
        return closed;
    }

    private boolean idle(String key, Duration idleFor) {
        Long used = lastUsed.get(key);
        return used == null || System.nanoTime() - used >= idleFor.toNanos();
    }

    private void closeIdleQuietly() {
        try {
            int closed = closeIdle(idleLimit);
            if (closed > 0) {
                log.debug("closed {} node connection(s) idle for {} s or more", closed, idleLimit.toSeconds());
            }
        } catch (RuntimeException e) {
            // The housekeeper must not die: a scheduled task that throws is never run again.
            log.warn("closing idle node connections failed, trying again later: {}", e.toString());
        }
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
        lastUsed.remove(key(cluster, node));
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
        if (housekeeper != null) {
            housekeeper.shutdownNow();
        }
        for (String key : open.keySet()) {
            String[] parts = key.split("/", 2);
            discard(parts[0], parts[1]);
        }
    }

    private static String key(String cluster, String node) {
        return cluster + "/" + node;
    }
}
