package io.mysqlresync.mysql;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.DataVerifier;
import io.mysqlresync.verify.InconclusiveReason;
import io.mysqlresync.verify.ProgressListener;
import io.mysqlresync.verify.TableRef;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.TableShape;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.Verification;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyException;
import io.mysqlresync.verify.VerifyOptions;
import io.mysqlresync.verify.VerifyRequest;
import io.mysqlresync.util.Threads;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;

/**
 * Compares the two nodes of a pair over JDBC, each node read directly with its own read-only
 * connection (never through replication, so it works under writes on both masters and with
 * ROW-based binlogs). Tables and keys come from information_schema; the user's filters are only
 * matched against it.
 */
public final class JdbcDataVerifier implements DataVerifier {

    private final NodeConnections connections;
    private final VerifyOptions options;
    private final Clock clock;

    public JdbcDataVerifier(NodeConnections connections, VerifyOptions options, Clock clock) {
        this.connections = connections;
        this.options = options;
        this.clock = clock;
    }

    @Override
    public VerificationResult verify(String cluster, VerifyRequest request, ProgressListener progress,
                                     CancelToken cancel) {
        ClusterConfig cfg = connections.cluster(cluster);
        if (cfg.nodes().size() != 2) {
            throw new IllegalArgumentException("verify compares a pair; cluster '" + cluster + "' has "
                    + cfg.nodes().size() + " nodes");
        }
        Instant started = clock.instant();
        // The monitor's read timeout (2 s) is sized for status queries; a chunk or a catch-up wait
        // is bounded by the server-side query timeout instead, with the socket as the last resort.
        Duration socket = options.queryTimeout().plus(options.catchUpTimeout()).plusSeconds(5);
        ClusterConfig verifyCfg = new ClusterConfig(cfg.name(), cfg.user(), cfg.password(), cfg.connectTimeout(),
                socket.compareTo(cfg.readTimeout()) > 0 ? socket : cfg.readTimeout(), cfg.nodes());
        List<VerifySession> sessions = new ArrayList<>();
        VerifySession ahead = null;
        ExecutorService pool = Threads.fixedPool("verify", 2);
        ExecutorService aheadPool = Threads.fixedPool("verify-ahead", 1);
        try {
            for (NodeConfig n : cfg.nodes()) {
                try {
                    sessions.add(new VerifySession(n.name(), NodeConnections.open(verifyCfg, n), options.queryTimeout(), cancel));
                } catch (SQLException e) {
                    return nothingCompared(cluster, cfg, started, n.name() + " could not be reached: " + e.getMessage());
                }
            }
            NodeConfig first = cfg.nodes().get(0);
            try {
                // The next chunk's part ends are read on a second session while both nodes checksum
                // the current chunk; set up like the first (read-only, the same timeouts and cancel).
                ahead = new VerifySession(first.name(), NodeConnections.open(verifyCfg, first), options.queryTimeout(), cancel);
            } catch (SQLException e) {
                // No second connection (max_connections reached, say): the part ends are read in turn, as before.
                ahead = null;
            }
            List<VerifyCatalog> catalogs = new ArrayList<>();
            for (VerifySession s : sessions) {
                try {
                    catalogs.add(VerifyCatalog.read(s, excludedSchemas()));
                } catch (VerifyException e) {
                    return nothingCompared(cluster, cfg, started, e.getMessage());
                }
            }
            List<TableResult> decided = new ArrayList<>();
            Map<TableShape, CatalogTable> compare = new LinkedHashMap<>();
            resolve(request, sessions, catalogs, decided, compare);
            JdbcPairSource source = new JdbcPairSource(sessions, ahead, aheadPool, compare, pool, options.catchUpTimeout());
            List<String> notes = new ArrayList<>();
            if (!catalogs.get(0).seesEverything) {
                notes.add("the bot sees only the schemas it has a privilege on; grant SELECT on every replicated"
                        + " schema so that none is left out");
            }
            return new Verification(source, options, System::nanoTime).run(cluster, started,
                    List.copyOf(compare.keySet()), decided, request.keysFirst(), request.keysOnly(), request.keysExact(), notes, progress, cancel);
        } finally {
            pool.shutdownNow();
            aheadPool.shutdownNow();
            sessions.forEach(VerifySession::close);
            if (ahead != null) {
                ahead.close();
            }
        }
    }

    private void resolve(VerifyRequest request, List<VerifySession> sessions, List<VerifyCatalog> catalogs,
                         List<TableResult> decided, Map<TableShape, CatalogTable> compare) {
        Set<TableRef> everywhere = new TreeSet<>();
        catalogs.forEach(c -> everywhere.addAll(c.tables.keySet()));
        Set<TableRef> selected = new TreeSet<>();
        if (request.tables().isEmpty()) {
            selected.addAll(everywhere);
            selected.removeIf(t -> options.excluded().contains(t.toString()));
        }
        for (String filter : request.tables()) {
            List<TableRef> matched = VerifyCatalog.match(filter, everywhere);
            if (!matched.isEmpty()) {
                selected.addAll(matched);
                continue;
            }
            int dot = filter.indexOf('.');
            String schema = dot < 0 ? filter : filter.substring(0, dot);
            VerifyCatalog first = catalogs.get(0);
            if (excludedSchemas().contains(schema)) {
                throw new IllegalArgumentException("'" + schema + "' is not compared: it is a system schema or the"
                        + " bot's own state (excluded: " + String.join(", ", excludedSchemas()) + ")");
            }
            if (!first.wouldShowSchema(schema)) {
                // fall through: hidden, not known to be absent
            } else if (!first.schemas.contains(schema)) {
                throw new IllegalArgumentException("no schema '" + schema + "' on " + sessions.get(0).node
                        + "; schemas: " + String.join(", ", first.schemas));
            } else if (first.wouldShowEveryTableOf(schema)) {
                throw new IllegalArgumentException("no table '" + filter + "' on " + sessions.get(0).node + "; tables in "
                        + schema + ": " + String.join(", ", first.tables.keySet().stream()
                        .filter(t -> t.schema().equals(schema)).map(TableRef::table).toList()));
            }
            // Without a privilege on it the catalog hides a schema: absent and forbidden look the same.
            VerifyException e = VerifyCatalog.missingGrant(sessions.get(0).node, sessions.get(0).account, schema,
                    "the bot cannot see '" + filter + "' (no privilege on it, or it does not exist)");
            decided.add(TableResult.inconclusive(new TableRef(schema, dot < 0 ? "*" : filter.substring(dot + 1)),
                    InconclusiveReason.MISSING_PRIVILEGE, e.getMessage(), 0, 0, List.of(), List.of(), Duration.ZERO));
        }
        for (TableRef t : selected) {
            List<CatalogTable> onNodes = catalogs.stream().map(c -> c.tables.get(t)).toList();
            int missingAt = onNodes.indexOf(null);
            if (missingAt >= 0) {
                VerifyCatalog c = catalogs.get(missingAt);
                VerifySession s = sessions.get(missingAt);
                if (c.wouldShowEveryTableOf(t.schema())) {
                    decided.add(new TableResult(t, TableVerdict.DIFFERS, null, null, 0, 0, List.of(),
                            List.of("the table does not exist on " + s.node), Duration.ZERO));
                } else {
                    VerifyException e = VerifyCatalog.missingGrant(s.node, s.account, t.schema(),
                            "the bot cannot see " + t);
                    decided.add(TableResult.inconclusive(t, InconclusiveReason.MISSING_PRIVILEGE, e.getMessage(), 0, 0,
                            List.of(), List.of(), Duration.ZERO));
                }
                continue;
            }
            if (!onNodes.get(0).shape().columns().equals(onNodes.get(1).shape().columns())) {
                decided.add(new TableResult(t, TableVerdict.DIFFERS, null, null, 0, 0, List.of(), List.of(
                        "the columns differ: " + sessions.get(0).node + " " + onNodes.get(0).shape().columns() + ", "
                                + sessions.get(1).node + " " + onNodes.get(1).shape().columns()), Duration.ZERO));
                continue;
            }
            compare.put(onNodes.get(0).shape(), onNodes.get(0));
        }
    }

    private List<String> excludedSchemas() {
        return options.excluded().stream().filter(x -> !x.contains(".")).toList();
    }

    private static VerificationResult nothingCompared(String cluster, ClusterConfig cfg, Instant started, String why) {
        TableResult r = TableResult.inconclusive(new TableRef("*", "*"), InconclusiveReason.ERROR, why, 0, 0, List.of(),
                List.of(), Duration.ZERO);
        return new VerificationResult(cluster, cfg.nodes().stream().map(NodeConfig::name).toList(), started,
                Duration.ZERO, List.of(r), List.of());
    }
}
