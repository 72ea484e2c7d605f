package io.mysqlresync.schedule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One poll of every configured cluster, the clusters in parallel. Quartz fires one sweep per poll
 * interval whatever the number of clusters (a trigger per cluster made Quartz's JDBC job store
 * the bot's main cost at 500 clusters; BENCHMARKS.md, finding 1).
 *
 * <p>A slow cluster (a hung node, a Slack call taking its time) must not hold up the others: the
 * sweep waits for its polls only up to {@code budget}, shorter than the poll interval, so the next
 * sweep comes on time. A cluster whose poll is still running then is skipped until it finishes;
 * the result of a late poll is written to the memory by the next sweep.
 *
 * <p>The memory is the monitor job's persisted data, one map for all clusters, its keys prefixed
 * with the cluster's name and {@code /} (which configured names cannot contain).
 */
final class MonitorSweep implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MonitorSweep.class);

    static final String SEPARATOR = "/";

    private final ClusterMonitor monitor;
    private final List<String> clusters;
    private final Duration budget;
    private final ExecutorService pool;
    /** Clusters whose poll has not finished, here in this process. */
    private final Set<String> polling = ConcurrentHashMap.newKeySet();
    /** Memory of polls that finished after their sweep stopped waiting, for the next sweep to save. */
    private final Map<String, Map<String, Object>> finishedLate = new ConcurrentHashMap<>();

    MonitorSweep(ClusterMonitor monitor, List<String> clusters, Duration budget, int threads) {
        this.monitor = monitor;
        this.clusters = List.copyOf(clusters);
        this.budget = budget;
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), daemonThreads());
    }

    /** Polls every cluster not still being polled; returns after all are done or the budget is spent. */
    void sweep(Map<String, Object> memory) {
        saveLateResults(memory);
        Map<String, Map<String, Object>> byCluster = split(memory);
        Map<String, Future<Map<String, Object>>> started = new LinkedHashMap<>();
        for (String cluster : clusters) {
            if (!polling.add(cluster)) {
                log.debug("cluster {}: the previous poll is still running, skipping this one", cluster);
                continue;
            }
            Map<String, Object> own = byCluster.getOrDefault(cluster, new HashMap<>());
            try {
                started.put(cluster, pool.submit(() -> pollOne(cluster, own)));
            } catch (RuntimeException e) {
                polling.remove(cluster); // the pool is shut down: the bot is stopping
                throw e;
            }
        }
        long until = System.nanoTime() + budget.toNanos();
        List<String> late = new ArrayList<>();
        for (Map.Entry<String, Future<Map<String, Object>>> e : started.entrySet()) {
            try {
                Map<String, Object> result = e.getValue().get(Math.max(0, until - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                finishedLate.remove(e.getKey());
                save(e.getKey(), result, memory);
            } catch (TimeoutException slow) {
                late.add(e.getKey());
            } catch (ExecutionException | RuntimeException failed) {
                // ClusterMonitor.poll never throws; this is a bug, and the other clusters go on.
                log.error("monitor of cluster {}: poll failed unexpectedly", e.getKey(), failed);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!late.isEmpty()) {
            log.info("clusters {} still polling after {} ms; the others were not held up", late, budget.toMillis());
        }
    }

    /** Clusters whose poll has not finished. */
    Set<String> polling() {
        return Set.copyOf(polling);
    }

    private Map<String, Object> pollOne(String cluster, Map<String, Object> own) {
        try {
            monitor.poll(cluster, own);
            finishedLate.put(cluster, own); // taken back by sweep() if it is still waiting
            return own;
        } finally {
            polling.remove(cluster);
        }
    }

    private void saveLateResults(Map<String, Object> memory) {
        for (String cluster : List.copyOf(finishedLate.keySet())) {
            Map<String, Object> result = finishedLate.remove(cluster);
            if (result != null) {
                save(cluster, result, memory);
            }
        }
    }

    /**
     * Replaces the cluster's part of the memory with what its poll left, except that a start time
     * never moves back: another replica may have seen a later one while this poll was late.
     */
    static void save(String cluster, Map<String, Object> result, Map<String, Object> memory) {
        String prefix = cluster + SEPARATOR;
        Map<String, Object> before = new HashMap<>();
        for (String key : List.copyOf(memory.keySet())) {
            if (key.startsWith(prefix)) {
                before.put(key, memory.remove(key));
            }
        }
        for (Map.Entry<String, Object> e : result.entrySet()) {
            String key = prefix + e.getKey();
            Object value = e.getValue();
            Object earlier = before.get(key);
            if (e.getKey().startsWith(RestartDetector.KEY_PREFIX) && earlier != null
                    && millis(earlier) > millis(value)) {
                value = earlier;
            }
            memory.put(key, value);
        }
    }

    /** The memory per cluster, without the prefixes. */
    static Map<String, Map<String, Object>> split(Map<String, Object> memory) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Map.Entry<String, Object> e : memory.entrySet()) {
            int at = e.getKey().indexOf(SEPARATOR);
            if (at > 0) {
                out.computeIfAbsent(e.getKey().substring(0, at), c -> new HashMap<>())
                        .put(e.getKey().substring(at + 1), e.getValue());
            }
        }
        return out;
    }

    private static long millis(Object value) {
        try {
            return Long.parseLong(String.valueOf(value));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Stops taking polls; running ones finish on their own (their reads have deadlines). */
    @Override
    public void close() {
        pool.shutdown();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "mysql-resync-monitor-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
