package io.mysqlresync.app;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.audit.ClusterSettings;
import io.mysqlresync.audit.Auditor;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.console.AuditText;
import io.mysqlresync.mysql.JdbcSettingsReader;
import io.mysqlresync.mysql.NodeConnections;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * `audit <cluster> [--json]`: the crash-safety settings of every node, with the fixes to apply by
 * hand. Exits 0 when every setting is fine, 1 with risky ones (or a node that could not be read),
 * 2 with unsafe ones. Never changes a setting.
 */
final class AuditCommand {

    static final int FINE = 0;
    static final int RISKY = 1;
    static final int UNSAFE = 2;

    private AuditCommand() {
    }

    static int run(AppConfig config, String cluster, boolean json, PrintStream out, PrintStream err) throws Exception {
        if (config.cluster(cluster).isEmpty()) {
            err.println("unknown cluster '" + cluster + "'; configured clusters: " + String.join(", ", config.clusterNames()));
            return Main.USAGE;
        }
        Auditor auditor = new Auditor();
        try (NodeConnections connections = new NodeConnections(config.clusters())) {
            ClusterSettings settings = new JdbcSettingsReader(connections, auditor.variables()).read(cluster);
            AuditReport report = auditor.audit(cluster, settings.nodes(), settings.unreadable());
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("cluster", cluster);
                doc.put("worst", report.worst());
                doc.put("findings", report.findings());
                doc.put("unreadable", report.unreadable());
                out.println(Json.MAPPER.writeValueAsString(doc));
            } else {
                out.print(text(report));
            }
            return exitCode(report);
        }
    }

    static int exitCode(AuditReport report) {
        return switch (report.worst()) {
            case FINE -> FINE;
            case RISKY -> RISKY;
            case UNSAFE -> UNSAFE;
        };
    }

    /** Problems first (unsafe before risky) with their fixes, then one line per fine setting. */
    static String text(AuditReport report) {
        return AuditText.audit(report);
    }
}
