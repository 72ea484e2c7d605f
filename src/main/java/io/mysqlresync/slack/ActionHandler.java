package io.mysqlresync.slack;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import io.mysqlresync.incident.ApprovalOutcome;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.RepairOutcome;
import io.mysqlresync.incident.RepairRequest;
import io.mysqlresync.incident.RepairService;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.incident.StateUnreachable;
import io.mysqlresync.recovery.StatementOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Clicks on Approve, Reject and "Propose recovery plan". Each click is acked at once; who the
 * clicker is, whether they may approve, and running the plan happen on the worker pool.
 *
 * <p>Running a plan at most once is not decided here: {@link ResyncService#approve} moves the
 * stored plan from PROPOSED to EXECUTING with a compare-and-set, and only the click that wins
 * runs anything. This class never checks the plan's state itself before calling it, so there is
 * no window between a check and the run for a second click or a re-sent envelope to slip into.
 */
final class ActionHandler {

    private static final Logger log = LoggerFactory.getLogger(ActionHandler.class);

    private final ResyncService service;
    private final SlackGateway slack;
    private final Executor work;
    private final Executor updates;
    private final RecentDeliveries deliveries;
    private final ApproverGroup approvers;
    private volatile RepairService repairs;

    ActionHandler(ResyncService service, SlackGateway slack, Executor work, Executor updates,
                  RecentDeliveries deliveries, ApproverGroup approvers) {
        this.service = service;
        this.slack = slack;
        this.work = work;
        this.updates = updates;
        this.deliveries = deliveries;
        this.approvers = approvers;
    }

    void repairWith(RepairService service) {
        this.repairs = service;
    }

    /** The outbox a plan's or repair's running and final messages go through (Slack may go away mid-run). */
    private volatile SlackOutbox out;

    void speakThrough(SlackOutbox outbox) {
        this.out = outbox;
    }

    private MessageUpdates updatesOf(Click click, String key, String what) {
        SlackOutbox o = out;
        MessageUpdates.Updater send = o == null ? (ch, ts, m, w) -> slack.update(ch, ts, m, w)
                : (ch, ts, m, w) -> o.update(key, ch, ts, m, w);
        return new MessageUpdates(send, updates, click.channel(), click.messageTs(), what);
    }

    /** Where a click happened and who made it. */
    record Click(String user, String channel, String messageTs, String threadTs, String actionId, String value) {
        static Click of(BlockActionPayload p) {
            BlockActionPayload.Action a = p.getActions().get(0);
            BlockActionPayload.Container c = p.getContainer();
            String channel = c != null && c.getChannelId() != null ? c.getChannelId()
                    : p.getChannel() != null ? p.getChannel().getId() : "";
            String ts = c != null && c.getMessageTs() != null ? c.getMessageTs()
                    : p.getMessage() != null ? p.getMessage().getTs() : "";
            String thread = c != null && c.getThreadTs() != null ? c.getThreadTs() : "";
            return new Click(p.getUser().getId(), channel, ts, thread, a.getActionId(), a.getValue());
        }
    }

    Response approve(BlockActionRequest req, ActionContext ctx) {
        return acked(req, ctx, click -> {
            Optional<PlanButton> button = PlanButton.parseApprove(click.value())
                    .filter(b -> click.actionId().equals(PlanButton.approveActionId(b.optionId())));
            if (button.isEmpty()) {
                return () -> notMine(click);
            }
            return () -> runApproval(click, button.get());
        });
    }

    Response reject(BlockActionRequest req, ActionContext ctx) {
        return acked(req, ctx, click -> {
            Optional<PlanButton> button = PlanButton.parseReject(click.value());
            if (button.isEmpty()) {
                return () -> notMine(click);
            }
            return () -> runReject(click, button.get().planId());
        });
    }

    Response propose(BlockActionRequest req, ActionContext ctx) {
        return acked(req, ctx, click -> {
            if (click.value() == null || !service.clusters().contains(click.value())) {
                return () -> notMine(click);
            }
            return () -> runPropose(click, click.value());
        });
    }

    // ---------------------------------------------------------------- repair plans

    Response repairSource(BlockActionRequest req, ActionContext ctx) {
        return acked(req, ctx, click -> RepairButton.parseSource(click.value())
                .filter(b -> repairs != null && click.actionId().equals(RepairButton.sourceActionId(b.table(), b.node())))
                .<Runnable>map(b -> () -> runRepairSource(click, b)).orElse(() -> notMine(click)));
    }

    Response repairApprove(BlockActionRequest req, ActionContext ctx) {
        return acked(req, ctx, click -> RepairButton.parseApprove(click.value()).filter(b -> repairs != null)
                .<Runnable>map(b -> () -> runRepairApprove(click, b)).orElse(() -> notMine(click)));
    }

    Response repairReject(BlockActionRequest req, ActionContext ctx) {
        return acked(req, ctx, click -> RepairButton.parseReject(click.value()).filter(b -> repairs != null)
                .<Runnable>map(b -> () -> runRepairReject(click, b.repairId())).orElse(() -> notMine(click)));
    }

    private void runRepairSource(Click click, RepairButton b) {
        MDC.put("plan", b.repairId());
        try {
            Optional<RepairRequest> r = repairs.find(b.repairId());
            if (r.isEmpty() || b.table() >= r.get().plan().tables().size() || b.node() >= r.get().plan().nodes().size()) {
                notMine(click);
                return;
            }
            Optional<RepairRequest> changed = repairs.chooseSource(b.repairId(), r.get().plan().tables().get(b.table()).table(),
                    r.get().plan().nodes().get(b.node()), click.user());
            if (changed.isEmpty()) {
                tell(click, ":information_source: Repair `" + b.repairId() + "` is no longer open for changes.");
                return;
            }
            slack.update(click.channel(), click.messageTs(), RepairMessages.plan(changed.get()), "repair " + b.repairId());
        } catch (RuntimeException e) {
            log.error("choosing a source on {} by {} failed: {}", b.repairId(), click.user(), e.toString(), e);
            tell(click, ":x: " + BlockKit.escape(String.valueOf(e.getMessage())));
        } finally {
            MDC.remove("plan");
        }
    }

    private void runRepairApprove(Click click, RepairButton b) {
        MDC.put("plan", b.repairId());
        try {
            MessageUpdates message = updatesOf(click, "repair:" + b.repairId(), "repair " + b.repairId() + " message");
            RepairOutcome o = repairs.approve(b.repairId(), b.revision(), click.user(), approvers.contains(click.user()),
                    row -> { });
            log.info("approve repair {} by {}: {}", b.repairId(), click.user(), o.kind());
            if (o.kind().ran() || o.kind() == RepairOutcome.Kind.REFUSED_EXPIRED) {
                message.submit(RepairMessages.decided(o));
                String where = click.threadTs().isEmpty() ? click.messageTs() : click.threadTs();
                slack.post(click.channel(), where, new SlackMessage(o.kind() == RepairOutcome.Kind.REPAIRED_IDENTICAL
                        ? ":white_check_mark: " + o.request().cluster() + " is back in sync with identical data: "
                        + o.message() : ":warning: " + o.message(), List.of()), "repair " + b.repairId() + " result");
            } else {
                tell(click, (o.kind() == RepairOutcome.Kind.REFUSED_UNAUTHORISED ? ":no_entry: Not run: "
                        : ":information_source: ") + BlockKit.escape(o.message()));
            }
        } catch (RuntimeException e) {
            log.error("approving repair {} by {} failed: {}", b.repairId(), click.user(), e.toString(), e);
            tell(click, ":x: Approving `" + b.repairId() + "` failed: " + BlockKit.escape(String.valueOf(e.getMessage())));
        } finally {
            MDC.remove("plan");
        }
    }

    private void runRepairReject(Click click, String id) {
        MDC.put("plan", id);
        try {
            RepairOutcome o = repairs.reject(id, click.user(), approvers.contains(click.user()));
            if (o.kind() == RepairOutcome.Kind.REJECTED) {
                slack.update(click.channel(), click.messageTs(), RepairMessages.decided(o), "repair " + id);
            } else {
                tell(click, ":information_source: " + BlockKit.escape(o.message()));
            }
        } finally {
            MDC.remove("plan");
        }
    }

    /** Validation is quick and happens before the ack; the returned work runs after it. */
    private Response acked(BlockActionRequest req, ActionContext ctx,
                           Function<Click, Runnable> validate) {
        BlockActionPayload p = req.getPayload();
        try {
            if (!deliveries.firstTime("action:" + p.getTriggerId())) {
                return ctx.ack(); // Slack re-sent a click we already took
            }
            Click click = Click.of(p);
            work.execute(validate.apply(click));
        } catch (RejectedExecutionException busy) {
            log.warn("worker pool full: dropped a click by {}", p.getUser() == null ? "?" : p.getUser().getId());
        } catch (RuntimeException e) {
            log.warn("could not take a click: {}", e.toString());
        }
        return ctx.ack();
    }

    // ---------------------------------------------------------------- off the ack path

    private void runApproval(Click click, PlanButton button) {
        // Set here, not with try-with-resources: that would clear them before the catch logs.
        MDC.put("plan", button.planId());
        try {
            boolean inGroup = approvers.contains(click.user());
            Optional<ProposedPlan> before = service.plan(button.planId());
            before.ifPresent(p -> MDC.put("cluster", p.cluster()));
            MessageUpdates message = updatesOf(click, SlackNotifier.planKey(button.planId()),
                    "plan " + button.planId() + " message");
            List<StatementOutcome> done = new CopyOnWriteArrayList<>();
            ApprovalOutcome o = service.approve(button.planId(), button.optionId(), click.user(), inGroup, outcome -> {
                done.add(outcome);
                before.ifPresent(p -> message.submit(
                        SlackRenderer.planRunning(p, button.optionId(), click.user(), List.copyOf(done))));
            });
            log.info("approve {} {} by {}: {}", button.planId(), button.optionId(), click.user(), o.kind());
            switch (o.kind()) {
                case EXECUTED, FAILED, REJECTED -> message.submit(SlackRenderer.planDecided(o));
                case REFUSED_EXPIRED -> {
                    message.submit(SlackRenderer.planDecided(o));
                    tell(click, ":alarm_clock: " + BlockKit.escape(o.message()));
                }
                case REFUSED_STALE -> {
                    message.submit(SlackRenderer.planDecided(o));
                    String where = postFresh(click, o.freshPlan());
                    tell(click, ":hourglass: " + BlockKit.escape(o.message()) + where);
                }
                case REFUSED_UNAUTHORISED -> tell(click, ":no_entry: Not run: " + BlockKit.escape(o.message()) + ".");
                case REFUSED_ALREADY_DECIDED, UNKNOWN_PLAN, UNKNOWN_OPTION ->
                        tell(click, ":information_source: " + BlockKit.escape(o.message()) + ".");
            }
        } catch (RuntimeException e) {
            if (StateUnreachable.in(e)) {
                log.warn("approve {} {} by {}: {}", button.planId(), button.optionId(), click.user(), e.getMessage());
                tell(click, ":warning: Not run: " + StateUnreachable.APPROVALS_PAUSED + ". Click Approve again once it is back.");
                return;
            }
            log.error("approving {} {} by {} failed: {}", button.planId(), button.optionId(), click.user(), e.toString(), e);
            tell(click, ":x: Approving `" + button.planId() + "` failed: " + BlockKit.escape(String.valueOf(e.getMessage()))
                    + ". Check `" + SlashCommand.COMMAND + " history` before trying again.");
        } finally {
            MDC.remove("cluster");
            MDC.remove("plan");
        }
    }

    private void runReject(Click click, String planId) {
        MDC.put("plan", planId);
        try {
            boolean inGroup = approvers.contains(click.user());
            ApprovalOutcome o = service.reject(planId, click.user(), inGroup);
            log.info("reject {} by {}: {}", planId, click.user(), o.kind());
            if (o.kind() == ApprovalOutcome.Kind.REJECTED) {
                slack.update(click.channel(), click.messageTs(), SlackRenderer.planDecided(o), "plan " + planId + " message");
            } else {
                tell(click, ":information_source: " + BlockKit.escape(o.message()) + ".");
            }
        } catch (RuntimeException e) {
            if (StateUnreachable.in(e)) {
                log.warn("reject {} by {}: {}", planId, click.user(), e.getMessage());
                tell(click, ":warning: Not rejected yet: " + StateUnreachable.APPROVALS_PAUSED + ".");
                return;
            }
            log.error("rejecting {} by {} failed: {}", planId, click.user(), e.toString(), e);
            tell(click, ":x: Rejecting `" + planId + "` failed: " + BlockKit.escape(String.valueOf(e.getMessage())));
        } finally {
            MDC.remove("plan");
        }
    }

    /** From an incident alert: the plan goes in the alert's thread. */
    private void runPropose(Click click, String cluster) {
        MDC.put("cluster", cluster);
        try {
            ProposedPlan p = service.propose(cluster, click.user(), click.channel());
            MDC.put("plan", p.id());
            String thread = click.threadTs().isEmpty() ? click.messageTs() : click.threadTs();
            Optional<String> ts = slack.post(click.channel(), thread, SlackRenderer.plan(p), "plan " + p.id());
            if (ts.isPresent()) {
                service.planPosted(p.id(), click.channel(), ts.get());
            } else {
                tell(click, ":x: Plan `" + p.id() + "` was made but could not be posted; try `" + SlashCommand.COMMAND
                        + " plan " + BlockKit.escapeInline(cluster) + "`.");
            }
        } catch (RuntimeException e) {
            if (StateUnreachable.in(e)) {
                log.warn("propose for {} by {}: {}", cluster, click.user(), e.getMessage());
                tell(click, ":warning: No plan for now: " + StateUnreachable.APPROVALS_PAUSED + ".");
                return;
            }
            log.error("proposing a plan for {} by {} failed: {}", cluster, click.user(), e.toString(), e);
            tell(click, ":x: Making a plan for " + BlockKit.escape(cluster) + " failed: "
                    + BlockKit.escape(String.valueOf(e.getMessage())));
        } finally {
            MDC.remove("cluster");
            MDC.remove("plan");
        }
    }

    /** The fresh plan goes where the stale one was; returns a few words saying where. */
    private String postFresh(Click click, ProposedPlan fresh) {
        if (fresh == null) return "";
        Optional<String> ts = slack.post(click.channel(), click.threadTs(), SlackRenderer.plan(fresh), "plan " + fresh.id());
        if (ts.isEmpty()) {
            return " The fresh plan `" + fresh.id() + "` could not be posted; use `" + SlashCommand.COMMAND + " plan "
                    + BlockKit.escapeInline(fresh.cluster()) + "`.";
        }
        service.planPosted(fresh.id(), click.channel(), ts.get());
        return " Fresh plan: `" + fresh.id() + "`.";
    }

    private void notMine(Click click) {
        log.warn("ignored a click by {} with action '{}' and an unexpected value", click.user(), click.actionId());
        tell(click, ":warning: That button does not carry a plan I know how to read; nothing was run. "
                + "Use the buttons on a plan message, or `" + SlashCommand.COMMAND + " plan <cluster>`.");
    }

    private void tell(Click click, String text) {
        slack.ephemeral(click.channel(), click.user(), text, "answer to " + click.user());
    }
}
