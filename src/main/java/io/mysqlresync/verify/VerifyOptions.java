package io.mysqlresync.verify;

import java.time.Duration;
import java.util.List;

/**
 * How hard and how long to look.
 *
 * @param chunkTime        time target per chunk checksum. pt-table-checksum's --chunk-time is 0.5 s; 0.1 s
 *                         here, because under writes on both masters a bigger chunk more often holds a
 *                         write in flight and must be narrowed (1 M rows: 0.1 s took half the time of
 *                         0.5 s, BENCHMARKS.md)
 * @param initialChunkRows rows in the first chunk of a table, before any timing is known
 * @param rechecks         times a differing row is re-read after a catch-up before it is called unsettled
 * @param catchUpTimeout   how long one node may take to apply the other's position
 * @param queryTimeout     per statement, enforced by the server and the driver
 * @param timeout          the whole verification; tables not done by then are inconclusive
 * @param maxLag           pause while any node is further behind its source than this (--max-lag)
 * @param maxThreadsRunning pause while any node runs more threads than this (--max-load Threads_running)
 * @param excluded         never compared: "schema" (the system schemas, the bot's own state schema) or
 *                         "schema.table"; a table the request names explicitly is compared anyway
 */
public record VerifyOptions(Duration chunkTime, long initialChunkRows, int rechecks, Duration catchUpTimeout,
                            Duration queryTimeout, Duration timeout, Duration maxLag, int maxThreadsRunning,
                            List<String> excluded) {

    public static final List<String> SYSTEM_SCHEMAS =
            List.of("mysql", "sys", "information_schema", "performance_schema");

    public VerifyOptions {
        excluded = List.copyOf(excluded);
    }

    public static VerifyOptions defaults() {
        return new VerifyOptions(Duration.ofMillis(100), 1000, 5, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofHours(6), Duration.ofSeconds(10), 50, SYSTEM_SCHEMAS);
    }

    public VerifyOptions withTimeout(Duration t) {
        return new VerifyOptions(chunkTime, initialChunkRows, rechecks, catchUpTimeout, queryTimeout, t, maxLag,
                maxThreadsRunning, excluded);
    }

    public VerifyOptions withQueryTimeout(Duration t) {
        return new VerifyOptions(chunkTime, initialChunkRows, rechecks, catchUpTimeout, t, timeout, maxLag,
                maxThreadsRunning, excluded);
    }

    public VerifyOptions withChunkTime(Duration t, long initialRows) {
        return new VerifyOptions(t, initialRows, rechecks, catchUpTimeout, queryTimeout, timeout, maxLag,
                maxThreadsRunning, excluded);
    }
}
