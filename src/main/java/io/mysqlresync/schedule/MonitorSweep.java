package io.mysqlresync.schedule;

import io.mysqlresync.incident.BotMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * <p>The polls start spread evenly over the first part of the interval. A slow cluster (a hung
 * node, a Slack call taking its time) must not hold up the others: the sweep waits for its polls
 * only up to {@code budget}, shorter than the poll interval, so the next sweep comes on time. A cluster whose poll is still running then is skipped until it finishes;
 * the result of a late poll is written to the memory by the next sweep.
 *
 * <p>The memory is the monitor job's persisted data: per cluster, what {@link ClusterMonitor#poll}
 * keeps between polls (its nodes' start times, an alert still to post), all in one string
 * ({@link #encodeAll}).
 */
final class MonitorSweep implements AutoCloseable {

    /** The key of the memory in the job's data. */
    static final String MEMORY = "memory";

    private static final Logger log = LoggerFactory.getLogger(MonitorSweep.class);

    private final ClusterMonitor monitor;
    private final List<String> clusters;
    private final Set<String> configured;
    private final Duration budget;
    private final Duration spread;
    private final ExecutorService pool;
    private final BotMetrics metrics;
    /** Clusters whose poll has not finished, here in this process. */
    private final Set<String> polling = ConcurrentHashMap.newKeySet();
    /** Memory of polls that finished after their sweep stopped waiting, for the next sweep to save. */
    private final Map<String, Map<String, Object>> finishedLate = new ConcurrentHashMap<>();

    /**
     * @param spread  polls start evenly over this part of the interval, not all at once
     * @param budget  how long a sweep waits for its polls, from its start
     * @param threads polls running at once at most
     */
    MonitorSweep(ClusterMonitor monitor, List<String> clusters, Duration spread, Duration budget, int threads) {
        this(monitor, clusters, spread, budget, threads, BotMetrics.NONE);
    }

    MonitorSweep(ClusterMonitor monitor, List<String> clusters, Duration spread, Duration budget, int threads,
                 BotMetrics metrics) {
        this.metrics = metrics;
        this.monitor = monitor;
        this.clusters = List.copyOf(clusters);
        this.configured = Set.copyOf(clusters);
        this.budget = budget;
        this.spread = spread;
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), daemonThreads());
    }

    /** Polls every cluster not still being polled; returns after all are done or the budget is spent. */
    void sweep(Map<String, Object> memory) {
        long start = System.nanoTime();
        Map<String, String> saved = decodeAll(memory.get(MEMORY));
        saved.keySet().retainAll(configured); // a cluster no longer configured is forgotten
        saveLateResults(saved);
        Map<String, Future<Map<String, Object>>> started = new LinkedHashMap<>();
        Map<String, Map<String, Object>> before = new HashMap<>();
        for (int i = 0; i < clusters.size(); i++) {
            String cluster = clusters.get(i);
            waitUntil(start + spread.toNanos() * i / clusters.size());
            if (!polling.add(cluster)) {
                log.debug("cluster {}: the previous poll is still running, skipping this one", cluster);
                continue;
            }
            Map<String, Object> own = decode(saved.get(cluster));
            before.put(cluster, Map.copyOf(own));
            try {
                started.put(cluster, pool.submit(() -> pollOne(cluster, own)));
            } catch (RuntimeException e) {
                polling.remove(cluster); // the pool is shut down: the bot is stopping
                throw e;
            }
        }
        long until = start + budget.toNanos();
        List<String> late = new ArrayList<>();
        try {
            for (Map.Entry<String, Future<Map<String, Object>>> e : started.entrySet()) {
                String cluster = e.getKey();
                try {
                    Map<String, Object> result = e.getValue().get(Math.max(0, until - System.nanoTime()),
                            TimeUnit.NANOSECONDS);
                    finishedLate.remove(cluster);
                    put(saved, cluster, merge(before.get(cluster), result));
                } catch (TimeoutException slow) {
                    late.add(cluster);
                } catch (ExecutionException | RuntimeException failed) {
                    // ClusterMonitor.poll never throws; this is a bug, and the other clusters go on.
                    log.error("monitor of cluster {}: poll failed unexpectedly", cluster, failed);
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        String encoded = encodeAll(saved);
        // Quartz writes a job's data back only when the map is dirty, and any put makes it so.
        if (!encoded.equals(memory.getOrDefault(MEMORY, ""))) {
            memory.put(MEMORY, encoded);
        }
        if (!late.isEmpty()) {
            log.info("clusters {} still polling after {} ms; the others were not held up", late, budget.toMillis());
        }
        metrics.sweep(Duration.ofNanos(System.nanoTime() - start), !late.isEmpty());
    }

    /**
     * A fixed place in the interval for each cluster: when all 500 clusters of 1,000 nodes were
     * polled at once, the bursts of 128 runnable threads and their garbage made the JVM grow its
     * heap to its limit (BENCHMARKS.md). The time from a fault to the next poll is the same.
     */
    private static void waitUntil(long nanoTime) {
        for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /** Clusters whose poll has not finished. */
    Set<String> polling() {
        return Set.copyOf(polling);
    }

    /** What the sweeps remember per cluster, as the memory holds it. */
    static Map<String, Map<String, Object>> remembered(Map<String, Object> memory) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        decodeAll(memory.get(MEMORY)).forEach((cluster, encoded) -> out.put(cluster, decode(encoded)));
        return out;
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

    private void saveLateResults(Map<String, String> saved) {
        for (String cluster : List.copyOf(finishedLate.keySet())) {
            Map<String, Object> result = finishedLate.remove(cluster);
            if (result != null && configured.contains(cluster)) {
                // Another replica may have polled the cluster meanwhile: merge with what it saved.
                put(saved, cluster, merge(decode(saved.get(cluster)), result));
            }
        }
    }

    private static void put(Map<String, String> saved, String cluster, Map<String, Object> clusterMemory) {
        String encoded = encode(clusterMemory);
        if (encoded.isEmpty()) {
            saved.remove(cluster);
        } else {
            saved.put(cluster, encoded);
        }
    }

    /**
     * What a poll left, except that a start time never moves back: another replica may have seen
     * a later one while this poll was late.
     */
    static Map<String, Object> merge(Map<String, Object> before, Map<String, Object> result) {
        Map<String, Object> out = new HashMap<>(result);
        before.forEach((key, earlier) -> {
            if (key.startsWith(RestartDetector.KEY_PREFIX) && out.containsKey(key)
                    && millis(earlier) > millis(out.get(key))) {
                out.put(key, earlier);
            }
        });
        return out;
    }

    /**
     * The whole memory is one string, a line per cluster ({@code cluster<TAB>key=value;key=value},
     * in order): a job's data is Java-serialised into the job store on every change and read back
     * on every firing, and one string costs far less there than a map entry per node. Cluster
     * names, node names (in the keys), epoch milliseconds and incident ids contain none of the
     * separators.
     */
    static String encodeAll(Map<String, String> byCluster) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(byCluster).forEach((cluster, encoded) -> sb.append(cluster).append('\t').append(encoded)
                .append('\n'));
        return sb.toString();
    }

    static Map<String, String> decodeAll(Object encoded) {
        Map<String, String> out = new HashMap<>();
        if (encoded == null) {
            return out;
        }
        for (String line : encoded.toString().split("\n")) {
            int at = line.indexOf('\t');
            if (at > 0) {
                out.put(line.substring(0, at), line.substring(at + 1));
            }
        }
        return out;
    }

    static String encode(Map<String, Object> clusterMemory) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(clusterMemory).forEach((key, value) -> {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(key).append('=').append(value);
        });
        return sb.toString();
    }

    static Map<String, Object> decode(String encoded) {
        Map<String, Object> out = new HashMap<>();
        if (encoded == null) {
            return out;
        }
        for (String pair : encoded.split(";")) {
            int at = pair.indexOf('=');
            if (at > 0) {
                out.put(pair.substring(0, at), pair.substring(at + 1));
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

    /** How long {@link #close()} lets running polls finish; a read ends within its node's timeouts. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);

    /**
     * Stops taking polls and lets running ones finish (a poll outliving its sweep, on a hung node,
     * say), so none meets the state database or the node connections already closed.
     */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("polls of {} still running after {} s: stopping without them", polling(),
                        STOP_WAIT.toSeconds());
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
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
