package io.mysqlresync.app;

import com.mysql.cj.conf.ConnectionUrl;
import com.mysql.cj.exceptions.CJException;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.StateSettings;
import io.mysqlresync.config.VerifySettings;
import io.mysqlresync.incident.ApprovalPolicy;
import io.mysqlresync.mysql.JdbcDataVerifier;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.store.JdbcVerificationLog;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.ProgressListener;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationLog;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyOptions;
import io.mysqlresync.verify.VerifyRequest;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * `verify <cluster> [schema[.table] ...] [--json]`: are the two nodes identical now, and if
 * not, which rows differ? Read-only. Exit 0 when every compared table is identical, 2 when rows
 * differ, 1 when something could not be settled or read (never 0 then).
 */
final class VerifyCommand {

    static final int IDENTICAL = 0;
    static final int INCONCLUSIVE = 1;
    static final int DIFFERS = 2;
    /** Enough to see the pattern; --json has them all. */
    private static final int ROWS_SHOWN = 50;

    private VerifyCommand() {
    }

    static int run(AppConfig config, String cluster, List<String> tables, boolean json, PrintStream out,
                   PrintStream err) {
        if (config.cluster(cluster).isEmpty()) {
            err.println("unknown cluster '" + cluster + "'; configured clusters: " + String.join(", ", config.clusterNames()));
            return Main.USAGE;
        }
        VerifySettings settings = config.verify();
        VerifyRequest request = VerifyRequest.of(tables.isEmpty() ? settings.include() : tables);
        CancelToken cancel = new CancelToken();
        // Ctrl-C: stop the statements running on the nodes too, not just this process.
        Thread onInterrupt = new Thread(cancel::cancel, "verify-cancel");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        VerificationResult result;
        try (NodeConnections connections = new NodeConnections(config.clusters())) {
            result = new JdbcDataVerifier(connections, options(config), Clock.systemUTC())
                    .verify(cluster, request, progressLine(err), cancel);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return Main.USAGE;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: nothing to remove
            }
        }
        String id = store(config, result, err);
        if (json) {
            try {
                out.println(Json.MAPPER.writeValueAsString(document(result)));
            } catch (Exception e) {
                throw new IllegalStateException("could not write JSON: " + e.getMessage(), e);
            }
        } else {
            out.print(text(result));
            if (id != null && result.verdict() == TableVerdict.DIFFERS) {
                out.println("Stored as verification " + id + "; repair it with: repair " + id + " --source <"
                        + String.join("|", result.nodes()) + ">");
            }
        }
        return exitCode(result.verdict());
    }

    /**
     * Kept with the audit trail, like everything the bot is asked to do. A state database that
     * cannot be opened costs the record, not the answer: the DBA still gets the result and the exit code.
     */
    private static String store(AppConfig config, VerificationResult result, PrintStream err) {
        String id = VerificationLog.newId();
        try (StateDatabase db = StateDatabase.open(config.state())) {
            new JdbcVerificationLog(db.dataSource()).record(id,
                    ApprovalPolicy.CONSOLE_PREFIX + System.getProperty("user.name", "operator"), result);
            return id;
        } catch (RuntimeException e) {
            err.println("note: this verification was not stored in the state database: " + e.getMessage());
            return null;
        }
    }

    static VerifyOptions options(AppConfig config) {
        VerifySettings s = config.verify();
        List<String> excluded = new ArrayList<>(VerifyOptions.SYSTEM_SCHEMAS);
        stateSchema(config.state()).ifPresent(excluded::add);
        excluded.addAll(s.exclude());
        VerifyOptions d = VerifyOptions.defaults();
        return new VerifyOptions(s.chunkTime(), d.initialChunkRows(), d.rechecks(), d.catchUpTimeout(),
                s.queryTimeout(), d.timeout(), s.maxLag(), s.maxThreadsRunning(), excluded);
    }

    /** The bot's own state database, when it lives on a MySQL/MariaDB server: never compared. */
    static Optional<String> stateSchema(StateSettings state) {
        String url = state.jdbcUrl() == null ? "" : state.jdbcUrl().trim();
        if (url.startsWith("jdbc:mariadb:")) {
            url = "jdbc:mysql:" + url.substring("jdbc:mariadb:".length());
        }
        // Only the database part matters: read as plain hosts, a DNS SRV name is not looked up.
        url = url.replaceFirst("^jdbc:mysql\\+srv:", "jdbc:mysql:");
        if (!url.startsWith("jdbc:mysql:")) {
            return Optional.empty();
        }
        // Connector/J's own parser: replication, loadbalance, address=(...) and [ipv6] forms alike.
        try {
            String db = ConnectionUrl.getConnectionUrlInstance(url, null).getDatabase();
            return db == null || db.isBlank() ? Optional.empty() : Optional.of(db);
        } catch (CJException e) {
            return Optional.empty();
        }
    }

    static int exitCode(TableVerdict verdict) {
        return switch (verdict) {
            case IDENTICAL -> IDENTICAL;
            case DIFFERS -> DIFFERS;
            case INCONCLUSIVE -> INCONCLUSIVE;
        };
    }

    /** One line on stderr, rewritten in place, only when stderr is a terminal and at most 4 times a second. */
    private static ProgressListener progressLine(PrintStream err) {
        if (System.console() == null) {
            return ProgressListener.NONE;
        }
        long[] last = {0};
        return p -> {
            long now = System.nanoTime();
            if (now - last[0] > 250_000_000L || p.tablesDone() == p.tablesTotal()) {
                last[0] = now;
                err.print("\r\033[K" + p.line() + (p.tablesDone() == p.tablesTotal() ? "\n" : ""));
                err.flush();
            }
        };
    }

    static String text(VerificationResult r) {
        StringBuilder out = new StringBuilder();
        out.append(r.cluster()).append(" (").append(String.join(", ", r.nodes())).append("): ").append(r.headline())
                .append(String.format(" in %.1f s%n", r.took().toMillis() / 1000.0));
        for (TableResult t : r.tables()) {
            out.append("  ").append(t.summary()).append('\n');
            for (String note : t.notes()) {
                out.append("      note: ").append(note).append('\n');
            }
        }
        List<RowDifference> diffs = r.differences();
        if (!diffs.isEmpty()) {
            out.append("\nRows that differ (").append(diffs.size()).append("):\n");
            diffs.stream().limit(ROWS_SHOWN).forEach(d -> out.append("  ").append(d.describe()).append('\n'));
            if (diffs.size() > ROWS_SHOWN) {
                out.append("  ... and ").append(diffs.size() - ROWS_SHOWN).append(" more (--json lists every row)\n");
            }
        }
        for (String note : r.notes()) {
            out.append("note: ").append(note).append('\n');
        }
        return out.toString();
    }

    static Map<String, Object> document(VerificationResult r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("cluster", r.cluster());
        doc.put("nodes", r.nodes());
        doc.put("verdict", r.verdict());
        doc.put("headline", r.headline());
        doc.put("started", r.started());
        doc.put("seconds", r.took().toMillis() / 1000.0);
        doc.put("rowsCompared", r.rowsCompared());
        List<Map<String, Object>> tables = new ArrayList<>();
        for (TableResult t : r.tables()) {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("table", t.table().toString());
            table.put("verdict", t.verdict());
            if (t.reason() != null) {
                table.put("reason", t.reason());
                table.put("detail", t.detail());
            }
            table.put("rows", t.rowsCompared());
            table.put("chunks", t.chunks());
            table.put("notes", t.notes());
            List<Map<String, Object>> rows = new ArrayList<>();
            for (RowDifference d : t.differences()) {
                Map<String, Object> row = new LinkedHashMap<>();
                Map<String, String> key = new LinkedHashMap<>();
                for (int i = 0; i < d.keyColumns().size(); i++) {
                    key.put(d.keyColumns().get(i), d.key().values().get(i));
                }
                row.put("key", key);
                Map<String, Object> nodes = new LinkedHashMap<>();
                d.valuesByNode().forEach((node, values) -> {
                    if (values == null) {
                        nodes.put(node, null); // absent on this node
                    } else {
                        Map<String, String> named = new LinkedHashMap<>();
                        for (int i = 0; i < d.columns().size(); i++) {
                            named.put(d.columns().get(i), values.get(i));
                        }
                        nodes.put(node, named);
                    }
                });
                row.put("nodes", nodes);
                row.put("absentOn", d.absentOn());
                rows.add(row);
            }
            table.put("differences", rows);
            tables.add(table);
        }
        doc.put("tables", tables);
        doc.put("notes", r.notes());
        return doc;
    }
}
