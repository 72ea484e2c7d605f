package io.mysqlresync.mysql;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.replication.NodeAddress;
import io.mysqlresync.recovery.SqlDialect;
import io.mysqlresync.replication.Applier;
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
import io.mysqlresync.util.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
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
import java.util.concurrent.Future;

/**
 * Reads every node of a cluster in parallel, so one slow or dead node never delays the others,
 * and turns each into a flavor-neutral {@link NodeStatus}. A node that fails comes back
 * unreachable with the reason.
 *
 * <p>The one bound on a read is the node connection's own: connectTimeout for a blackholed host,
 * socketTimeout (the cluster's readTimeout) on every answer of a server that accepts and hangs
 * ({@link NodeConnections#open}). So there is no second deadline here and no thread to abort a
 * read: the caller reads the first node itself and the pool reads the others.
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
        this.pool = Threads.fixedPool("node-reader", threads);
    }

    @Override
    public ClusterStatus read(String clusterName) {
        ClusterConfig cluster = connections.cluster(clusterName);
        List<NodeConfig> configured = cluster.nodes();
        if (configured.isEmpty()) {
            return new ClusterStatus(clusterName, List.of(), cluster.sourceOf());
        }
        List<Future<NodeStatus>> others = new ArrayList<>();
        for (NodeConfig node : configured.subList(1, configured.size())) {
            others.add(pool.submit(() -> readNode(clusterName, node.name())));
        }
        List<NodeStatus> nodes = new ArrayList<>();
        nodes.add(readNode(clusterName, configured.get(0).name()));
        for (int i = 0; i < others.size(); i++) {
            String name = configured.get(i + 1).name();
            try {
                nodes.add(others.get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                nodes.add(NodeStatus.unreachable(name, clock.instant(), "read interrupted"));
            } catch (ExecutionException e) {
                nodes.add(NodeStatus.unreachable(name, clock.instant(), describe(e.getCause())));
            }
        }
        return new ClusterStatus(clusterName, FailingGtidFromSource.fill(connections, clusterName, nodes,
                cluster.sourceOf()), cluster.sourceOf(), addresses(cluster));
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
            if (t instanceof SocketTimeoutException) return true;
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
            String gtidBinlogPos = "";
            int parallelWorkers;
            boolean preservesCommitOrder;
            // The applier's parallelism rides along: it decides the statements a plan may use
            // (1802 with gaps, MariaDB's 1966), at no extra round trip.
            if (version.flavor() == Flavor.MARIADB) {
                try (ResultSet rs = st.executeQuery(
                        "SELECT @@server_id, @@read_only, @@gtid_current_pos, @@slave_parallel_threads, @@gtid_binlog_pos")) {
                    rs.next();
                    serverId = rs.getLong(1);
                    readOnly = rs.getInt(2) != 0;
                    gtidExecuted = nullToEmpty(rs.getString(3));
                    parallelWorkers = rs.getInt(4);
                    gtidBinlogPos = nullToEmpty(rs.getString(5));
                    preservesCommitOrder = true; // MariaDB's parallel applier commits in order
                }
                gtidEnabled = !gtidExecuted.isEmpty();
            } else {
                try (ResultSet rs = st.executeQuery(mysqlNodeQuery(version))) {
                    rs.next();
                    serverId = rs.getLong(1);
                    readOnly = rs.getInt(2) != 0;
                    gtidEnabled = "ON".equalsIgnoreCase(rs.getString(3));
                    gtidExecuted = nullToEmpty(rs.getString(4)).replace("\n", "");
                    parallelWorkers = rs.getInt(5);
                    preservesCommitOrder = rs.getInt(6) != 0;
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
            channels.replaceAll(ch -> ch.withApplier(ch.applier().withSettings(parallelWorkers, preservesCommitOrder)));
            if (version.flavor() != Flavor.MARIADB) {
                channels.replaceAll(ch -> ch.sqlError().present() ? withWorkerError(c, node, version, ch) : ch);
            }
            return new NodeStatus(node, clock.instant(), null, version, serverId, uptime, readOnly,
                    gtidEnabled, gtidExecuted, binlogs, head, channels, gtidBinlogPos);
        }
    }

    /** MySQL's node query; 8.0.26 renamed the applier variables (slave_ to replica_). */
    static String mysqlNodeQuery(ServerVersion version) {
        String prefix = version.flavor() == Flavor.MYSQL && version.atLeast(8, 0, 26) ? "replica" : "slave";
        return "SELECT @@server_id, @@read_only, @@gtid_mode, @@gtid_executed, @@" + prefix + "_parallel_workers, @@"
                + prefix + "_preserve_commit_order";
    }

    /** MySQL 8.0 names the transaction a worker applies; 5.7 only the last one it saw. */
    static String workerErrorQuery(ServerVersion version) {
        String transaction = version.atLeast(8, 0, 0) ? "APPLYING_TRANSACTION" : "LAST_SEEN_TRANSACTION";
        return "SELECT WORKER_ID, LAST_ERROR_NUMBER, LAST_ERROR_MESSAGE, LAST_ERROR_TIMESTAMP, " + transaction
                + " FROM performance_schema.replication_applier_status_by_worker"
                + " WHERE CHANNEL_NAME = ? AND LAST_ERROR_NUMBER <> 0 ORDER BY LAST_ERROR_TIMESTAMP";
    }

    /** One failed worker's row: its error and the transaction it was applying. */
    record WorkerFailure(ReplicationError error, String transaction) {
    }

    /**
     * The root failure among the workers: with commit order preserved (MySQL 8.0.27's default),
     * every worker queued after the failed one stops later with 3030, so the newest error is
     * the wrong one. The earliest error that is not a 3030, else the earliest.
     */
    static WorkerFailure rootFailure(List<WorkerFailure> byTime) {
        return byTime.stream()
                .filter(w -> w.error().code() != ServerErrors.WORKER_STOPPED_AFTER_PREVIOUS_ERROR)
                .findFirst().orElse(byTime.isEmpty() ? null : byTime.get(0));
    }

    /**
     * The failing worker's own error, kept when MySQL's coordinator reports one, and the GTID it
     * failed on, which a GTID skip commits empty. Without the grant on performance_schema (or with
     * it disabled) the coordinator's error stands alone.
     */
    static ReplicaChannel withWorkerError(Connection c, String node, ServerVersion version, ReplicaChannel ch) {
        try (PreparedStatement ps = c.prepareStatement(workerErrorQuery(version))) {
            ps.setString(1, ch.channelName());
            List<WorkerFailure> failures = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // The message starts "Worker <id> failed executing transaction ...".
                    failures.add(new WorkerFailure(new ReplicationError(rs.getInt(2), rs.getString(3), rs.getString(4)),
                            rs.getString(5)));
                }
            }
            WorkerFailure root = rootFailure(failures);
            if (root == null) return ch;
            ReplicaChannel out = ch.sqlErrorIsCoordinatorStop() ? ch.withWorkerError(root.error()) : ch;
            String gtid = root.transaction() == null ? "" : root.transaction().trim();
            return Applier.isMysqlGtid(gtid) ? out.withApplier(out.applier().withFailingTransaction(gtid)) : out;
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
        if (root instanceof ConnectException) {
            return "connection refused: nothing listens on that port, or a firewall rejects it (" + rootMessage + ")";
        }
        if (root instanceof SocketTimeoutException) {
            return rootMessage.toLowerCase().contains("connect")
                    ? "connect timed out: the host does not answer (down, or blackholed by the network)"
                    : "read timed out: the server accepted the connection but stopped answering (hung or overloaded)";
        }
        if (root instanceof UnknownHostException) {
            return "unknown host " + rootMessage;
        }
        if (root instanceof EOFException) {
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
