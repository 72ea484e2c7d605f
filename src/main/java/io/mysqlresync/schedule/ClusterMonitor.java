package io.mysqlresync.schedule;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.BotMetrics;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.IncidentTracker;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One poll of one cluster: read every node, diagnose, see restarts, and hand the tracker's
 * decision to the {@link IncidentLifecycle}, which makes it at most one notification. The store's
 * guards decide who speaks when several bot replicas poll the same cluster: only the replica
 * whose insert or compare-and-set wins notifies, so a problem is announced once.
 *
 * <p>What one poll leaves for the next (the nodes' start times, an alert still to post) is in
 * the state store, so any replica can run the next poll.
 */
final class ClusterMonitor {

    private static final Logger log = LoggerFactory.getLogger(ClusterMonitor.class);

    private final ClusterReader reader;
    private final Diagnoser diagnoser;
    private final IncidentTracker tracker = new IncidentTracker();
    private final ResyncStore store;
    private final IncidentLifecycle lifecycle;
    private final Clock clock;
    private final BotMetrics metrics;

    ClusterMonitor(ClusterReader reader, Diagnoser diagnoser, ResyncStore store, IncidentLifecycle lifecycle,
                   Clock clock) {
        this(reader, diagnoser, store, lifecycle, clock, BotMetrics.NONE);
    }

    ClusterMonitor(ClusterReader reader, Diagnoser diagnoser, ResyncStore store, IncidentLifecycle lifecycle,
                   Clock clock, BotMetrics metrics) {
        this.metrics = metrics;
        this.reader = reader;
        this.diagnoser = diagnoser;
        this.store = store;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    /** Never throws: a failed poll is logged and the next one tries again. */
    void poll(String cluster) {
        try {
            ClusterStatus status = reader.read(cluster);
            Diagnosis d = diagnoser.diagnose(status);
            Map<String, Instant> seen = store.nodeStarts(cluster);
            RestartDetector.Seen restarts = RestartDetector.restarted(status, seen);
            Optional<Incident> open = lifecycle.takeBackIfWatchLost(lifecycle.openIncident(cluster));
            if (lifecycle.announcePending(open, d)) {
                // Posting saved the alert's message ref on the incident: carry on from that.
                open = lifecycle.openIncident(cluster);
            }
            IncidentTracker.Decision decision = tracker.decide(open, d, restarts.restarted(), clock.instant(),
                    ClusterMonitor::newIncidentId);
            switch (decision.action()) {
                case OPEN -> lifecycle.open(decision.incident(), d);
                case UPDATE -> lifecycle.update(open.orElseThrow(), decision.incident(), d);
                case CLEAR -> lifecycle.clear(open.orElseThrow(), decision.incident(), d);
                case NONE -> { }
            }
            metrics.incidentOpen(cluster, decision.action() == IncidentTracker.Action.OPEN
                    || open.isPresent() && decision.action() != IncidentTracker.Action.CLEAR);
            // Remembered only once the poll is handled: a restart seen by a poll that fails (state
            // database briefly away, Slack down) is seen again by the next one.
            restarts.toRemember().forEach((node, startedAt) -> store.rememberNodeStart(cluster, node, startedAt));
        } catch (RuntimeException e) {
            log.warn("monitor of cluster {}: poll failed, trying again at the next poll: {}", cluster, e.toString(), e);
        }
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
