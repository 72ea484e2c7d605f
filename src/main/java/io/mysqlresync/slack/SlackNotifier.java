package io.mysqlresync.slack;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.Interruption;
import io.mysqlresync.incident.StateOutage;

import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ShardPoll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Where the monitor and the lag watch speak in Slack: one alert per incident in the incident
 * channel, updated in place as the incident changes, said once when it clears; one progress
 * message per watch, updated in place, with milestones as replies in its thread.
 *
 * <p>Called from scheduler threads: nothing here throws. Everything said goes through the
 * {@link SlackOutbox}: while Slack is unreachable it waits in the state database and arrives
 * later, in order; a post not delivered yet is reported as a {@link MessageRef} without ts, and
 * later updates of it find it by its key ({@link #incidentKey}, {@link #progressKey}).
 */
public final class SlackNotifier implements Notifier {

    private static final Logger log = LoggerFactory.getLogger(SlackNotifier.class);

    private final SlackGateway slack;
    private final SlackOutbox out;
    private final String incidentChannel;

    SlackNotifier(SlackGateway slack, SlackOutbox out, String incidentChannel) {
        this.slack = slack;
        this.out = out;
        this.incidentChannel = incidentChannel;
    }

    static final String INCIDENT_KEY = "incident:";

    static String incidentKey(Incident i) {
        return INCIDENT_KEY + i.id();
    }

    static String progressKey(LagWatch w) {
        return "progress:" + w.cluster() + ":" + w.startedAt();
    }

    static final String PLAN_KEY = "plan:";

    static String planKey(String planId) {
        return PLAN_KEY + planId;
    }

    /**
     * For the outbox: a plan or an alert it posts after its caller stopped waiting (Slack slow or
     * away, a message ahead of it), here or on another replica, still gets its message recorded.
     * Both records are idempotent, so a caller that waited and records it too does no harm.
     */
    static SlackOutbox.Posted recordingPosts(SlackOutbox.Posted plans, SlackOutbox.Posted alerts) {
        return (key, channel, ts) -> {
            if (key.startsWith(PLAN_KEY)) {
                plans.posted(key.substring(PLAN_KEY.length()), channel, ts);
            } else if (key.startsWith(INCIDENT_KEY)) {
                alerts.posted(key.substring(INCIDENT_KEY.length()), channel, ts);
            }
        };
    }

    /** Posts a repair plan: verification id, channel, thread, requested by; returns the repair's id. */
    @FunctionalInterface
    interface RepairPoster {
        String post(String verificationId, String channel, String threadTs, String requestedBy);
    }

    private volatile RepairPoster repairs;

    void repairsWith(RepairPoster poster) {
        this.repairs = poster;
    }

    /** The repair plan goes in the recovery's thread, where the verdict line just said what differs. */
    @Override
    public void repairNeeded(LagWatch watch, String verificationId, String requestedBy) {
        RepairPoster p = repairs;
        if (p == null) {
            return;
        }
        String root = !watch.threadTs().isEmpty() ? watch.threadTs() : watch.messageTs();
        try {
            p.post(verificationId, channelOf(watch), root, requestedBy);
        } catch (RuntimeException e) {
            log.warn("could not post the repair plan of verification {} on {}: {}", verificationId, watch.cluster(),
                    e.toString());
            slack.reply(channelOf(watch), root, BlockKit.escape("No repair plan could be made from verification "
                    + verificationId + ": " + e.getMessage() + ". Run /mysql-resync repair " + verificationId
                    + " to try again."), "repair plan of " + watch.cluster());
        }
    }

    /** Redraws a plan's message from its stored state (expired, decided elsewhere). Never throws. */
    @Override
    public void planExpired(ProposedPlan plan) {
        redrawPlan(plan);
    }

    void redrawPlan(ProposedPlan plan) {
        if (plan.messageTs() == null || plan.messageTs().isEmpty() || plan.channel() == null || plan.channel().isEmpty()) {
            return;
        }
        try {
            out.update(planKey(plan.id()), plan.channel(), plan.messageTs(), SlackRenderer.plan(plan),
                    "plan " + plan.id() + " message");
        } catch (RuntimeException e) {
            log.warn("could not update plan {} message: {}", plan.id(), e.toString());
        }
    }

    /** Redraws the plan as interrupted and posts the fresh plan in the same thread. Never throws. */
    @Override
    public MessageRef planInterrupted(Interruption i) {
        ProposedPlan p = i.plan();
        try {
            String channel = p.channel() == null || p.channel().isEmpty() || "console".equals(p.channel())
                    ? incidentChannel : p.channel();
            if (p.messageTs() != null && !p.messageTs().isEmpty()) {
                out.update(planKey(p.id()), channel, p.messageTs(), SlackRenderer.planInterrupted(i),
                        "plan " + p.id() + " message");
            } else {
                out.post(planKey(p.id()), channel, "", "", SlackRenderer.planInterrupted(i),
                        "plan " + p.id() + " interrupted");
            }
            if (i.fresh() == null) {
                return MessageRef.NONE;
            }
            String thread = p.messageTs() == null ? "" : p.messageTs();
            return out.post(planKey(i.fresh().id()), channel, planKey(p.id()), thread, SlackRenderer.plan(i.fresh()),
                            "plan " + i.fresh().id())
                    .map(ts -> new MessageRef(channel, ts)).orElse(MessageRef.NONE);
        } catch (RuntimeException e) {
            log.warn("could not report plan {} interrupted: {}", p.id(), e.toString());
            return MessageRef.NONE;
        }
    }

    @Override
    public MessageRef stateOutage(MessageRef message, StateOutage outage) {
        try {
            String icon = outage.back() == null ? ":warning: " : ":white_check_mark: ";
            SlackMessage m = new SlackMessage(icon + BlockKit.escape(outage.text()), List.of());
            // Said while the outbox's own database is down: out goes to Slack directly then.
            if (message.ts().isEmpty()) {
                return out.post("", incidentChannel, "", "", m, "state database outage")
                        .map(ts -> new MessageRef(incidentChannel, ts)).orElse(MessageRef.NONE);
            }
            out.update("", message.channel(), message.ts(), m, "state database outage");
            return message;
        } catch (RuntimeException e) {
            log.warn("could not report the state database outage: {}", e.toString());
            return message;
        }
    }

    @Override
    public void shardsLate(List<ShardPoll> late, int shards, Duration limit) {
        try {
            out.post("", incidentChannel, "", "", SlackRenderer.shardsLate(late, shards, limit), "monitoring gap alert");
        } catch (RuntimeException e) {
            log.warn("could not alert the monitoring gap of {}: {}", late, e.toString());
        }
    }

    @Override
    public void shardsPolledAgain(List<ShardPoll> back, int shards) {
        try {
            out.post("", incidentChannel, "", "", SlackRenderer.shardsPolledAgain(back, shards), "monitoring resumed");
        } catch (RuntimeException e) {
            log.warn("could not say monitoring resumed on {}: {}", back, e.toString());
        }
    }

    @Override
    public MessageRef incidentOpened(Incident incident, Diagnosis diagnosis) {
        try {
            // Not posted yet (Slack unreachable): the channel without ts; it is delivered later and
            // found again by its key.
            return out.post(incidentKey(incident), incidentChannel, "", "", SlackRenderer.incident(incident, diagnosis),
                            "incident " + incident.id() + " alert")
                    .map(ts -> new MessageRef(incidentChannel, ts))
                    .orElse(out.keepsMessages() ? new MessageRef(incidentChannel, "") : MessageRef.NONE);
        } catch (RuntimeException e) {
            log.warn("could not alert incident {} on {}: {}", incident.id(), incident.cluster(), e.toString());
            return MessageRef.NONE;
        }
    }

    @Override
    public void incidentChanged(Incident incident, Diagnosis diagnosis) {
        try {
            SlackMessage m = SlackRenderer.incident(incident, diagnosis);
            // Without ts the alert is still in the outbox (its content is replaced) or was delivered
            // after the incident was saved (found by key); with nothing to update it is posted, late.
            out.update(incidentKey(incident), channelOf(incident), hasMessage(incident) ? incident.messageTs() : "", m,
                    "incident " + incident.id() + " alert");
        } catch (RuntimeException e) {
            log.warn("could not update incident {} on {}: {}", incident.id(), incident.cluster(), e.toString());
        }
    }

    @Override
    public void incidentCleared(Incident incident, Diagnosis diagnosis) {
        try {
            SlackMessage m = SlackRenderer.incident(incident, diagnosis);
            String text = ":large_green_circle: " + BlockKit.escape(incident.cluster())
                    + ": the problem went away by itself; no recovery was run.";
            String ts = hasMessage(incident) ? incident.messageTs() : "";
            out.update(incidentKey(incident), channelOf(incident), ts, m, "incident " + incident.id() + " cleared");
            out.reply(channelOf(incident), incidentKey(incident), ts, text, "incident " + incident.id() + " cleared");
        } catch (RuntimeException e) {
            log.warn("could not report incident {} cleared on {}: {}", incident.id(), incident.cluster(), e.toString());
        }
    }

    @Override
    public MessageRef progressStarted(LagWatch watch, ProgressView view) {
        try {
            String channel = watch.channel().isEmpty() ? incidentChannel : watch.channel();
            // Until Slack has it, each check asks again: the waiting post gets the newest content.
            return out.post(progressKey(watch), channel, "", watch.threadTs(), SlackRenderer.progress(watch, view),
                            "lag progress of " + watch.cluster())
                    .map(ts -> new MessageRef(channel, ts))
                    .orElse(MessageRef.NONE);
        } catch (RuntimeException e) {
            log.warn("could not post lag progress of {}: {}", watch.cluster(), e.toString());
            return MessageRef.NONE;
        }
    }

    @Override
    public void progressUpdated(LagWatch watch, ProgressView view) {
        try {
            out.update(progressKey(watch), channelOf(watch), watch.messageTs(), SlackRenderer.progress(watch, view),
                    "lag progress of " + watch.cluster());
        } catch (RuntimeException e) {
            log.warn("could not update lag progress of {}: {}", watch.cluster(), e.toString());
        }
    }

    @Override
    public void progressMilestone(LagWatch watch, String text) {
        try {
            // A reply goes to the thread's root: the progress message, or the thread it lives in.
            String root = !watch.threadTs().isEmpty() ? watch.threadTs() : watch.messageTs();
            out.reply(channelOf(watch), watch.threadTs().isEmpty() ? progressKey(watch) : "", root,
                    BlockKit.escape(text), "lag milestone of " + watch.cluster());
        } catch (RuntimeException e) {
            log.warn("could not post lag milestone of {}: {}", watch.cluster(), e.toString());
        }
    }

    /** The scheduled audit's changes, in the incident channel. */
    @Override
    public boolean settingsChanged(AuditReport report, AuditReport.Changes changes) {
        try {
            return out.post("", incidentChannel, "", "", AuditRenderer.changes(report, changes),
                    "audit changes of " + report.cluster()).isPresent() || out.keepsMessages();
        } catch (RuntimeException e) {
            log.warn("could not post the audit changes of {}: {}", report.cluster(), e.toString());
            return false;
        }
    }

    private static boolean hasMessage(Incident i) {
        return i.channel() != null && !i.channel().isEmpty() && i.messageTs() != null && !i.messageTs().isEmpty();
    }

    private String channelOf(Incident i) {
        return i.channel() == null || i.channel().isEmpty() ? incidentChannel : i.channel();
    }

    private String channelOf(LagWatch w) {
        return w.channel().isEmpty() ? incidentChannel : w.channel();
    }
}
