package io.mysqlresync.mysql;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.replication.NodeAddress;
import io.mysqlresync.recovery.SqlDialect;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.BinlogFile;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ReplicationError;
import io.mysqlresync.replication.ServerErrors;
import io.mysqlresync.replication.ServerVersion;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads every node of a cluster in parallel, so one slow or dead node never delays the others,
 * and turns each into a flavor-neutral {@link NodeStatus}. A node that fails or exceeds its
 * deadline comes back unreachable with the reason.
 */
public final class JdbcClusterReader implements ClusterReader, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JdbcClusterReader.class);

    private final NodeConnections connections;
    private final ExecutorService pool;
    private final Clock clock;
    /**
     * A server's version cannot change under an open connection (an upgrade restarts it, which
     * ends the connection), so it is asked once per connection: one status query fewer per node
     * and poll (BENCHMARKS.md, "After, round 2").
     */
    private final Map<Connection, ServerVersion> versions = Collections.synchronizedMap(new WeakHashMap<>());
    /** Node names already logged about the missing performance_schema grant: once, not every poll. */
    private static final Set<String> toldAboutWorkerGrant = ConcurrentHashMap.newKeySet();

    public JdbcClusterReader(NodeConnections connections, int threads, Clock clock) {
        this.connections = connections;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "node-reader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(threads, tf);
    }

    @Override
    public ClusterStatus read(String clusterName) {
        ClusterConfig cluster = connections.cluster(clusterName);
        // Connect, then a handful of queries each bounded by the read timeout; a little slack on top.
        Duration deadline = cluster.connectTimeout().plus(cluster.readTimeout()).plusSeconds(1);
        List<Future<NodeStatus>> futures = new ArrayList<>();
        for (NodeConfig node : cluster.nodes()) {
            futures.add(pool.submit(() -> readNode(clusterName, node.name())));
        }
        List<NodeStatus> nodes = new ArrayList<>();
        long until = System.nanoTime() + deadline.toNanos();
        for (int i = 0; i < futures.size(); i++) {
            String name = cluster.nodes().get(i).name();
            try {
                long left = Math.max(0, until - System.nanoTime());
                nodes.add(futures.get(i).get(left, TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                futures.get(i).cancel(true);
                connections.discard(clusterName, name);
                nodes.add(NodeStatus.unreachable(name, clock.instant(),
                        "no answer within " + deadline.toMillis() + " ms (hung or blackholed)"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                nodes.add(NodeStatus.unreachable(name, clock.instant(), "read interrupted"));
            } catch (ExecutionException e) {
                nodes.add(NodeStatus.unreachable(name, clock.instant(), describe(e.getCause())));
            }
        }
        return new ClusterStatus(clusterName, nodes, cluster.sourceOf(), addresses(cluster));
    }

    /** The configured addresses, for the check that each replica points at its configured source. */
    private static Map<String, NodeAddress> addresses(ClusterConfig cluster) {
        Map<String, NodeAddress> out = new LinkedHashMap<>();
        cluster.nodes().forEach(n -> out.put(n.name(), new NodeAddress(n.host(), n.port())));
        return out;
    }

    /** Reads one node; never throws: failures become an unreachable status. */
    public NodeStatus readNode(String cluster, String node) {
        synchronized (connections.lockFor(cluster, node)) {
            boolean reused = connections.isOpen(cluster, node);
            try {
                return readWith(connections.connection(cluster, node), node);
            } catch (SQLException | RuntimeException e) {
                connections.discard(cluster, node);
                if (!reused || isTimeout(e)) {
                    return NodeStatus.unreachable(node, clock.instant(), describe(e));
                }
            }
            // The kept connection died with the server (a restart): one fresh attempt tells a
            // node that is back from one that is down, instead of a false "unreachable" poll.
            try {
                return readWith(connections.connection(cluster, node), node);
            } catch (SQLException | RuntimeException e) {
                connections.discard(cluster, node);
                return NodeStatus.unreachable(node, clock.instant(), describe(e));
            }
        }
    }

    /** A hung node already cost a full timeout: trying again would double the wait. */
    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) return true;
        }
        return false;
    }

    private ServerVersion version(Connection c, Statement st) throws SQLException {
        ServerVersion known = versions.get(c);
        if (known != null) {
            return known;
        }
        try (ResultSet rs = st.executeQuery("SELECT @@version, @@version_comment")) {
            rs.next();
            ServerVersion version = ServerVersion.parse(rs.getString(1), rs.getString(2));
            versions.put(c, version);
            return version;
        }
    }

    NodeStatus readWith(Connection c, String node) throws SQLException {
        try (Statement st = c.createStatement()) {
            ServerVersion version = version(c, st);
            long serverId;
            boolean readOnly;
            boolean gtidEnabled;
            String gtidExecuted;
            if (version.flavor() == Flavor.MARIADB) {
                try (ResultSet rs = st.executeQuery("SELECT @@server_id, @@read_only, @@gtid_current_pos")) {
                    rs.next();
                    serverId = rs.getLong(1);
                    readOnly = rs.getInt(2) != 0;
                    gtidExecuted = nullToEmpty(rs.getString(3));
                }
                gtidEnabled = !gtidExecuted.isEmpty();
            } else {
                try (ResultSet rs = st.executeQuery("SELECT @@server_id, @@read_only, @@gtid_mode, @@gtid_executed")) {
                    rs.next();
                    serverId = rs.getLong(1);
                    readOnly = rs.getInt(2) != 0;
                    gtidEnabled = "ON".equalsIgnoreCase(rs.getString(3));
                    gtidExecuted = nullToEmpty(rs.getString(4)).replace("\n", "");
                }
            }
            long uptime = 0;
            try (ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE 'Uptime'")) {
                if (rs.next()) uptime = rs.getLong(2);
            }
            SqlDialect dialect = SqlDialect.of(version);
            List<BinlogFile> binlogs = new ArrayList<>();
            BinlogCoordinates head = null;
            try (ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (BinlogCoordinates.isValidFileName(name)) {
                        binlogs.add(new BinlogFile(name, rs.getLong(2)));
                    }
                }
            } catch (SQLException e) {
                // "You are not using binary logging": a node without binlogs cannot be a source.
                if (e.getErrorCode() != ServerErrors.NO_BINARY_LOGGING) throw e;
            }
            try (ResultSet rs = st.executeQuery(dialect.showBinlogHead())) {
                if (rs.next() && BinlogCoordinates.isValidFileName(rs.getString(1))) {
                    head = new BinlogCoordinates(rs.getString(1), rs.getLong(2));
                }
            }
            List<ReplicaChannel> channels = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(dialect.showReplicaStatus())) {
                while (rs.next()) {
                    channels.add(StatusRowMapper.map(row(rs), version.flavor()));
                }
            }
            if (version.flavor() != Flavor.MARIADB) {
                channels.replaceAll(ch -> ch.sqlErrorIsCoordinatorStop() ? withWorkerError(c, node, ch) : ch);
            }
            return new NodeStatus(node, clock.instant(), null, version, serverId, uptime, readOnly,
                    gtidEnabled, gtidExecuted, binlogs, head, channels);
        }
    }

    static final String WORKER_ERROR_QUERY = "SELECT WORKER_ID, LAST_ERROR_NUMBER, LAST_ERROR_MESSAGE, "
            + "LAST_ERROR_TIMESTAMP FROM performance_schema.replication_applier_status_by_worker "
            + "WHERE CHANNEL_NAME = ? AND LAST_ERROR_NUMBER <> 0 ORDER BY LAST_ERROR_TIMESTAMP DESC LIMIT 1";

    /**
     * The failing worker's own error, read only when MySQL's coordinator reports one. Without the
     * grant on performance_schema (or with it disabled) the coordinator's error stands alone.
     */
    static ReplicaChannel withWorkerError(Connection c, String node, ReplicaChannel ch) {
        try (PreparedStatement ps = c.prepareStatement(WORKER_ERROR_QUERY)) {
            ps.setString(1, ch.channelName());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    // The message starts "Worker <id> failed executing transaction ...".
                    return ch.withWorkerError(new ReplicationError(rs.getInt(2),
                            rs.getString(3), rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            if (toldAboutWorkerGrant.add(node)) {
                log.info("{}: the applier worker's error could not be read ({}); grant SELECT on "
                        + "performance_schema.replication_applier_status_by_worker to see it", node, e.getMessage());
            }
        }
        return ch;
    }

    static Map<String, String> row(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnLabel(i), rs.getString(i));
        }
        return row;
    }

    /**
     * The reason a node could not be read, in words a DBA acts on rather than the driver's
     * stack of wrappers. Never includes credentials (the driver never puts the password in).
     */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String rootMessage = root.getMessage() == null ? "" : root.getMessage();
        if (root instanceof java.net.ConnectException) {
            return "connection refused: nothing listens on that port, or a firewall rejects it (" + rootMessage + ")";
        }
        if (root instanceof java.net.SocketTimeoutException) {
            return rootMessage.toLowerCase().contains("connect")
                    ? "connect timed out: the host does not answer (down, or blackholed by the network)"
                    : "read timed out: the server accepted the connection but stopped answering (hung or overloaded)";
        }
        if (root instanceof java.net.UnknownHostException) {
            return "unknown host " + rootMessage;
        }
        if (root instanceof java.io.EOFException) {
            return "the server closed the connection (crashed, restarting, or killed the session)";
        }
        String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String firstLine = top.lines().findFirst().orElse(top);
        if (e instanceof SQLException sql && sql.getErrorCode() != 0) {
            firstLine = "error " + sql.getErrorCode() + ": " + firstLine;
        }
        if (root != e && !rootMessage.isEmpty() && !firstLine.contains(rootMessage)) {
            firstLine = firstLine + " (" + root.getClass().getSimpleName() + ": " + rootMessage + ")";
        }
        return firstLine.length() > 300 ? firstLine.substring(0, 300) + "..." : firstLine;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
