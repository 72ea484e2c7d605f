package io.mysqlresync.schedule;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.BotMetrics;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.IncidentTracker;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One poll of one cluster: read every node, diagnose, see restarts, and turn the tracker's
 * decision into at most one notification. The store's guards decide who speaks when several
 * bot replicas poll the same cluster: only the replica whose insert or compare-and-set wins
 * notifies, so a problem is announced once.
 */
final class ClusterMonitor {

    private static final Logger log = LoggerFactory.getLogger(ClusterMonitor.class);

    /**
     * Set in the job's memory when the store has the incident but posting its alert failed
     * (Slack down, say): the next poll posts it, instead of the incident staying silent forever.
     */
    static final String UNANNOUNCED = "unannounced";

    private final ClusterReader reader;
    private final Diagnoser diagnoser;
    private final IncidentTracker tracker = new IncidentTracker();
    private final ResyncStore store;
    private final Notifier notifier;
    private final Clock clock;
    private final BotMetrics metrics;

    ClusterMonitor(ClusterReader reader, Diagnoser diagnoser, ResyncStore store, Notifier notifier, Clock clock) {
        this(reader, diagnoser, store, notifier, clock, BotMetrics.NONE);
    }

    ClusterMonitor(ClusterReader reader, Diagnoser diagnoser, ResyncStore store, Notifier notifier, Clock clock,
                   BotMetrics metrics) {
        this.metrics = metrics;
        this.reader = reader;
        this.diagnoser = diagnoser;
        this.store = store;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** Never throws: a failed poll is logged and the next one tries again. */
    void poll(String cluster, Map<String, Object> memory) {
        try {
            ClusterStatus status = reader.read(cluster);
            Diagnosis d = diagnoser.diagnose(status);
            // Start times are remembered only once the poll is handled: a restart seen by a poll
            // that fails (state database briefly away) is seen again by the next one.
            Map<String, Object> startTimes = new HashMap<>(memory);
            List<String> restarted = RestartDetector.restarted(status, startTimes);
            Optional<Incident> open = reopenIfWatchLost(store.openIncident(cluster));
            if (announcePending(open, d, memory)) {
                // Posting saved the alert's message ref on the incident: carry on from that.
                open = store.openIncident(cluster);
            }
            IncidentTracker.Decision decision = tracker.decide(open, d, restarted, clock.instant(),
                    ClusterMonitor::newIncidentId);
            switch (decision.action()) {
                case OPEN -> open(decision.incident(), d, memory);
                case UPDATE -> update(open.orElseThrow(), decision.incident(), d);
                case CLEAR -> clear(open.orElseThrow(), decision.incident(), d);
                case NONE -> { }
            }
            metrics.incidentOpen(cluster, decision.action() == IncidentTracker.Action.OPEN
                    || open.isPresent() && decision.action() != IncidentTracker.Action.CLEAR);
            startTimes.forEach((key, value) -> {
                if (key.startsWith(RestartDetector.KEY_PREFIX)) {
                    memory.put(key, value);
                }
            });
        } catch (RuntimeException e) {
            log.warn("monitor of cluster {}: poll failed, trying again at the next poll: {}", cluster, e.toString(), e);
        }
    }

    /**
     * A recovering incident is the lag watch's; if the watch is gone (its job was lost with a
     * replica's database, or never started) the monitor takes the incident back rather than
     * staying quiet for ever. The grace period covers a recovery that is still executing.
     */
    private Optional<Incident> reopenIfWatchLost(Optional<Incident> open) {
        if (open.isEmpty() || open.get().state() != IncidentState.CATCHING_UP) {
            return open;
        }
        Incident i = open.get();
        if (store.watch(i.cluster()).isPresent()
                || java.time.Duration.between(i.updatedAt(), clock.instant()).compareTo(WATCH_GRACE) < 0) {
            return open;
        }
        log.warn("incident {} on {} is recovering but has no lag watch: the monitor takes it back", i.id(), i.cluster());
        store.updateIncident(i.with(IncidentState.OPEN, i.problemKey(), i.headline(), clock.instant()),
                IncidentState.CATCHING_UP);
        return store.openIncident(i.cluster());
    }

    static final java.time.Duration WATCH_GRACE = java.time.Duration.ofMinutes(2);

    private void open(Incident incident, Diagnosis d, Map<String, Object> memory) {
        if (!store.openIncidentIfNone(incident)) {
            // Another replica opened it first; it alerts, this one stays quiet.
            return;
        }
        audit(incident, "alert", incident.headline());
        announce(incident, d, memory);
    }

    private void announce(Incident incident, Diagnosis d, Map<String, Object> memory) {
        memory.put(UNANNOUNCED, incident.id());
        MessageRef ref = notifier.incidentOpened(incident, d);
        memory.remove(UNANNOUNCED);
        Incident posted = incident.withMessage(ref.channel(), ref.ts());
        if (!store.updateIncident(posted, incident.state())) {
            log.info("incident {} on {} moved on before its alert's message could be saved", incident.id(),
                    incident.cluster());
        }
    }

    /** Posts an alert whose last attempt failed; true when it did. */
    private boolean announcePending(Optional<Incident> open, Diagnosis d, Map<String, Object> memory) {
        Object pending = memory.get(UNANNOUNCED);
        if (pending == null) {
            return false;
        }
        if (open.isPresent() && open.get().id().equals(pending) && open.get().state() == IncidentState.OPEN) {
            log.info("posting the alert for incident {} on {} again: the last attempt failed", pending, d.cluster());
            announce(open.get(), d, memory);
            return true;
        }
        memory.remove(UNANNOUNCED);
        return false;
    }

    private void update(Incident stored, Incident changed, Diagnosis d) {
        if (!store.updateIncident(changed, stored.state())) {
            return;
        }
        audit(changed, "alert-update", changed.headline());
        notifier.incidentChanged(changed, d);
    }

    private void clear(Incident stored, Incident cleared, Diagnosis d) {
        if (!store.updateIncident(cleared, stored.state())) {
            return;
        }
        audit(cleared, "alert-cleared", d.headline());
        notifier.incidentCleared(cleared, d);
    }

    private void audit(Incident incident, String action, String detail) {
        store.audit(new AuditEntry(clock.instant(), incident.cluster(), "", "bot", action,
                incident.id() + ": " + detail));
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();

    /** Same shape as plan ids: short, unambiguous, unguessable. */
    static String newIncidentId() {
        StringBuilder sb = new StringBuilder("i-");
        for (int i = 0; i < 8; i++) {
            sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }
}
