package io.mysqlresync.slack;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.audit.Fix;
import io.mysqlresync.audit.FixAdvice;
import io.mysqlresync.audit.Safety;
import io.mysqlresync.audit.SettingFinding;
import io.mysqlresync.diagnosis.Diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.mysqlresync.slack.BlockKit.escape;
import static io.mysqlresync.slack.BlockKit.escapeCode;
import static io.mysqlresync.slack.BlockKit.escapeInline;
import static io.mysqlresync.slack.SlashCommand.COMMAND;

/** Block Kit for the crash-safety audit: the cause line of a diagnosis, the audit itself, and what changed. */
final class AuditRenderer {

    private AuditRenderer() {
    }

    /**
     * One section: the settings that explain the diagnosis ("node1 runs sync_binlog=0: ..."), with
     * the way to their fixes. Nothing when no setting explains it.
     */
    static void causes(BlockList b, Diagnosis d) {
        String text = causesText(d);
        if (!text.isEmpty()) {
            b.section(text);
        }
    }

    static String causesText(Diagnosis d) {
        if (d.causes().isEmpty()) {
            return "";
        }
        return ":mag: *Why it happened*\n" + d.causes().stream().map(c -> "• " + escape(c))
                .collect(Collectors.joining("\n")) + "\n_The fixes: `" + COMMAND + " audit " + escapeInline(d.cluster())
                + "`_";
    }

    /** {@code /mysql-resync audit <cluster>}: per node, its problems unsafe first, each with its fix. */
    static SlackMessage audit(AuditReport report) {
        BlockList b = new BlockList("… truncated, the full audit: `mysql-resync audit " + escapeInline(report.cluster())
                + "` on the bot's host");
        List<SettingFinding> problems = report.problems();
        long unsafe = problems.stream().filter(f -> f.safety() == Safety.UNSAFE).count();
        String headline = "Crash-safety audit of " + report.cluster() + ": " + report.worst()
                + (problems.isEmpty() ? "" : " (" + unsafe + " unsafe, " + (problems.size() - unsafe) + " risky)");
        b.header(emoji(report.worst()) + " " + headline);
        b.context("Nothing was changed: apply the fixes by hand, or ignore them on purpose. Each node's settings as"
                + " `SHOW GLOBAL VARIABLES` prints them now.");
        Map<String, List<SettingFinding>> byNode = new LinkedHashMap<>();
        report.findings().forEach(f -> byNode.computeIfAbsent(f.node(), n -> new ArrayList<>()).add(f));
        report.unreadable().forEach((node, why) -> b.section(":grey_question: *" + escape(node) + "*: not audited: "
                + escape(BlockKit.truncate(why, 300))));
        for (Map.Entry<String, List<SettingFinding>> node : byNode.entrySet()) {
            List<SettingFinding> nodeProblems = FixAdvice.ordered(node.getValue().stream()
                    .filter(SettingFinding::isProblem).toList());
            long fine = node.getValue().size() - nodeProblems.size();
            b.section("*" + escape(node.getKey()) + "*: " + (nodeProblems.isEmpty() ? "every setting is fine"
                    : nodeProblems.size() + " to fix") + " (" + fine + " fine)");
            nodeProblems.forEach(f -> finding(b, f));
        }
        return new SlackMessage(BlockKit.truncate(escape(headline), BlockKit.MAX_FALLBACK_TEXT), b.build());
    }

    /** The scheduled audit's post: only what changed since the last one. */
    static SlackMessage changes(AuditReport report, AuditReport.Changes changes) {
        BlockList b = new BlockList("… truncated, the full audit: `" + COMMAND + " audit " + escapeInline(report.cluster())
                + "`");
        String headline = "Crash-safety settings of " + report.cluster() + " changed: " + changes.appeared().size()
                + " new or changed problem(s), " + changes.fixed().size() + " fixed";
        b.header(emoji(report.worst()) + " " + headline);
        b.context("Scheduled audit: only what changed since the last one. Nothing was changed on the servers.");
        FixAdvice.ordered(changes.appeared()).forEach(f -> finding(b, f));
        if (!changes.fixed().isEmpty()) {
            b.sections(":white_check_mark: *Fixed since the last audit*\n" + changes.fixed().stream()
                    .map(f -> "• " + escape(f.node()) + ": `" + escapeInline(FixAdvice.value(f)) + "` is no longer "
                            + f.safety().name().toLowerCase())
                    .collect(Collectors.joining("\n")));
        }
        report.unreadable().forEach((node, why) -> b.context(":grey_question: " + escape(node) + " could not be read: "
                + escape(BlockKit.truncate(why, 200))));
        return new SlackMessage(BlockKit.truncate(escape(headline), BlockKit.MAX_FALLBACK_TEXT), b.build());
    }

    /** Severity, node, setting, current and recommended value, why; then the fix and whether it needs a restart. */
    private static void finding(BlockList b, SettingFinding f) {
        b.section(emoji(f.safety()) + " *" + f.safety() + "* " + escape(f.node()) + " `"
                + escapeInline(FixAdvice.value(f)) + "`, recommended `" + escapeInline(f.recommended()) + "`\n"
                + escape(f.why()));
        Fix fix = f.fix();
        List<String> lines = new ArrayList<>();
        fix.sql().forEach(s -> lines.add(escapeCode(s) + ";"));
        if (!fix.myCnf().isEmpty()) {
            lines.add(escapeCode("# my.cnf"));
            fix.myCnf().lines().forEach(l -> lines.add(escapeCode(l)));
        }
        if (!lines.isEmpty()) {
            b.code("", lines);
        }
        String step = fix.manualStep().isEmpty() ? "" : escape(fix.manualStep()) + " · ";
        if (!fix.isNone()) {
            b.context(step + (fix.restartNeeded() ? ":arrows_counterclockwise: takes effect after a restart"
                    : "no restart needed"));
        }
    }

    private static String emoji(Safety s) {
        return switch (s) {
            case FINE -> ":large_green_circle:";
            case RISKY -> ":large_yellow_circle:";
            case UNSAFE -> ":red_circle:";
        };
    }
}
