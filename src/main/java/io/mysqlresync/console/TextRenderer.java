package io.mysqlresync.console;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Evidence;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.NodeVerdict;
import io.mysqlresync.diagnosis.Severity;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.LagSparkline;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.Durations;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.incident.ShardPoll;
import io.mysqlresync.recovery.ExecutionReport;
import io.mysqlresync.recovery.NodeStep;
import io.mysqlresync.recovery.PlanOption;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.recovery.StatementOutcome;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Plain-text rendering of the core values for the terminal and the command line. */
public final class TextRenderer {

    private TextRenderer() {
    }

    /** Which replica polled each monitor shard last, and when: the end of {@code status}. */
    public static String shards(List<ShardPoll> polls, Instant now) {
        List<String[]> rows = ShardPoll.table(polls, now);
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder("Monitor shards:\n");
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    public static String nodeTable(Diagnosis d) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-10s %-10s %-10s %-4s %-7s %-26s %-26s %s%n";
        sb.append(String.format(fmt, "node", "uptime", "IO", "SQL", "errno", "executed (source pos)", "read (source pos)", "lag"));
        for (NodeStatus n : d.status().nodes()) {
            if (!n.reachable()) {
                sb.append(String.format("%-10s UNREACHABLE: %s%n", n.node(), n.unreachableReason()));
                continue;
            }
            Optional<ReplicaChannel> ch = n.replica();
            if (ch.isEmpty()) {
                sb.append(String.format("%-10s %-10s not a replica%n", n.node(), uptime(n.uptimeSeconds())));
                continue;
            }
            ReplicaChannel c = ch.get();
            int errno = c.sqlError().code() != 0 ? c.sqlError().code() : c.ioError().code();
            sb.append(String.format(fmt, n.node(), uptime(n.uptimeSeconds()), c.ioThread().statusWord(),
                    c.sqlThread().statusWord(), errno == 0 ? "-" : Integer.toString(errno), coord(c.executed()),
                    coord(c.received()),
                    c.secondsBehindSource().isPresent() ? c.secondsBehindSource().getAsLong() + " s" : "NULL"));
        }
        return sb.toString();
    }

    public static String diagnosis(Diagnosis d) {
        StringBuilder sb = new StringBuilder();
        sb.append(marker(d.worst())).append(' ').append(d.headline()).append('\n').append('\n');
        sb.append(nodeTable(d)).append('\n');
        for (Finding f : d.findings()) {
            sb.append(marker(f.severity())).append(' ').append(f.kind().title()).append(" on ").append(f.node())
                    .append(": ").append(f.summary()).append('\n');
            if (f.severity() != Severity.OK) {
                sb.append(indent(wrap(f.explanation(), 96), "    ")).append('\n');
                for (Evidence e : f.evidence()) {
                    sb.append("      ").append(e).append('\n');
                }
            }
        }
        sb.append(AuditText.causes(d));
        for (String line : d.ledger().lines()) {
            sb.append(indent(wrap("Loss ledger: " + line.replaceFirst("^Loss ledger: ", ""), 96), "  ").replaceFirst("^  ", ""))
                    .append('\n');
        }
        return sb.toString();
    }

    /**
     * One line per node, the broken ones first: what is wrong in a few words (the worst finding's
     * summary), or that it replicates. What a person reads before deciding; the evidence follows.
     */
    public static String whatIsBroken(Diagnosis d) {
        List<String> lines = new ArrayList<>();
        for (NodeVerdict v : d.byNodeBrokenFirst()) {
            if (v.fine()) {
                lines.add(String.format("  %-6s %-10s %s", marker(Severity.OK), v.node(), v.replica()
                        .map(c -> "replicating (IO " + c.ioThread().statusWord() + ", SQL " + c.sqlThread().statusWord()
                                + ", lag " + (c.secondsBehindSource().isPresent() ? c.secondsBehindSource().getAsLong()
                                + " s" : "NULL") + ")")
                        .orElse("fine")));
                continue;
            }
            String summary = v.worst().summary().replaceAll("\\s+", " ");
            lines.add(String.format("  %-6s %-10s %s: %s", marker(v.worst().severity()), v.node(),
                    String.join(" + ", v.kinds()), summary.length() > 140 ? summary.substring(0, 139) + "…" : summary));
        }
        return "What is broken:\n" + String.join("\n", lines) + "\n";
    }

    /** The nodes side by side and every finding with its status fields: below the decision. */
    public static String evidence(Diagnosis d) {
        String all = diagnosis(d);
        // diagnosis() starts with the headline, already shown above the plan.
        return "Evidence (status read at " + d.at() + "):\n" + all.substring(all.indexOf('\n') + 1).stripLeading();
    }

    public static String plan(RecoveryPlan plan) {
        StringBuilder sb = new StringBuilder();
        sb.append("Recovery plan ").append(plan.id()).append(" for ").append(plan.cluster()).append('\n');
        if (plan.nothingToDo()) {
            sb.append("  Nothing to do: no finding needs a recovery step.\n");
        }
        for (PlanOption o : plan.options()) {
            sb.append('\n').append("Option '").append(o.id()).append("': ").append(o.title())
                    .append(o.executable() ? "" : " (instructions for a human; the bot will not run this)").append('\n');
            for (NodeStep s : o.steps()) {
                sb.append("  on ").append(s.node()).append(": ").append(s.purpose()).append('\n');
                for (String sql : s.statements()) {
                    sb.append("      ").append(sql).append(";\n");
                }
            }
            for (String m : o.manualActions()) {
                sb.append("  - ").append(m).append('\n');
            }
            if (!o.risks().isEmpty()) {
                sb.append("  Risks:\n");
                o.risks().forEach(r -> sb.append(indent(wrap("- " + r, 94), "    ")).append('\n'));
            }
            if (!o.estimatedDataLoss().isEmpty()) {
                sb.append("  Estimated data loss:\n");
                o.estimatedDataLoss().forEach(r -> sb.append(indent(wrap("- " + r, 94), "    ")).append('\n'));
            }
        }
        if (!plan.manualActions().isEmpty()) {
            sb.append("\nAlso needed, by a human:\n");
            plan.manualActions().forEach(m -> sb.append(indent(wrap("- " + m, 96), "  ")).append('\n'));
        }
        return sb.toString();
    }

    public static String outcome(StatementOutcome o) {
        return (o.succeeded() ? "  ok   " : "  FAIL ") + o.node() + ": " + o.sql()
                + (o.succeeded() ? "" : "  -> error " + o.errorCode() + ": " + o.errorMessage())
                + " (" + o.millis() + " ms)";
    }

    public static String report(ExecutionReport r) {
        StringBuilder sb = new StringBuilder();
        if (r.refused()) {
            sb.append("Refused, nothing was run:\n");
            r.refusals().forEach(x -> sb.append("  - ").append(x).append('\n'));
            return sb.toString();
        }
        r.outcomes().forEach(o -> sb.append(outcome(o)).append('\n'));
        if (!r.restorations().isEmpty()) {
            sb.append("Restarted what the plan had stopped:\n");
            r.restorations().forEach(o -> sb.append(outcome(o)).append('\n'));
        }
        r.nodesAfter().forEach(n -> sb.append("  now ").append(n).append('\n'));
        return sb.toString();
    }

    public static String progress(ProgressView v) {
        return progress(v, null);
    }

    /** With the watch, each node's line ends with its lag history as a sparkline. */
    public static String progress(ProgressView v, LagWatch w) {
        StringBuilder sb = new StringBuilder();
        sb.append("Lag on ").append(v.cluster()).append(" (").append(v.verdict().name().toLowerCase().replace('_', ' '))
                .append(", in sync ").append(v.inSyncStreak()).append('/').append(v.requiredInSyncChecks()).append(")\n");
        for (ProgressView.NodeProgress n : v.nodes()) {
            String history = w == null || w.samples().size() < 2 ? "" : "  " + LagSparkline.of(w, n.node());
            sb.append(String.format("  %-10s IO %-10s SQL %-4s lag %-8s %-8s ETA %s%s%s%n", n.node(),
                    n.ioThread().statusWord(), n.sqlThread().statusWord(),
                    n.lagSeconds() < 0 ? "?" : n.lagSeconds() + " s", n.trend().name().toLowerCase(),
                    n.eta().map(Durations::words).orElse("-"), history,
                    n.problem().isEmpty() ? "" : "  ! " + n.problem()));
        }
        return sb.toString();
    }

    public static String history(List<AuditEntry> entries) {
        if (entries.isEmpty()) return "No history yet.\n";
        StringBuilder sb = new StringBuilder();
        for (AuditEntry e : entries) {
            sb.append(e.at()).append("  ").append(e.cluster()).append("  ").append(e.actor()).append("  ")
                    .append(e.action()).append(e.planId().isEmpty() ? "" : " " + e.planId())
                    .append(e.detail().isEmpty() ? "" : "  " + e.detail()).append('\n');
        }
        return sb.toString();
    }

    private static String uptime(long s) {
        return Durations.words(Duration.ofSeconds(s));
    }

    private static String coord(BinlogCoordinates c) {
        return c == null ? "-" : c.toString();
    }

    private static String marker(Severity s) {
        return switch (s) {
            case OK -> "[ok]";
            case INFO -> "[info]";
            case WARNING -> "[WARN]";
            case CRITICAL -> "[BROKEN]";
        };
    }

    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        int col = 0;
        for (String word : text.split(" ")) {
            if (col > 0 && col + word.length() + 1 > width) {
                out.append('\n');
                col = 0;
            } else if (col > 0) {
                out.append(' ');
                col++;
            }
            out.append(word);
            col += word.length();
        }
        return out.toString();
    }

    private static String indent(String text, String prefix) {
        return prefix + text.replace("\n", "\n" + prefix);
    }
}
