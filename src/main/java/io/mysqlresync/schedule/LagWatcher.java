package io.mysqlresync.schedule;

import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.Durations;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.LagProgress;
import io.mysqlresync.incident.LagSample;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.NodeLag;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.incident.WatchMemory;
import io.mysqlresync.replication.ClusterReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One check of a lag watch: read and diagnose the cluster, add the sample to the stored watch,
 * and show it. The progress message is posted once and then edited in place, at most once per
 * check and only when something on it changed, so even many watches stay far below Slack's
 * chat.update limits; news (a node caught up, lag stopped falling, replication broke again) goes
 * to the message's thread.
 *
 * <p>The stored {@link LagWatch} is the source of truth, so any replica can run the next check;
 * what was already said ({@link WatchMemory}) is in the store too. Catching up is handed to
 * {@link IncidentLifecycle#replicationCaughtUp}, which ends the watch and closes the incident.
 */
final class LagWatcher {

    private static final Logger log = LoggerFactory.getLogger(LagWatcher.class);

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
    private final IncidentLifecycle lifecycle;
    private final LagProgress progress;
    private final int inSyncChecks;
    private final Duration stalledAfter;

    LagWatcher(ClusterReader reader, Diagnoser diagnoser, ResyncStore store, Notifier notifier,
               IncidentLifecycle lifecycle, MonitorSettings settings) {
        this.reader = reader;
        this.diagnoser = diagnoser;
        this.store = store;
        this.notifier = notifier;
        this.lifecycle = lifecycle;
        this.progress = new LagProgress(settings.inSyncChecks(), settings.stalledAfter());
        this.inSyncChecks = settings.inSyncChecks();
        this.stalledAfter = settings.stalledAfter();
    }

    /**
     * Checks the cluster's current watch. Never throws: a failed check is logged and the next one
     * tries again.
     *
     * @return DONE when the watch is over (back in sync, or no longer in the store): unschedule it
     */
    Outcome check(String cluster) {
        try {
            Optional<LagWatch> stored = store.watch(cluster);
            if (stored.isEmpty()) {
                log.info("lag watch of {}: no longer in the store, stopping", cluster);
                return Outcome.DONE;
            }
            return check(stored.get());
        } catch (RuntimeException e) {
            log.warn("lag watch of {}: check failed, trying again at the next check: {}", cluster, e.toString(), e);
            return Outcome.CONTINUE;
        }
    }

    private Outcome check(LagWatch before) {
        Diagnosis d = diagnoser.diagnose(reader.read(before.cluster()));
        LagWatch watch = progress.observe(before, LagProgress.sample(d));
        ProgressView view = ProgressView.of(progress, watch, d, inSyncChecks);
        LagProgress.Verdict verdict = view.verdict();
        WatchMemory said = store.watchMemory(before.cluster(), before.startedAt());

        ShownWatch shown = show(watch, view, said);
        watch = shown.watch();
        said = shown.said();
        // Saved before the thread replies: a message ref lost now would mean a second progress message.
        if (!store.updateWatch(watch)) {
            // Someone started a new watch while this check ran: the next check follows that one.
            log.info("lag watch of {}: replaced during the check, leaving the new one alone", watch.cluster());
            return Outcome.CONTINUE;
        }

        News news = news(before, watch, said);
        said = news.said();
        for (String line : news.lines()) {
            lifecycle.milestone(watch, line);
        }
        int brokenChecks = verdict == LagProgress.Verdict.BROKEN ? said.brokenChecks() + 1 : 0;
        said = said.withBrokenChecks(brokenChecks);
        if (verdict == LagProgress.Verdict.IN_SYNC) {
            // The hand-over point: recovery ran and replication caught up.
            lifecycle.replicationCaughtUp(watch, d);
            return Outcome.DONE;
        }
        store.saveWatchMemory(watch.cluster(), said);
        switch (verdict) {
            case BROKEN -> {
                if (!watch.alerted() && brokenChecks >= BROKEN_CHECKS_BEFORE_ALERT) {
                    lifecycle.milestone(watch, "Replication broke again: " + d.headline());
                    store.updateWatch(watch.withAlerted());
                }
            }
            case STALLED -> {
                if (!watch.alerted()) {
                    lifecycle.milestone(watch, "Lag has not fallen for " + Durations.words(stalledAfter) + ": "
                            + behind(watch) + ". Check the write load and the replicas' error logs.");
                    store.updateWatch(watch.withAlerted());
                }
            }
            case CATCHING_UP -> {
                if (watch.alerted()) {
                    // Moving again: a later stall or break is news again.
                    store.updateWatch(rearmed(watch));
                }
            }
            case IN_SYNC -> { }
        }
        return Outcome.CONTINUE;
    }

    private record ShownWatch(LagWatch watch, WatchMemory said) {
    }

    private record News(List<String> lines, WatchMemory said) {
    }

    /** Posts the progress message the first time, then edits it when what it shows changed. */
    private ShownWatch show(LagWatch watch, ProgressView view, WatchMemory said) {
        String shown = view.toString();
        try {
            if (watch.messageTs().isEmpty()) {
                MessageRef ref = notifier.progressStarted(watch, view);
                return new ShownWatch(watch.withMessage(ref.ts()), said.withShown(shown));
            }
            if (!shown.equals(said.shown())) {
                notifier.progressUpdated(watch, view);
                return new ShownWatch(watch, said.withShown(shown));
            }
        } catch (RuntimeException e) {
            log.warn("lag watch of {}: could not show progress, trying again at the next check: {}",
                    watch.cluster(), e.toString(), e);
        }
        return new ShownWatch(watch, said);
    }

    /** Thread replies this check earned: nodes that caught up, lag that stopped falling. */
    private News news(LagWatch before, LagWatch after, WatchMemory said) {
        List<String> out = new ArrayList<>();
        LagSample latest = after.samples().get(after.samples().size() - 1);
        for (NodeLag node : latest.nodes()) {
            String name = node.node();
            if (node.inSync()) {
                if (wasBehind(after, name) && !said.caughtUp().contains(name)) {
                    said = said.withCaughtUp(name);
                    out.add(name + " caught up: both replication threads running, 0 s behind");
                }
                continue;
            }
            LagProgress.Trend was = progress.trend(before, name);
            LagProgress.Trend now = progress.trend(after, name);
            if (now == LagProgress.Trend.FALLING) {
                said = said.withNotFalling(name, false);
            } else if (was == LagProgress.Trend.FALLING && node.lagSeconds() > 0
                    && !said.notFalling().contains(name)) {
                said = said.withNotFalling(name, true);
                out.add("Lag on " + name + " stopped falling: " + node.lagSeconds() + " s behind and "
                        + (now == LagProgress.Trend.RISING ? "rising" : "flat"));
            }
        }
        return new News(out, said);
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
}
