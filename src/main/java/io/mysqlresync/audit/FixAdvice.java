package io.mysqlresync.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The audit's problems as one plain message for a person to act on: unsafe first, per node the
 * setting, current and recommended value, why, the exact statements and whether a restart is
 * needed. Said after a recovery, when the cause is fresh in everyone's mind.
 */
public final class FixAdvice {

    private FixAdvice() {
    }

    /** Problems in the order to fix them: unsafe before risky, then as the audit listed them. */
    public static List<SettingFinding> ordered(List<SettingFinding> problems) {
        return problems.stream().sorted(Comparator.comparing(SettingFinding::safety).reversed()).toList();
    }

    /** Empty when every setting of every node that could be read is fine. */
    public static Optional<String> afterRecovery(AuditReport report) {
        if (report.problems().isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder("To make the next crash cheaper, fix these settings of ")
                .append(report.cluster()).append(" (nothing was changed; apply them by hand):\n");
        for (SettingFinding f : ordered(report.problems())) {
            sb.append('\n').append(line(f)).append('\n');
            statements(f.fix()).forEach(s -> sb.append("    ").append(s).append('\n'));
        }
        return Optional.of(sb.toString().strip());
    }

    /** "UNSAFE node1 sync_binlog = 0, recommended 1: why" */
    public static String line(SettingFinding f) {
        return f.safety() + " " + f.node() + " " + value(f) + ", recommended " + f.recommended() + ": " + f.why();
    }

    /** "sync_binlog = 0"; items over several variables already name each one ("x=1, y=2"). */
    public static String value(SettingFinding f) {
        return f.current().contains("=") || f.setting().isEmpty() ? f.current() : f.setting() + " = " + f.current();
    }

    /** The statements, the option file lines and the manual step, then whether a restart is needed. */
    public static List<String> statements(Fix fix) {
        List<String> out = new ArrayList<>();
        fix.sql().forEach(s -> out.add(s + ";"));
        if (!fix.myCnf().isEmpty()) {
            out.add("my.cnf: " + String.join(" / ", fix.myCnf().lines().toList()));
        }
        if (!fix.manualStep().isEmpty()) {
            out.add(fix.manualStep());
        }
        if (!fix.isNone()) {
            out.add(fix.restartNeeded() ? "takes effect after a restart" : "no restart needed");
        }
        return out;
    }
}
