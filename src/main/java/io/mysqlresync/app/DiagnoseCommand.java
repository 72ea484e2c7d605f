package io.mysqlresync.app;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.console.TextRenderer;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Severity;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.mysql.JdbcClusterReader;
import io.mysqlresync.mysql.JdbcGrantReader;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import org.slf4j.MDC;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * `diagnose <cluster> [--json]`: read the nodes, print the diagnosis and the plan, and exit with
 * a code scripts can use. Read-only: it never stores or runs a plan.
 */
final class DiagnoseCommand {

    static final int IN_SYNC = 0;
    static final int DEGRADED = 1;
    static final int BROKEN = 2;

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
            Diagnosis d = new Diagnoser(thresholds).diagnose(reader.read(cluster));
            RecoveryPlan plan = new Planner(new JdbcGrantReader(connections)).plan(d, "p-preview0", d.at());
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("cluster", cluster);
                doc.put("worst", d.worst());
                doc.put("broken", d.broken());
                doc.put("headline", d.headline());
                doc.put("findings", d.findings());
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

    static int exitCode(Diagnosis d) {
        if (d.broken()) return BROKEN;
        return d.worst().compareTo(Severity.WARNING) >= 0 ? DEGRADED : IN_SYNC;
    }
}
