package io.mysqlresync.schedule;

import io.mysqlresync.incident.BotMetrics;
import io.mysqlresync.util.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One poll of the clusters of a monitor shard, the clusters in parallel. Quartz fires one sweep per
 * shard and poll interval whatever the number of clusters (a trigger per cluster made Quartz's
 * JDBC job store the bot's main cost at 500 clusters; BENCHMARKS.md, finding 1). The shards of a
 * replica share the pool.
 *
 * <p>The polls start spread evenly over the first part of the interval. The sweep starts them and
 * does not wait for them: each poll is bounded by its nodes' connection timeouts, and what it
 * leaves for the next poll goes to the state store, so there is nothing to collect. A slow
 * cluster (a hung node, a Slack call taking its time) therefore never holds up the others; a
 * cluster whose poll is still running is skipped until it finishes.
 */
final class MonitorSweep implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MonitorSweep.class);

    private final ClusterMonitor monitor;
    private final Duration spread;
    private final ExecutorService pool;
    /** Clusters whose poll has not finished, here in this process. */
    private final Set<String> polling = ConcurrentHashMap.newKeySet();
    private final BotMetrics metrics;

    /**
     * @param spread  polls start evenly over this part of the interval, not all at once
     * @param threads polls running at once at most
     */
    MonitorSweep(ClusterMonitor monitor, Duration spread, int threads) {
        this(monitor, spread, threads, BotMetrics.NONE);
    }

    /** @param metrics told, when a sweep's last poll ends, how long the sweep took and whether it skipped a cluster */
    MonitorSweep(ClusterMonitor monitor, Duration spread, int threads, BotMetrics metrics) {
        this.metrics = metrics;
        this.monitor = monitor;
        this.spread = spread;
        this.pool = Threads.fixedPool("mysql-resync-monitor", threads);
    }

    /** Starts a poll of every given cluster not still being polled; returns once all are started. */
    void sweep(List<String> clusters) {
        long start = System.nanoTime();
        int skipped = 0;
        // The sweep's duration ends with its last poll, which may be after sweep() returned.
        AtomicInteger left = new AtomicInteger(1);
        AtomicBoolean overran = new AtomicBoolean();
        Runnable done = () -> {
            if (left.decrementAndGet() == 0) metrics.sweep(Duration.ofNanos(System.nanoTime() - start), overran.get());
        };
        for (int i = 0; i < clusters.size(); i++) {
            String cluster = clusters.get(i);
            waitUntil(start + spread.toNanos() * i / clusters.size());
            if (!polling.add(cluster)) {
                log.debug("cluster {}: the previous poll is still running, skipping this one", cluster);
                skipped++;
                continue;
            }
            left.incrementAndGet();
            try {
                pool.execute(() -> pollOne(cluster, done));
            } catch (RuntimeException e) {
                polling.remove(cluster); // the pool is shut down: the bot is stopping
                throw e;
            }
        }
        overran.set(skipped > 0);
        done.run();
        if (skipped > 0) {
            log.info("{} cluster(s) still polling from an earlier sweep were skipped; the others were not held up",
                    skipped);
        }
    }

    /**
     * A fixed place in the interval for each cluster: when all 500 clusters of 1,000 nodes were
     * polled at once, the bursts of 128 runnable threads and their garbage made the JVM grow its
     * heap to its limit (BENCHMARKS.md). The time from a fault to the next poll is the same.
     */
    private static void waitUntil(long nanoTime) {
        for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /** Clusters whose poll has not finished. */
    Set<String> polling() {
        return Set.copyOf(polling);
    }

    private void pollOne(String cluster, Runnable done) {
        try {
            monitor.poll(cluster);
        } finally {
            polling.remove(cluster);
            done.run();
        }
    }

    /** How long {@link #close()} lets running polls finish; a read ends within its node's timeouts. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);

    /**
     * Stops taking polls and lets running ones finish (a poll on a hung node, say), so none meets
     * the state database or the node connections already closed.
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
}
