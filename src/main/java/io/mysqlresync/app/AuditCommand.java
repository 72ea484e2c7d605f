package io.mysqlresync.app;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.audit.Auditor;
import io.mysqlresync.audit.Fix;
import io.mysqlresync.audit.Safety;
import io.mysqlresync.audit.SettingFinding;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.mysql.JdbcSettingsReader;
import io.mysqlresync.mysql.NodeConnections;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
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
            JdbcSettingsReader.ClusterSettings settings = new JdbcSettingsReader(connections, auditor.variables()).read(cluster);
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

    /** Problems first with their fixes, then one line per fine setting. */
    static String text(AuditReport report) {
        StringBuilder sb = new StringBuilder();
        List<SettingFinding> problems = report.problems();
        long unsafe = problems.stream().filter(f -> f.safety() == Safety.UNSAFE).count();
        sb.append("Crash-safety audit of ").append(report.cluster()).append(": ").append(report.worst());
        if (!problems.isEmpty()) {
            sb.append(" (").append(unsafe).append(" unsafe, ").append(problems.size() - unsafe).append(" risky)");
        }
        sb.append("\nNothing was changed; apply the fixes by hand.\n");
        report.unreadable().forEach((node, why) -> sb.append("\n").append(node).append(": not audited: ").append(why)
                .append('\n'));
        for (SettingFinding f : problems) {
            sb.append('\n').append(String.format("%-6s %s: %s, recommended %s%n", f.safety(), f.node(), value(f),
                    f.recommended()));
            sb.append("       ").append(f.why()).append('\n');
            Fix fix = f.fix();
            fix.sql().forEach(s -> sb.append("       ").append(s).append(";\n"));
            if (!fix.myCnf().isEmpty()) {
                sb.append("       my.cnf:\n");
                fix.myCnf().lines().forEach(l -> sb.append("         ").append(l).append('\n'));
            }
            if (!fix.manualStep().isEmpty()) {
                sb.append("       ").append(fix.manualStep()).append('\n');
            }
            sb.append("       ").append(fix.restartNeeded() ? "takes effect after a restart" : "no restart needed")
                    .append('\n');
        }
        List<SettingFinding> fine = report.findings().stream().filter(f -> !f.isProblem()).toList();
        if (!fine.isEmpty()) {
            sb.append("\nFine:\n");
            fine.forEach(f -> sb.append("  ").append(f.node()).append(": ").append(value(f)).append('\n'));
        }
        return sb.toString();
    }

    /** "sync_binlog = 0"; items over several variables already name each one ("x=1, y=2"). */
    private static String value(SettingFinding f) {
        return f.current().contains("=") ? f.current() : f.setting() + " = " + f.current();
    }
}
