package io.mysqlresync.config;

import java.time.Duration;
import java.util.List;

/**
 * Drift verification (`verify`): what to compare and how hard to push the servers.
 *
 * @param include           "schema" or "schema.table" compared when the command names none; empty: every replicated table
 * @param exclude           never compared, on top of mysql, sys, information_schema, performance_schema and the state schema
 * @param chunkTime         time target per chunk checksum (pt-table-checksum: 0.5 s; see VerifyOptions)
 * @param queryTimeout      per statement on a node
 * @param maxLag            pause while a node is further behind than this
 * @param maxThreadsRunning pause while a node runs more threads than this
 * @param repairMaxRows     a repair of more differing rows is refused: rebuild the node instead
 */
public record VerifySettings(List<String> include, List<String> exclude, Duration chunkTime, Duration queryTimeout,
                             Duration maxLag, int maxThreadsRunning, long repairMaxRows) {

    public static final long DEFAULT_REPAIR_MAX_ROWS = 10_000;

    public VerifySettings(List<String> include, List<String> exclude, Duration chunkTime, Duration queryTimeout,
                          Duration maxLag, int maxThreadsRunning) {
        this(include, exclude, chunkTime, queryTimeout, maxLag, maxThreadsRunning, DEFAULT_REPAIR_MAX_ROWS);
    }

    public VerifySettings {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public static VerifySettings defaults() {
        return new VerifySettings(List.of(), List.of(), Duration.ofMillis(100), Duration.ofSeconds(30),
                Duration.ofSeconds(10), 50);
    }
}
