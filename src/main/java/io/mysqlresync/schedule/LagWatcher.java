package io.mysqlresync.schedule;

import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.LagProgress;
import io.mysqlresync.incident.LagSample;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.NodeLag;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.replication.ClusterReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One check of a lag watch: read and diagnose the cluster, add the sample to the stored watch,
 * and show it. The progress message is posted once and then edited in place, at most once per
 * check and only when something on it changed, so even many watches stay far below Slack's
 * chat.update limits; news (a node caught up, lag stopped falling, replication broke again) goes
 * to the message's thread.
 *
 * <p>The stored {@link LagWatch} is the source of truth, so any replica can run the next check;
 * {@code memory} (the job's persisted JobDataMap) only remembers what was already said.
 */
final class LagWatcher {

    private static final Logger log = LoggerFactory.getLogger(LagWatcher.class);

    /** What the progress message showed last: an edit is skipped when the new view is the same. */
    static final String SHOWN = "shown";
    static final String CAUGHT_UP_PREFIX = "caughtUp.";
    static final String NOT_FALLING_PREFIX = "notFalling.";
    static final String BROKEN_CHECKS = "brokenChecks";

    /**
     * Right after START SLAVE the IO thread is "Connecting" for a moment, which the diagnosis
     * calls a break; a break is only announced once it shows on this many checks in a row.
     */
    static final int BROKEN_CHECKS_BEFORE_ALERT = 2;

    /** CONTINUE: check again later; DONE: unschedule. */
    enum Outcome { CONTINUE, DONE }

    private final ClusterReader reader;
    private final Diagnoser diagnoser;
    private final ResyncStore store;
    private final Notifier notifier;
    private final LagProgress progress;
    private final int inSyncChecks;
    private final Duration stalledAfter;
    private final Clock clock;

    LagWatcher(ClusterReader reader, Diagnoser diagnoser, ResyncStore store, Notifier notifier,
               MonitorSettings settings, Clock clock) {
        this.reader = reader;
        this.diagnoser = diagnoser;
        this.store = store;
        this.notifier = notifier;
        this.progress = new LagProgress(settings.inSyncChecks(), settings.stalledAfter());
        this.inSyncChecks = settings.inSyncChecks();
        this.stalledAfter = settings.stalledAfter();
        this.clock = clock;
    }

    /**
     * Never throws: a failed check is logged and the next one tries again.
     *
     * @param startedAt when the watch this job was scheduled for started: a recovery that starts
     *                  a new watch of the same cluster replaces it, and the old job must not touch it
     * @return DONE when the watch is over (back in sync, or no longer in the store): unschedule it
     */
    Outcome check(String cluster, Instant startedAt, Map<String, Object> memory) {
        try {
            Optional<LagWatch> stored = store.watch(cluster);
            if (stored.isEmpty()) {
                log.info("lag watch of {}: no longer in the store, stopping", cluster);
                return Outcome.DONE;
            }
            if (startedAt != null && stored.get().startedAt().toEpochMilli() != startedAt.toEpochMilli()) {
                // There is one watch job per cluster, so the job whose data names an older watch is
                // the job of the current one: its data went stale when a run that started before the
                // watch was replaced wrote it back (@PersistJobDataAfterExecution). Idling on it
                // would leave the new watch silent for ever; adopt the current watch instead.
                log.info("lag watch of {}: job data named the watch of {}, now following the watch of {}", cluster,
                        startedAt, stored.get().startedAt());
                memory.put(LagWatchJob.WATCH_STARTED_AT, Long.toString(stored.get().startedAt().toEpochMilli()));
            }
            return check(stored.get(), memory);
        } catch (RuntimeException e) {
            log.warn("lag watch of {}: check failed, trying again at the next check: {}", cluster, e.toString(), e);
            return Outcome.CONTINUE;
        }
    }

    private Outcome check(LagWatch before, Map<String, Object> memory) {
        Diagnosis d = diagnoser.diagnose(reader.read(before.cluster()));
        LagWatch watch = progress.observe(before, LagProgress.sample(d));
        ProgressView view = ProgressView.of(progress, watch, d, inSyncChecks);
        LagProgress.Verdict verdict = view.verdict();

        watch = show(watch, view, memory);
        // Saved before the thread replies: a message ref lost now would mean a second progress message.
        store.saveWatch(watch);

        for (String news : news(before, watch, memory)) {
            say(watch, news);
        }
        int brokenChecks = verdict == LagProgress.Verdict.BROKEN ? count(memory, BROKEN_CHECKS) + 1 : 0;
        memory.put(BROKEN_CHECKS, Integer.toString(brokenChecks));
        switch (verdict) {
            case IN_SYNC -> {
                finish(watch, d);
                return Outcome.DONE;
            }
            case BROKEN -> {
                if (!watch.alerted() && brokenChecks >= BROKEN_CHECKS_BEFORE_ALERT) {
                    say(watch, "Replication broke again: " + d.headline());
                    store.saveWatch(watch.withAlerted());
                }
            }
            case STALLED -> {
                if (!watch.alerted()) {
                    say(watch, "Lag has not fallen for " + human(stalledAfter) + ": " + behind(watch)
                            + ". Check the write load and the replicas' error logs.");
                    store.saveWatch(watch.withAlerted());
                }
            }
            case CATCHING_UP -> {
                if (watch.alerted()) {
                    // Moving again: a later stall or break is news again.
                    store.saveWatch(rearmed(watch));
                }
            }
        }
        return Outcome.CONTINUE;
    }

    /** Posts the progress message the first time, then edits it when what it shows changed. */
    private LagWatch show(LagWatch watch, ProgressView view, Map<String, Object> memory) {
        String shown = view.toString();
        try {
            if (watch.messageTs().isEmpty()) {
                MessageRef ref = notifier.progressStarted(watch, view);
                memory.put(SHOWN, shown);
                return watch.withMessage(ref.ts());
            }
            if (!shown.equals(memory.get(SHOWN))) {
                notifier.progressUpdated(watch, view);
                memory.put(SHOWN, shown);
            }
        } catch (RuntimeException e) {
            log.warn("lag watch of {}: could not show progress, trying again at the next check: {}",
                    watch.cluster(), e.toString(), e);
        }
        return watch;
    }

    /** Thread replies this check earned: nodes that caught up, lag that stopped falling. */
    private List<String> news(LagWatch before, LagWatch after, Map<String, Object> memory) {
        List<String> out = new ArrayList<>();
        LagSample latest = after.samples().get(after.samples().size() - 1);
        for (NodeLag node : latest.nodes()) {
            String name = node.node();
            if (node.inSync()) {
                if (wasBehind(after, name) && memory.putIfAbsent(CAUGHT_UP_PREFIX + name, "yes") == null) {
                    out.add(name + " caught up: both replication threads running, 0 s behind");
                }
                continue;
            }
            LagProgress.Trend was = progress.trend(before, name);
            LagProgress.Trend now = progress.trend(after, name);
            if (now == LagProgress.Trend.FALLING) {
                memory.remove(NOT_FALLING_PREFIX + name);
            } else if (was == LagProgress.Trend.FALLING && node.lagSeconds() > 0
                    && memory.putIfAbsent(NOT_FALLING_PREFIX + name, "yes") == null) {
                out.add("Lag on " + name + " stopped falling: " + node.lagSeconds() + " s behind and "
                        + (now == LagProgress.Trend.RISING ? "rising" : "flat"));
            }
        }
        return out;
    }

    private void finish(LagWatch watch, Diagnosis d) {
        Instant now = clock.instant();
        say(watch, "Back in sync: every node has both replication threads running and 0 s lag, "
                + watch.inSyncStreak() + " checks in a row. Watch over.");
        if (!watch.incidentId().isEmpty()) {
            store.openIncident(watch.cluster())
                    .filter(i -> i.id().equals(watch.incidentId()))
                    .ifPresent(i -> closeInSync(i, d, now));
        }
        store.audit(new AuditEntry(now, watch.cluster(), "", "bot", "in-sync",
                "lag watch over after " + human(Duration.between(watch.startedAt(), now))
                        + (watch.incidentId().isEmpty() ? "" : "; incident " + watch.incidentId())));
        store.deleteWatch(watch.cluster());
    }

    private void closeInSync(Incident open, Diagnosis d, Instant now) {
        Incident done = open.with(IncidentState.IN_SYNC, open.problemKey(), d.headline(), now);
        if (store.updateIncident(done, open.state()) && !done.messageTs().isEmpty()) {
            try {
                notifier.incidentChanged(done, d);
            } catch (RuntimeException e) {
                log.warn("incident {}: could not mark its alert in sync: {}", done.id(), e.toString(), e);
            }
        }
    }

    private void say(LagWatch watch, String text) {
        try {
            notifier.progressMilestone(watch, text);
        } catch (RuntimeException e) {
            log.warn("lag watch of {}: could not post \"{}\": {}", watch.cluster(), text, e.toString(), e);
        }
    }

    private static boolean wasBehind(LagWatch w, String node) {
        return w.samples().stream().anyMatch(s -> s.node(node).map(n -> !n.inSync()).orElse(false));
    }

    private static String behind(LagWatch w) {
        LagSample latest = w.samples().get(w.samples().size() - 1);
        List<String> parts = new ArrayList<>();
        for (NodeLag n : latest.nodes()) {
            if (!n.inSync()) {
                parts.add(n.node() + (n.lagSeconds() >= 0 ? " is " + n.lagSeconds() + " s behind" : " lag unknown"));
            }
        }
        return parts.isEmpty() ? "no node behind now" : String.join(", ", parts);
    }

    private static LagWatch rearmed(LagWatch w) {
        return new LagWatch(w.cluster(), w.channel(), w.messageTs(), w.threadTs(), w.startedAt(), w.samples(),
                w.inSyncStreak(), false, w.incidentId());
    }

    private static int count(Map<String, Object> memory, String key) {
        Object v = memory.get(key);
        try {
            return v == null ? 0 : Integer.parseInt(v.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 120) return s + " s";
        if (s < 7200) return d.toMinutes() + " min";
        return d.toHours() + " h " + d.toMinutesPart() + " min";
    }
}
