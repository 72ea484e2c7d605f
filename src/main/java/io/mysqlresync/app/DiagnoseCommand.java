package io.mysqlresync.app;

import io.mysqlresync.audit.Cause;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.console.TextRenderer;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Severity;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.mysql.JdbcClusterReader;
import io.mysqlresync.mysql.JdbcGrantReader;
import io.mysqlresync.mysql.LogLedgerReader;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import org.slf4j.MDC;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `diagnose <cluster> [--json]`: read the nodes, print the diagnosis and the plan, and exit with
 * a code scripts can use. Read-only: it never stores or runs a plan.
 */
final class DiagnoseCommand {

    static final int IN_SYNC = 0;
    static final int DEGRADED = 1;
    static final int BROKEN = 2;
    /** Reading the holder's binlog over the replication protocol: bounded, the ledger says what it missed. */
    static final Duration LEDGER_READ_DEADLINE = Duration.ofSeconds(10);

    private DiagnoseCommand() {
    }

    static int run(AppConfig config, String cluster, boolean json, PrintStream out, PrintStream err) throws Exception {
        if (config.cluster(cluster).isEmpty()) {
            err.println("unknown cluster '" + cluster + "'; configured clusters: " + String.join(", ", config.clusterNames()));
            return Main.USAGE;
        }
        Thresholds thresholds = Wiring.thresholds(config);
        try (MDC.MDCCloseable c = MDC.putCloseable("cluster", cluster);
             NodeConnections connections = new NodeConnections(config.clusters());
             JdbcClusterReader reader = new JdbcClusterReader(connections, 8, Clock.systemUTC())) {
            // The ledger is read before anything else can discard the relay logs that hold it.
            Diagnosis d = new Diagnoser(thresholds).diagnose(reader.read(cluster))
                    .withLedgerFrom(new LogLedgerReader(config.cluster(cluster).get(), LEDGER_READ_DEADLINE));
            // The settings that explain it; a node whose settings cannot be read just adds none.
            List<Cause> causes = BotApplication.crashSafety(connections).causes(d);
            d = d.withCauses(causes.stream().map(Cause::sentence).distinct().toList());
            RecoveryPlan plan = new Planner(new JdbcGrantReader(connections)).plan(d, "p-preview0", d.at());
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("cluster", cluster);
                doc.put("worst", d.worst());
                doc.put("broken", d.broken());
                doc.put("headline", d.headline());
                doc.put("findings", d.findings());
                doc.put("causes", causes);
                doc.put("lossLedger", ledger(d.ledger()));
                doc.put("nodes", d.status().nodes());
                doc.put("options", plan.options());
                doc.put("manualActions", plan.manualActions());
                out.println(Json.MAPPER.writeValueAsString(doc));
            } else {
                out.print(TextRenderer.diagnosis(d));
                out.println();
                out.print(TextRenderer.plan(plan).replace("Recovery plan p-preview0", "Recovery plan (preview)"));
            }
            return exitCode(d);
        }
    }

    /** The ledger for scripts and for the verifier: per direction what is at risk, and per table the keys to check first. */
    static Map<String, Object> ledger(LossLedger ledger) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("read", ledger.read());
        doc.put("needsFullCheck", !ledger.read() || ledger.needsFullCheck());
        doc.put("lines", ledger.lines());
        doc.put("keyColumns", ledger.keyColumns());
        doc.put("keysAtRisk", ledger.keysAtRisk());
        List<Map<String, Object>> directions = new ArrayList<>();
        for (DirectionLedger d : ledger.directions()) {
            Map<String, Object> dir = new LinkedHashMap<>();
            dir.put("origin", d.origin());
            dir.put("mayExistOnlyOn", d.holder());
            dir.put("summary", d.summary());
            dir.put("completeness", d.completeness());
            dir.put("cause", d.cause());
            dir.put("range", d.range());
            dir.put("expectedTransactions", d.expected());
            dir.put("rows", d.rows());
            dir.put("couldNotRead", d.problems());
            dir.put("evidence", d.evidence());
            dir.put("transactions", d.transactions());
            directions.add(dir);
        }
        doc.put("directions", directions);
        return doc;
    }

    static int exitCode(Diagnosis d) {
        if (d.broken()) return BROKEN;
        return d.worst().compareTo(Severity.WARNING) >= 0 ? DEGRADED : IN_SYNC;
    }
}
