package io.mysqlresync.console;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.audit.Fix;
import io.mysqlresync.audit.FixAdvice;
import io.mysqlresync.audit.Safety;
import io.mysqlresync.audit.SettingFinding;
import io.mysqlresync.diagnosis.Diagnosis;

import java.util.List;

/** Plain text for the crash-safety audit, for the terminal and the command line. */
public final class AuditText {

    private AuditText() {
    }

    /** "Why it happened:" and one line per setting that explains the diagnosis; empty when none does. */
    public static String causes(Diagnosis d) {
        if (d.causes().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("Why it happened:\n");
        d.causes().forEach(c -> sb.append(TextRenderer.wrap("- " + c, 96).replace("\n", "\n    ")).append('\n'));
        sb.append("  The fixes: audit ").append(d.cluster()).append('\n');
        return sb.toString();
    }

    /** Problems first, unsafe before risky, each with its fix; then one line per fine setting. */
    public static String audit(AuditReport report) {
        StringBuilder sb = new StringBuilder();
        List<SettingFinding> problems = FixAdvice.ordered(report.problems());
        long unsafe = problems.stream().filter(f -> f.safety() == Safety.UNSAFE).count();
        sb.append("Crash-safety audit of ").append(report.cluster()).append(": ").append(report.worst());
        if (!problems.isEmpty()) {
            sb.append(" (").append(unsafe).append(" unsafe, ").append(problems.size() - unsafe).append(" risky)");
        }
        sb.append("\nNothing was changed; apply the fixes by hand.\n");
        report.unreadable().forEach((node, why) -> sb.append("\n").append(node).append(": not audited: ").append(why)
                .append('\n'));
        for (SettingFinding f : problems) {
            sb.append('\n').append(String.format("%-6s %s: %s, recommended %s%n", f.safety(), f.node(),
                    FixAdvice.value(f), f.recommended()));
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
            fine.forEach(f -> sb.append("  ").append(f.node()).append(": ").append(FixAdvice.value(f)).append('\n'));
        }
        return sb.toString();
    }
}
