package io.mysqlresync.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.app_backend.slash_commands.response.SlashCommandResponse;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.handler.builtin.SlashCommandHandler;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.incident.ShardPoll;
import io.mysqlresync.incident.StateUnreachable;
import io.mysqlresync.incident.UnknownClusterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * {@code /mysql-resync}: parsed and answered within Slack's 3-second ack window, with the work
 * (reading servers, the store, posting) on the bot's worker pool. Bolt sends the ack only when
 * this handler returns, so nothing slow may happen before the return.
 */
final class CommandHandler implements SlashCommandHandler {

    private static final Logger log = LoggerFactory.getLogger(CommandHandler.class);
    static final int HISTORY_ENTRIES = 15;

    private final ResyncService service;
    private final SlackGateway slack;
    private final Executor work;
    private final RecentDeliveries deliveries;
    private final List<String> allowedChannels;
    private final Consumer<WatchRequest> watchHook;
    /** Set by {@link #verifyWith}; without it `verify` answers that it is not available. */
    private volatile VerifyConversation verify;
    /** Posts a repair plan for (verification id, channel, requester); null when repairs are not set up. */
    private volatile RepairPoster repairs;

    interface RepairPoster {
        String post(String verificationId, String channel, String threadTs, String requestedBy);
    }

    void repairWith(RepairPoster poster) {
        this.repairs = poster;
    }

    CommandHandler(ResyncService service, SlackGateway slack, Executor work, RecentDeliveries deliveries,
                   List<String> allowedChannels, Consumer<WatchRequest> watchHook) {
        this.service = service;
        this.slack = slack;
        this.work = work;
        this.deliveries = deliveries;
        this.allowedChannels = allowedChannels == null ? List.of() : List.copyOf(allowedChannels);
        this.watchHook = watchHook;
    }

    void verifyWith(VerifyConversation conversation) {
        this.verify = conversation;
    }

    @Override
    public Response apply(SlashCommandRequest req, SlashCommandContext ctx) {
        SlashCommandPayload p = req.getPayload();
        try {
            if (!deliveries.firstTime("command:" + p.getTriggerId())) {
                return ctx.ack(); // Slack re-sent a command we already took
            }
            if (!allowedChannels.isEmpty() && !allowedChannels.contains(p.getChannelId())) {
                return ctx.ack(":no_entry: `" + SlashCommand.COMMAND + "` is not enabled in this channel. Use it in "
                        + allowedChannels.stream().map(c -> "<#" + c + ">").collect(Collectors.joining(", ")) + ".");
            }
            SlashCommand.Parsed parsed = SlashCommand.parse(p.getText(), service.clusters());
            if (parsed.command().isEmpty()) {
                return ctx.ack(parsed.error());
            }
            SlashCommand c = parsed.command().get();
            if (c.verb() == SlashCommand.Verb.HELP) {
                return ctx.ack(SlackRenderer.help(service.clusters()));
            }
            if (c.verb() == SlashCommand.Verb.REPAIR && repairs == null) {
                return ctx.ack(":x: Repairs are not available in this deployment.");
            }
            Invocation inv = new Invocation(c, p.getUserId(), p.getChannelId(), ctx);
            work.execute(() -> run(inv));
            return ctx.ack(working(c));
        } catch (RejectedExecutionException busy) {
            return ctx.ack(":warning: The bot is busy with other requests; try again in a minute.");
        } catch (RuntimeException e) {
            log.warn("slash command '{}' from {} failed before the ack: {}", p.getText(), p.getUserId(), e.toString());
            return ctx.ack(":x: Something went wrong reading that command: " + BlockKit.escape(e.getMessage()));
        }
    }

    private record Invocation(SlashCommand command, String user, String channel, SlashCommandContext ctx) {
        String cluster() {
            return command.cluster().orElse("");
        }
    }

    private static String working(SlashCommand c) {
        String cluster = c.cluster().map(BlockKit::escape).orElse("");
        return switch (c.verb()) {
            case STATUS -> ":hourglass_flowing_sand: Reading " + (cluster.isEmpty() ? "every cluster" : cluster) + "…";
            case DIAGNOSE -> ":hourglass_flowing_sand: Diagnosing " + cluster + "…";
            case PLAN -> ":hourglass_flowing_sand: Reading " + cluster + " and making a recovery plan…";
            case HISTORY -> ":hourglass_flowing_sand: Reading the audit trail…";
            case WATCH -> ":hourglass_flowing_sand: Starting a lag watch on " + cluster + "…";
            case AUDIT -> ":hourglass_flowing_sand: Reading the settings of every node of " + cluster + "…";
            case VERIFY -> ":hourglass_flowing_sand: Verifying " + cluster + ": progress and result in this channel…";
            case REPAIR -> ":hourglass_flowing_sand: Making a repair plan from verification "
                    + c.verification().orElse("") + "…";
            case HELP -> "";
        };
    }

    // ---------------------------------------------------------------- off the ack path

    private void run(Invocation inv) {
        // Set here, not with try-with-resources: that would clear them before the catch logs.
        if (!inv.cluster().isEmpty()) MDC.put("cluster", inv.cluster());
        try {
            switch (inv.command().verb()) {
                case STATUS -> status(inv);
                case DIAGNOSE -> {
                    Diagnosis d = service.diagnose(inv.cluster(), inv.user());
                    publish(inv, SlackRenderer.diagnosis(d), "diagnosis of " + inv.cluster());
                }
                case PLAN -> plan(inv);
                case HISTORY -> {
                    List<AuditEntry> entries = service.history(inv.command().cluster().orElse(null), HISTORY_ENTRIES);
                    respond(inv, SlackRenderer.history(inv.command().cluster(), entries));
                }
                case WATCH -> watch(inv);
                case AUDIT -> audit(inv);
                case VERIFY -> verify(inv);
                case REPAIR -> repair(inv);
                case HELP -> respond(inv, SlackRenderer.help(service.clusters()));
            }
        } catch (UnknownClusterException e) {
            respond(inv, ":x: " + BlockKit.escape(e.getMessage()));
        } catch (RuntimeException e) {
            if (StateUnreachable.in(e)) {
                log.warn("'{} {}' for {}: {}", inv.command().verb(), inv.cluster(), inv.user(), e.getMessage());
                respond(inv, ":warning: `" + inv.command().verb().word + "` is not available now: "
                        + StateUnreachable.APPROVALS_PAUSED + ".");
                return;
            }
            log.warn("'{} {}' for {} failed: {}", inv.command().verb(), inv.cluster(), inv.user(), e.toString(), e);
            respond(inv, ":x: `" + inv.command().verb().word + " " + BlockKit.escapeInline(inv.cluster())
                    + "` failed: " + BlockKit.escape(String.valueOf(e.getMessage())));
        } finally {
            MDC.remove("cluster");
            MDC.remove("plan");
        }
    }

    private void status(Invocation inv) {
        if (inv.command().cluster().isPresent()) {
            Diagnosis d = service.diagnose(inv.cluster());
            publish(inv, SlackRenderer.status(d), "status of " + inv.cluster());
            return;
        }
        List<Diagnosis> read = new ArrayList<>();
        Map<String, String> unreadable = new LinkedHashMap<>();
        for (String cluster : service.clusters()) {
            try {
                read.add(service.diagnose(cluster));
            } catch (RuntimeException e) {
                log.warn("status of {} failed: {}", cluster, e.toString());
                unreadable.put(cluster, String.valueOf(e.getMessage()));
            }
        }
        List<ShardPoll> shards = List.of();
        try {
            shards = service.store().shardPolls();
        } catch (RuntimeException e) {
            log.warn("status: could not read the monitor shards' polls: {}", e.toString());
        }
        publish(inv, SlackRenderer.statusOverview(read, unreadable, shards, Instant.now()), "status of every cluster");
    }

    private void plan(Invocation inv) {
        ProposedPlan p = service.propose(inv.cluster(), inv.user(), inv.channel());
        MDC.put("plan", p.id());
        Optional<String> ts = slack.post(inv.channel(), "", SlackRenderer.plan(p), "plan " + p.id());
        if (ts.isPresent()) {
            service.planPosted(p.id(), inv.channel(), ts.get());
        } else {
            respond(inv, ":x: Plan `" + p.id() + "` was made but I could not post it in this channel, so nobody can "
                    + "approve it. Invite me here (`/invite`) or use a channel I am in.");
        }
    }

    private void audit(Invocation inv) {
        publish(inv, AuditRenderer.audit(service.audit(inv.cluster(), inv.user())), "audit of " + inv.cluster());
    }

    private void watch(Invocation inv) {
        if (watchHook == null) {
            respond(inv, ":x: Lag watches are not available in this deployment.");
            return;
        }
        watchHook.accept(new WatchRequest(inv.cluster(), inv.channel(), "", inv.user()));
        respond(inv, ":eyes: Watching the lag on *" + BlockKit.escape(inv.cluster())
                + "*: progress is posted in this channel and updated in place until both nodes are in sync.");
    }

    private void verify(Invocation inv) {
        VerifyConversation v = verify;
        if (v == null) {
            respond(inv, ":x: Data verification is not available in this deployment.");
            return;
        }
        v.start(inv.cluster(), inv.command().tables(), inv.user(), inv.channel(), text -> respond(inv, text));
    }

    private void repair(Invocation inv) {
        try {
            repairs.post(inv.command().verification().orElseThrow(), inv.channel(), "", inv.user());
        } catch (RuntimeException e) {
            // Why no plan was made (no such verification, nothing differs, too many rows...) is for the requester.
            slack.ephemeral(inv.channel(), inv.user(), ":x: " + BlockKit.escape(String.valueOf(e.getMessage())),
                    "answer to " + inv.user());
        }
    }

    /** In the channel for everyone; privately to the user when the bot cannot post there. */
    private void publish(Invocation inv, SlackMessage m, String what) {
        if (slack.post(inv.channel(), "", m, what).isEmpty()) {
            respond(inv, m);
        }
    }

    private void respond(Invocation inv, String text) {
        respond(inv, SlashCommandResponse.builder().responseType("ephemeral").text(text).build());
    }

    private void respond(Invocation inv, SlackMessage m) {
        respond(inv, SlashCommandResponse.builder().responseType("ephemeral").text(m.text()).blocks(m.blocks()).build());
    }

    private void respond(Invocation inv, SlashCommandResponse response) {
        try {
            inv.ctx().respond(response);
        } catch (IOException | RuntimeException e) {
            log.warn("could not answer '{}' for {} through its response_url: {}", inv.command().verb().word,
                    inv.user(), e.toString());
        }
    }
}
