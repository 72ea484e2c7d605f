package io.mysqlresync.app;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.incident.StateOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps polling while the state database is away. The monitor is a Quartz job on the state
 * database's job store, so it stops firing with it; this watch, outside Quartz, checks the
 * database every poll interval and, while it does not answer, reads and diagnoses every cluster
 * itself and says once in the incident channel what the bot cannot do (approvals paused), updated
 * when what it sees changes and when the database is back. It opens no incident and runs
 * nothing: those need the database, and the monitor takes over again when it returns.
 */
final class StateOutageWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateOutageWatch.class);

    private final ResyncService service;
    private final Supplier<Optional<String>> stateProblem;
    private final Notifier notifier;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    private Instant since;
    private MessageRef message = MessageRef.NONE;
    private Map<String, String> headlines = Map.of();
    private int polls;
    private volatile int totalPolls;

    StateOutageWatch(ResyncService service, Supplier<Optional<String>> stateProblem, Notifier notifier,
                     Duration interval, Clock clock) {
        this.service = service;
        this.stateProblem = stateProblem;
        this.notifier = notifier;
        this.clock = clock;
        this.timer = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "state-outage-watch");
            t.setDaemon(true);
            return t;
        });
        // The probe may wait for the pool's connection timeout; polls must not wait with it.
        timer.scheduleWithFixedDelay(this::probe, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Empty while the state database answers; why not, while it does not. */
    private volatile Optional<String> problem = Optional.empty();

    private void probe() {
        try {
            problem = stateProblem.get();
        } catch (RuntimeException e) {
            problem = Optional.of(e.toString());
        }
    }

    /** Polls run while the state database was away, since start (for tests and metrics). */
    int outagePolls() {
        return totalPolls;
    }

    /** What the last outage poll saw, cluster to headline. */
    synchronized Map<String, String> lastHeadlines() {
        return headlines;
    }

    private synchronized void check() {
        try {
            Optional<String> problem = this.problem;
            if (problem.isEmpty()) {
                if (since != null) {
                    Instant back = clock.instant();
                    log.info("state database back after {} ms; {} polls ran meanwhile", Duration.between(since, back)
                            .toMillis(), polls);
                    notifier.stateOutage(message, new StateOutage(since, back, headlines, polls));
                    since = null;
                    message = MessageRef.NONE;
                    polls = 0;
                }
                return;
            }
            boolean first = since == null;
            if (first) {
                since = clock.instant();
                log.warn("state database unreachable ({}): approvals paused, polling without it", problem.get());
            }
            Map<String, String> seen = new LinkedHashMap<>();
            for (String cluster : service.clusters()) {
                try {
                    Diagnosis d = service.diagnose(cluster);
                    seen.put(cluster, d.headline());
                } catch (RuntimeException e) {
                    seen.put(cluster, "could not be read: " + e.getMessage());
                }
            }
            polls++;
            totalPolls++;
            boolean changed = !seen.equals(headlines);
            headlines = seen;
            if (first || changed) {
                if (changed && !first) {
                    log.warn("while the state database is unreachable: {}", List.copyOf(seen.values()));
                }
                message = notifier.stateOutage(message, new StateOutage(since, null, seen, polls));
            }
        } catch (RuntimeException e) {
            log.warn("state database outage watch: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
