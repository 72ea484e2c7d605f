package io.mysqlresync.slack;

import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Evidence;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.diagnosis.NodeVerdict;
import io.mysqlresync.diagnosis.Severity;
import io.mysqlresync.incident.ApprovalOutcome;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.Durations;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.LagProgress;
import io.mysqlresync.incident.LagSparkline;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.Interruption;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ShardPoll;
import io.mysqlresync.recovery.ExecutionReport;
import io.mysqlresync.recovery.NodeStep;
import io.mysqlresync.recovery.PlanOption;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.recovery.StatementOutcome;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ReplicationError;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.mysqlresync.slack.BlockKit.escape;
import static io.mysqlresync.slack.BlockKit.escapeCode;
import static io.mysqlresync.slack.BlockKit.escapeInline;
import static io.mysqlresync.slack.BlockKit.time;
import static io.mysqlresync.slack.BlockKit.truncate;
import static io.mysqlresync.slack.BlockKit.who;
import static io.mysqlresync.slack.SlashCommand.COMMAND;

/**
 * The one Slack renderer: pure functions from core values (diagnosis, plan, outcome, progress,
 * audit trail) to Block Kit messages, written for a DBA woken at 3 a.m. A plan or an alert
 * starts with what the person decides on: the headline, what is broken in one line per node,
 * what the plan runs (the exact SQL per node), what data is at risk, and the buttons. Below the
 * buttons comes the evidence: the nodes side by side, each finding in plain words with the
 * status fields and full error texts that prove it. A diagnosis ({@code diagnose}) is all evidence.
 */
public final class SlackRenderer {

    /** Findings beyond this many blocks are summarised: the SQL and the buttons matter more. */
    static final int MAX_FINDING_BLOCKS = 10;
    private static final int ERROR_CELL = 48;
    private static final int POSITION_CELL = 40;

    private SlackRenderer() {
    }

    // ============================================================== diagnosis and status

    public static SlackMessage diagnosis(Diagnosis d) {
        BlockList b = new BlockList(pointer("full diagnosis", "diagnose", d.cluster()));
        b.header(d.worst().emoji() + " " + d.headline());
        b.context("Diagnosis of *" + escape(d.cluster()) + "* from the status read at " + time(d.at())
                + (d.broken() ? " · `" + COMMAND + " plan " + escapeInline(d.cluster()) + "` for a recovery plan" : ""));
        nodeTable(b, d.status());
        findings(b, d, true);
        AuditRenderer.causes(b, d);
        // One line per direction: the plan repeats it under its data loss.
        d.ledger().lines().forEach(line -> b.context(":ledger: " + escape(truncate(line, 700))));
        return new SlackMessage(fallback(d.headline()), b.build());
    }

    /**
     * {@code status} with no cluster: one compact line per cluster, then which replica polls
     * which monitor shard and when each was last polled.
     */
    public static SlackMessage statusOverview(List<Diagnosis> clusters, Map<String, String> unreadable,
                                              List<ShardPoll> shards, Instant now) {
        StringBuilder lines = new StringBuilder();
        StringBuilder fallback = new StringBuilder();
        for (Diagnosis d : clusters) {
            lines.append(d.worst().emoji()).append(' ').append(compactLine(d)).append('\n');
            fallback.append(d.headline()).append("; ");
        }
        unreadable.forEach((cluster, error) -> {
            lines.append(":grey_question: *").append(escape(cluster)).append("*: could not be read: ")
                    .append(escape(truncate(error, 300))).append('\n');
            fallback.append(cluster).append(": could not be read; ");
        });
        BlockList b = new BlockList(pointer("status of one cluster", "status", "<cluster>"));
        b.sections(lines.toString().strip());
        b.context("`" + COMMAND + " status <cluster>` for one cluster's nodes · `" + COMMAND
                + " diagnose <cluster>` for the evidence");
        if (!shards.isEmpty()) {
            b.context("Monitor shards: which bot replica polled each last, and when"
                    + (shards.stream().anyMatch(ShardPoll::late) ? " · :warning: a LATE shard's clusters are not being polled" : ""));
            b.code("", table(ShardPoll.table(shards, now)).stream().map(BlockKit::escapeCode).toList());
        }
        String text = fallback.length() == 0 ? "No clusters are configured." : fallback.toString();
        return new SlackMessage(fallback(text), b.build());
    }

    /** Shards nobody polled within the limit: their clusters are not being watched. */
    public static SlackMessage shardsLate(List<ShardPoll> late, int shards, Duration limit) {
        StringBuilder text = new StringBuilder(":rotating_light: *Monitoring gap*: ");
        text.append(late.size() == 1 ? "a monitor shard was" : late.size() + " monitor shards were")
                .append(" not polled for more than ").append(Durations.words(limit)).append(":");
        for (ShardPoll p : late) {
            text.append("\n• ").append(escape(p.label(shards))).append(p.polls() == 0 ? ": never polled"
                    : ": last poll started " + time(p.lastStart()) + " by `" + escapeInline(p.instance()) + "`");
        }
        text.append("\nTheir clusters are not being checked. Is a bot replica down or stuck? The others take a dead "
                + "replica's shards over within about 15 s; this says so when it happens.");
        BlockList b = new BlockList(pointer("monitor shards", "status", ""));
        b.sections(text.toString());
        return new SlackMessage(fallback("Monitoring gap: " + late.size() + " monitor shard(s) not polled"), b.build());
    }

    /** Shards announced late are polled again. */
    public static SlackMessage shardsPolledAgain(List<ShardPoll> back, int shards) {
        StringBuilder text = new StringBuilder(":white_check_mark: Monitoring resumed: ");
        text.append(String.join(", ", back.stream().map(p -> escape(p.label(shards)) + " by `"
                + escapeInline(p.instance()) + "`").toList())).append('.');
        BlockList b = new BlockList(pointer("monitor shards", "status", ""));
        b.sections(text.toString());
        return new SlackMessage(fallback("Monitoring resumed on " + back.size() + " shard(s)"), b.build());
    }

    /** {@code status} with no cluster: one compact line per cluster. */
    public static SlackMessage statusOverview(List<Diagnosis> clusters, Map<String, String> unreadable) {
        return statusOverview(clusters, unreadable, List.of(), Instant.EPOCH);
    }

    /** {@code status <cluster>}: the headline and the node table, without the explanations. */
    public static SlackMessage status(Diagnosis d) {
        BlockList b = new BlockList(pointer("full diagnosis", "diagnose", d.cluster()));
        b.section(d.worst().emoji() + " *" + escape(d.headline()) + "*");
        nodeTable(b, d.status());
        b.context("Read at " + time(d.at()) + " · `" + COMMAND + " diagnose " + escapeInline(d.cluster())
                + "` for the evidence");
        return new SlackMessage(fallback(d.headline()), b.build());
    }

    static String compactLine(Diagnosis d) {
        String headline = d.headline();
        String prefix = d.cluster() + ": ";
        if (headline.startsWith(prefix)) headline = headline.substring(prefix.length());
        List<String> nodes = new ArrayList<>();
        for (NodeStatus n : d.status().nodes()) {
            if (!n.reachable()) {
                nodes.add(escape(n.node()) + " unreachable");
                continue;
            }
            Optional<ReplicaChannel> ch = n.replica();
            nodes.add(escape(n.node()) + " " + ch.map(c -> c.ioThread().statusWord() + "/" + c.sqlThread().statusWord()
                    + " " + lag(c)).orElse("not a replica"));
        }
        return "*" + escape(d.cluster()) + "*: " + escape(headline) + " · `" + String.join(" | ", nodes) + "`";
    }

    // ============================================================== plans

    /** A plan message as its stored state says: buttons while PROPOSED, the decision afterwards. */
    public static SlackMessage plan(ProposedPlan p) {
        BlockList b = planBody(p);
        b.pinned();
        if (p.state() == PlanState.PROPOSED) {
            List<BlockElement> buttons = buttons(p);
            b.actions("plan:" + p.id(), buttons);
            b.context(buttons.isEmpty()
                    ? "Nothing here the bot can run: " + (p.plan().nothingToDo() ? "there is nothing to do." : "only the manual steps above.")
                    : "Approving runs that option's SQL once, after re-reading the servers: if they changed "
                    + "since this plan was made, nothing runs and a fresh plan is posted. Expires " + time(p.expiresAt()) + ".");
        } else {
            b.section(stateLine(p));
            b.context(nextStep(p.state(), p.cluster()));
        }
        evidence(b, p.plan().diagnosis());
        return new SlackMessage(fallback(planFallback(p)), b.build());
    }

    /** A plan whose bot died mid-run: the state, and each statement that had run, on which node. */
    public static SlackMessage planInterrupted(Interruption i) {
        ProposedPlan p = i.plan();
        BlockList b = planBody(p);
        b.pinned();
        b.section(stateLine(p));
        List<String> lines = i.ran().isEmpty() ? List.of("(no statement had run)")
                : i.ran().stream().map(SlackRenderer::escapeCodeLine).toList();
        b.code("*What ran, per node* (from the audit trail)", lines);
        b.context(nextStep(p.state(), p.cluster()) + (i.fresh() == null ? "" : " Fresh plan: `" + i.fresh().id() + "`."));
        evidence(b, p.plan().diagnosis());
        return new SlackMessage(fallback(p.cluster() + ": plan " + p.id() + " interrupted after "
                + i.ran().size() + " statement(s)"), b.build());
    }

    private static String escapeCodeLine(String s) {
        return escapeCode(s);
    }

    /** While an approved option runs: who approved, and each statement's outcome so far. */
    public static SlackMessage planRunning(ProposedPlan p, String optionId, String approver,
                                           List<StatementOutcome> soFar) {
        BlockList b = planBody(p);
        b.pinned();
        int total = p.plan().option(optionId).map(o -> o.steps().stream().mapToInt(s -> s.statements().size()).sum())
                .orElse(soFar.size());
        b.section(":gear: *Approved by " + who(approver) + "*: running option `" + escapeInline(optionId) + "`, "
                + soFar.size() + " of " + total + " statements done…");
        outcomes(b, soFar);
        evidence(b, p.plan().diagnosis());
        return new SlackMessage(fallback("Running plan " + p.id() + " for " + p.cluster() + ", approved by "
                + approver), b.build());
    }

    /** After a click was decided: the outcome in the original message, with the next step. */
    public static SlackMessage planDecided(ApprovalOutcome o) {
        ProposedPlan p = o.plan();
        BlockList b = planBody(p);
        b.pinned();
        ExecutionReport report = o.report();
        switch (o.kind()) {
            case EXECUTED -> b.section(":white_check_mark: *Approved by " + who(p.decidedBy()) + "* " + time(p.decidedAt())
                    + ": option `" + escapeInline(report.optionId()) + "` ran. " + escape(o.message()) + ".");
            case FAILED -> b.section(":x: *Approved by " + who(p.decidedBy()) + "* " + time(p.decidedAt())
                    + ": option `" + escapeInline(report.optionId()) + "` " + escape(o.message()));
            case REFUSED_STALE -> b.section(":hourglass: *Not run*: " + escape(o.message())
                    + (o.freshPlan() != null ? " Fresh plan: `" + o.freshPlan().id() + "`." : ""));
            default -> b.section(stateLine(p));
        }
        if (report != null && !report.outcomes().isEmpty()) {
            outcomes(b, report.outcomes());
        }
        b.context(nextStep(p.state(), p.cluster()));
        evidence(b, p.plan().diagnosis());
        return new SlackMessage(fallback(p.cluster() + ": plan " + p.id() + " " + p.state().name().toLowerCase()
                + ": " + o.message()), b.build());
    }

    private static BlockList planBody(ProposedPlan p) {
        RecoveryPlan plan = p.plan();
        Diagnosis d = plan.diagnosis();
        BlockList b = new BlockList(pointer("full plan", "plan", p.cluster()));
        b.header(d.worst().emoji() + " " + d.headline());
        b.context("Recovery plan `" + p.id() + "` · requested by " + who(p.requestedBy()) + " · made "
                + time(plan.createdAt()) + " from the status read at " + time(d.at()));
        b.sections(whatIsBroken(d));
        AuditRenderer.causes(b, d);
        b.divider();
        if (plan.nothingToDo()) {
            b.section(":large_green_circle: Nothing to do: no finding calls for a recovery.");
        }
        int i = 1;
        for (PlanOption option : plan.options()) {
            option(b, p, option, i++, plan.options().size());
        }
        if (!plan.manualActions().isEmpty()) {
            b.sections(":raising_hand: *Needs a human (the bot will not do these)*\n" + numbered(plan.manualActions()));
        }
        return b;
    }

    private static void option(BlockList b, ProposedPlan p, PlanOption o, int index, int count) {
        b.section("*Option " + index + (count > 1 ? " of " + count : "") + ": " + escape(o.title()) + "* · `"
                + escapeInline(o.id()) + "`" + (o.executable() ? "" : " · _instructions for a human; the bot cannot run it_"));
        for (NodeStep step : o.steps()) {
            b.code("*On " + escape(step.node()) + "*: " + escape(step.purpose()),
                    step.statements().stream().map(s -> escapeCode(s) + ";").toList());
        }
        if (!o.manualActions().isEmpty()) {
            b.sections("*What a human does*\n" + numbered(o.manualActions()));
        }
        if (!o.risks().isEmpty()) {
            b.sections(":warning: *Risks*\n" + bullets(o.risks()));
        }
        if (!o.estimatedDataLoss().isEmpty()) {
            b.sections(":floppy_disk: *Estimated data loss*\n" + bullets(o.estimatedDataLoss()));
        }
    }

    private static List<BlockElement> buttons(ProposedPlan p) {
        List<BlockElement> buttons = new ArrayList<>();
        for (PlanOption o : p.plan().executableOptions()) {
            if (!PlanButton.EXECUTABLE_OPTIONS.contains(o.id())) continue; // a button we could not take back
            buttons.add(ButtonElement.builder()
                    .actionId(PlanButton.approveActionId(o.id()))
                    .value(PlanButton.approveValue(p.id(), o.id()))
                    .style("primary")
                    .text(plain(truncate("Approve: " + o.title(), BlockKit.MAX_BUTTON_TEXT)))
                    .confirm(ConfirmationDialogObject.builder()
                            .title(plain(truncate("Run " + o.id() + " on " + p.cluster() + "?", BlockKit.MAX_CONFIRM_TITLE)))
                            .text(plain(confirmText(o)))
                            .confirm(plain("Run it"))
                            .deny(plain("Cancel"))
                            .style("primary")
                            .build())
                    .build());
        }
        if (!p.plan().options().isEmpty() || !p.plan().manualActions().isEmpty()) {
            buttons.add(ButtonElement.builder()
                    .actionId(PlanButton.REJECT_ACTION)
                    .value(p.id())
                    .style("danger")
                    .text(plain("Reject"))
                    .build());
        }
        return buttons;
    }

    /** The confirm dialog repeats what will run; Slack allows 300 characters, so long plans point back. */
    static String confirmText(PlanOption o) {
        String all = o.steps().stream()
                .map(s -> "On " + s.node() + ": " + String.join("; ", s.statements()))
                .collect(Collectors.joining("\n"));
        String suffix = "… and more: read the plan above before confirming.";
        if (all.length() <= BlockKit.MAX_CONFIRM_TEXT) return all;
        return all.substring(0, BlockKit.MAX_CONFIRM_TEXT - suffix.length()) + suffix;
    }

    private static void outcomes(BlockList b, List<StatementOutcome> outcomes) {
        if (outcomes.isEmpty()) return;
        int nodeWidth = outcomes.stream().mapToInt(o -> o.node().length()).max().orElse(4);
        List<String> lines = new ArrayList<>();
        for (StatementOutcome o : outcomes) {
            String line = pad(o.succeeded() ? "OK" : "FAILED", 6) + "  " + pad(o.node(), nodeWidth) + "  " + o.sql()
                    + "  (" + o.millis() + " ms)"
                    + (o.succeeded() ? "" : "\n        error " + o.errorCode() + ": " + o.errorMessage());
            lines.add(escapeCode(line));
        }
        b.code("*Statements*", lines);
    }

    private static String stateLine(ProposedPlan p) {
        return switch (p.state()) {
            case PROPOSED -> ":ballot_box_with_check: Waiting for approval.";
            case EXECUTING -> ":gear: *Approved by " + who(p.decidedBy()) + "* " + time(p.decidedAt()) + ": running.";
            case SUCCEEDED -> ":white_check_mark: *Approved by " + who(p.decidedBy()) + "* " + time(p.decidedAt())
                    + ": every statement succeeded.";
            case FAILED -> ":x: *Approved by " + who(p.decidedBy()) + "* " + time(p.decidedAt())
                    + ": stopped at a failing statement.";
            case STALE -> ":hourglass: *Not run*: the servers changed after this plan was made.";
            case REJECTED -> ":no_entry_sign: *Rejected by " + who(p.decidedBy()) + "* " + time(p.decidedAt())
                    + ". Nothing was run.";
            case EXPIRED -> ":alarm_clock: *Expired* " + time(p.expiresAt()) + " without approval. Nothing was run.";
            case INTERRUPTED -> ":warning: *Approved by " + who(p.decidedBy()) + "* " + time(p.decidedAt())
                    + ": *interrupted*: the bot running it stopped (killed, out of memory or host lost) before "
                    + "the end. Nothing will run again by itself.";
        };
    }

    private static String nextStep(PlanState state, String cluster) {
        String c = escapeInline(cluster);
        return switch (state) {
            case PROPOSED -> "Waiting for an approver.";
            case EXECUTING -> "Running; this message is updated as each statement completes.";
            case SUCCEEDED -> "Next: replication catches up; follow it with `" + COMMAND + " watch " + c
                    + "`, or check `" + COMMAND + " status " + c + "`.";
            case FAILED -> "Next: `" + COMMAND + " diagnose " + c + "` to see where the servers are now, then `"
                    + COMMAND + " plan " + c + "` for a plan that starts from there.";
            case STALE -> "Next: approve the fresh plan, made from the servers as they are now.";
            case REJECTED -> "Nothing was run. `" + COMMAND + " plan " + c + "` makes a new plan.";
            case EXPIRED -> "Nothing was run. Ask for a fresh plan: `" + COMMAND + " plan " + c + "`.";
            case INTERRUPTED -> "Next: the fresh plan in this thread starts from where the servers are now; `"
                    + COMMAND + " diagnose " + c + "` shows them.";
        };
    }

    private static String planFallback(ProposedPlan p) {
        String head = p.plan().diagnosis().headline();
        return switch (p.state()) {
            case PROPOSED -> "Recovery plan " + p.id() + " for " + head + ": approve or reject it";
            default -> "Recovery plan " + p.id() + " for " + p.cluster() + ": " + p.state().name().toLowerCase();
        };
    }

    // ============================================================== incidents and progress

    /** The incident alert: the diagnosis, and while open, a button to ask for a recovery plan. */
    public static SlackMessage incident(Incident incident, Diagnosis d) {
        BlockList b = new BlockList(pointer("full diagnosis", "diagnose", d.cluster()));
        String headline = incident.headline().isBlank() ? d.headline() : incident.headline();
        switch (incident.state()) {
            case OPEN -> b.header(d.worst().emoji() + " " + headline);
            case CATCHING_UP -> b.header(":hourglass_flowing_sand: Recovering: " + headline);
            case IN_SYNC -> b.header(":white_check_mark: Back in sync: " + incident.cluster());
            case CLEARED -> b.header(":large_green_circle: Cleared: " + headline);
            case VERIFYING -> b.header(":mag: Replication caught up, verifying the data: " + incident.cluster());
            case IDENTICAL -> b.header(":white_check_mark: Back in sync, data identical: " + incident.cluster());
            case DRIFT_FOUND -> b.header(":warning: Rows differ between the nodes: " + incident.cluster());
            case UNVERIFIED -> b.header(":grey_question: Replication back, data NOT verified: " + incident.cluster());
        }
        b.context("Incident `" + escapeInline(incident.id()) + "` on *" + escape(incident.cluster()) + "* · opened "
                + time(incident.openedAt()) + (incident.updatedAt().equals(incident.openedAt()) ? ""
                : " · updated " + time(incident.updatedAt())) + " · status read at " + time(d.at()));
        if (incident.state() == IncidentState.CLEARED) {
            b.section("The problem went away by itself " + time(incident.updatedAt()) + "; no recovery was run.");
        } else if (incident.state() == IncidentState.IN_SYNC) {
            b.section("Both nodes are back in sync " + time(incident.updatedAt()) + ".");
        } else if (incident.state() != IncidentState.OPEN && incident.state() != IncidentState.CATCHING_UP) {
            // The verification's verdict, as the lifecycle worded it.
            b.section(escape(headline));
        } else {
            b.sections(whatIsBroken(d));
            AuditRenderer.causes(b, d);
        }
        b.pinned();
        if (incident.state() == IncidentState.OPEN && d.broken()) {
            b.actions("incident:" + incident.id(), List.of(ButtonElement.builder()
                    .actionId(PlanButton.PROPOSE_ACTION)
                    .value(incident.cluster())
                    .style("primary")
                    .text(plain("Propose recovery plan"))
                    .build()));
            b.context("The plan shows the exact statements per node, their risks and any data loss; "
                    + "nothing runs until an approver approves it.");
        }
        evidence(b, d);
        String state = switch (incident.state()) {
            case OPEN -> headline;
            case CATCHING_UP -> "recovering: " + headline;
            case IN_SYNC -> incident.cluster() + " back in sync";
            case CLEARED -> "cleared: " + headline;
            case VERIFYING -> incident.cluster() + ": verifying the data";
            case IDENTICAL, DRIFT_FOUND, UNVERIFIED -> incident.cluster() + ": " + headline;
        };
        return new SlackMessage(fallback(state), b.build());
    }

    /** The lag progress message, updated in place. */
    public static SlackMessage progress(LagWatch w, ProgressView v) {
        BlockList b = new BlockList(pointer("status", "status", v.cluster()));
        String verdict = switch (v.verdict()) {
            case CATCHING_UP -> ":hourglass_flowing_sand: " + v.cluster() + ": catching up";
            case IN_SYNC -> ":white_check_mark: " + v.cluster() + ": replication caught up (the data is verified next)";
            case STALLED -> ":warning: " + v.cluster() + ": lag is not falling";
            case BROKEN -> ":red_circle: " + v.cluster() + ": replication broke again";
        };
        b.header(verdict);
        boolean problems = v.nodes().stream().anyMatch(n -> !n.problem().isBlank());
        // The lag history beside the trend, once there is one (not on the first post).
        boolean history = w.samples().size() > 1;
        List<String> header = new ArrayList<>(List.of("node", "IO", "SQL", "lag"));
        if (history) header.add("history");
        header.addAll(List.of("trend", "ETA"));
        if (problems) header.add("problem");
        List<String[]> rows = new ArrayList<>();
        rows.add(header.toArray(String[]::new));
        for (ProgressView.NodeProgress n : v.nodes()) {
            List<String> row = new ArrayList<>(List.of(n.node(), n.ioThread().statusWord(), n.sqlThread().statusWord(),
                    n.lagSeconds() < 0 ? "NULL" : Durations.compact(n.lagSeconds())));
            if (history) row.add(LagSparkline.of(w, n.node()));
            row.addAll(List.of(trend(n.trend()), n.eta().map(e -> Durations.compact(e.getSeconds())).orElse("-")));
            if (problems) row.add(truncate(n.problem(), ERROR_CELL));
            rows.add(row.toArray(String[]::new));
        }
        b.code("", table(rows).stream().map(SlackRenderer::escapeCodeLine).toList());
        b.context("In-sync checks " + v.inSyncStreak() + "/" + v.requiredInSyncChecks() + " · watching since "
                + time(w.startedAt()) + (w.samples().isEmpty() ? "" : " · last check "
                + time(w.samples().get(w.samples().size() - 1).at())));
        return new SlackMessage(fallback(verdict.substring(verdict.indexOf(' ') + 1)), b.build());
    }

    // ============================================================== history and help

    public static SlackMessage history(Optional<String> cluster, List<AuditEntry> entries) {
        String scope = cluster.map(c -> "*" + escape(c) + "*").orElse("every cluster");
        BlockList b = new BlockList(pointer("history", "history", cluster.orElse("")));
        if (entries.isEmpty()) {
            b.section("The audit trail for " + scope + " is empty.");
            return new SlackMessage("The audit trail is empty.", b.build());
        }
        StringBuilder lines = new StringBuilder("*Audit trail for " + scope + "*, newest first (last "
                + entries.size() + ")\n");
        for (AuditEntry e : entries) {
            lines.append("`").append(BlockKit.utc(e.at())).append("` ")
                    .append(cluster.isPresent() ? "" : "*" + escape(e.cluster()) + "* ")
                    .append(e.planId().isEmpty() ? "" : "`" + escapeInline(e.planId()) + "` ")
                    .append(who(e.actor())).append(" *").append(escape(e.action())).append('*')
                    .append(e.detail().isEmpty() ? "" : ": " + escape(truncate(e.detail().replace('\n', ' '), 400)))
                    .append('\n');
        }
        b.sections(lines.toString().strip());
        return new SlackMessage(fallback("Audit trail: " + entries.size() + " entries"), b.build());
    }

    public static String help(List<String> clusters) {
        return "*mysql-resync* gets a broken MySQL/MariaDB active-active pair back in sync; a human approves "
                + "every change.\n" + SlashCommand.usage(clusters);
    }

    // ============================================================== building blocks

    /** Below the buttons: the nodes side by side, then every finding with its status fields. */
    private static void evidence(BlockList b, Diagnosis d) {
        b.evidence("… evidence truncated, all of it: `" + COMMAND + " diagnose " + escapeInline(d.cluster()) + "`");
        b.divider();
        b.context("*Evidence* · status read at " + time(d.at()) + " · the nodes side by side, then each finding "
                + "with the status fields and the full error texts that prove it");
        nodeTable(b, d.status());
        findings(b, d, false);
    }

    /** One line per node, first the broken ones: what is wrong with it, in a few words, or that it is fine. */
    static String whatIsBroken(Diagnosis d) {
        List<String> lines = new ArrayList<>();
        for (NodeVerdict v : d.byNodeBrokenFirst()) {
            if (v.fine()) {
                String how = v.replica()
                        .map(c -> ": replicating (" + c.ioThread().statusWord() + "/" + c.sqlThread().statusWord()
                                + ", lag " + lag(c) + ")")
                        .orElse(": fine");
                lines.add(Severity.OK.emoji() + " *" + escape(v.node()) + "*" + how);
                continue;
            }
            // "Relay log corrupt + Server restarted recently", with the worst one's summary.
            lines.add(v.worst().severity().emoji() + " *" + escape(v.node()) + "*: " + escape(String.join(" + ", v.kinds()))
                    + " · " + escape(truncate(v.worst().summary().replaceAll("\\s+", " "), 160)));
        }
        return "*What is broken*\n" + String.join("\n", lines);
    }

    /** node | IO | SQL | error | exec pos | read pos | lag, fixed width, in one code block. */
    static List<String> nodeRows(ClusterStatus status) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"node", "IO", "SQL", "error", "exec pos", "read pos", "lag"});
        for (NodeStatus n : status.nodes()) {
            if (!n.reachable()) {
                rows.add(new String[]{n.node(), "-", "-", truncate("unreachable: " + n.unreachableReason(), ERROR_CELL),
                        "-", "-", "-"});
                continue;
            }
            Optional<ReplicaChannel> ch = n.replica();
            if (ch.isEmpty()) {
                rows.add(new String[]{n.node(), "-", "-", "not a replica", "-", "-", "-"});
                continue;
            }
            ReplicaChannel c = ch.get();
            rows.add(new String[]{n.node(), c.ioThread().statusWord(), c.sqlThread().statusWord(), errorCell(c),
                    c.executed() == null ? "-" : truncate(c.executed().toString(), POSITION_CELL),
                    c.received() == null ? "-" : truncate(c.received().toString(), POSITION_CELL), lag(c)});
        }
        return table(rows);
    }

    private static void nodeTable(BlockList b, ClusterStatus status) {
        b.code("", nodeRows(status).stream().map(SlackRenderer::escapeCodeLine).toList());
    }

    private static String errorCell(ReplicaChannel c) {
        ReplicationError e = c.sqlError().present() ? c.sqlError() : c.ioError();
        if (!e.present()) return "-";
        return truncate((e.code() != 0 ? e.code() + " " : "") + e.message().replaceAll("\\s+", " "), ERROR_CELL);
    }

    private static String lag(ReplicaChannel c) {
        return c.secondsBehindSource().isPresent() ? Durations.compact(c.secondsBehindSource().getAsLong()) : "NULL";
    }

    /** Findings per node, in plain words with their evidence; healthy nodes in one line. */
    private static void findings(BlockList b, Diagnosis d, boolean includeHealthy) {
        Map<String, List<Finding>> byNode = new LinkedHashMap<>();
        for (Finding f : d.findings()) {
            if (!includeHealthy && f.kind() == FindingKind.HEALTHY) continue;
            byNode.computeIfAbsent(f.node(), n -> new ArrayList<>()).add(f);
        }
        int blocks = 0;
        List<String> left = new ArrayList<>();
        for (Map.Entry<String, List<Finding>> node : byNode.entrySet()) {
            for (Finding f : node.getValue()) {
                if (blocks >= MAX_FINDING_BLOCKS) {
                    left.add(f.node() + " " + f.kind().title().toLowerCase());
                    continue;
                }
                b.section(finding(f));
                blocks++;
            }
        }
        if (!left.isEmpty()) {
            b.context("… " + left.size() + " more findings (" + escape(truncate(String.join(", ", left), 500))
                    + "): `" + COMMAND + " diagnose " + escapeInline(d.cluster()) + "`");
        }
    }

    static String finding(Finding f) {
        StringBuilder sb = new StringBuilder();
        sb.append(f.severity().emoji()).append(" *").append(escape(f.node())).append(": ")
                .append(escape(f.kind().title())).append("*\n").append(escape(f.summary()));
        if (f.severity() != Severity.OK && !f.explanation().isBlank()) {
            sb.append('\n').append(escape(f.explanation()));
        }
        for (Evidence e : f.evidence()) {
            sb.append("\n• ").append(escape(e.field())).append(": `").append(escapeInline(truncate(e.value(), 600)))
                    .append('`');
        }
        return sb.toString();
    }

    private static List<String> table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], r[i].length());
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                sb.append(i == cols - 1 ? r[i] : pad(r[i], width[i])).append(i == cols - 1 ? "" : "  ");
            }
            out.add(sb.toString().stripTrailing());
        }
        return out;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String trend(LagProgress.Trend t) {
        return switch (t) {
            case FALLING -> "falling";
            case RISING -> "RISING";
            case FLAT -> "flat";
            case UNKNOWN -> "-";
        };
    }

    private static String bullets(List<String> items) {
        return items.stream().map(s -> "• " + escape(s)).collect(Collectors.joining("\n"));
    }

    private static String numbered(List<String> items) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            sb.append(i + 1).append(". ").append(escape(items.get(i))).append('\n');
        }
        return sb.toString().strip();
    }

    private static PlainTextObject plain(String text) {
        return PlainTextObject.builder().text(text).emoji(true).build();
    }

    private static String pointer(String what, String verb, String cluster) {
        return "… truncated, " + what + ": `" + COMMAND + " " + verb + (cluster.isEmpty() ? "" : " " + escapeInline(cluster)) + "`";
    }

    private static String fallback(String text) {
        String t = text == null || text.isBlank() ? "mysql-resync" : text;
        return truncate(escape(t), BlockKit.MAX_FALLBACK_TEXT);
    }
}
