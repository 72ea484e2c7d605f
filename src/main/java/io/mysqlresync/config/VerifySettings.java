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
 * @param afterRecovery     what is compared once replication caught up after a recovery: "full" (the
 *                          ledger's rows, then every replicated table; the default, the safe one),
 *                          "ledger" (only the rows the loss ledger names) or "off" (nothing; the final
 *                          message then says the data was not verified)
 * @param schedule          Quartz cron expression for a verification of every cluster (e.g. "0 0 3 * * ?"),
 *                          empty: no scheduled verification (the default)
 */
public record VerifySettings(List<String> include, List<String> exclude, Duration chunkTime, Duration queryTimeout,
                             Duration maxLag, int maxThreadsRunning, long repairMaxRows, String afterRecovery,
                             String schedule) {

    public static final List<String> AFTER_RECOVERY = List.of("full", "ledger", "off");
    public static final long DEFAULT_REPAIR_MAX_ROWS = 10_000;

    public VerifySettings(List<String> include, List<String> exclude, Duration chunkTime, Duration queryTimeout,
                          Duration maxLag, int maxThreadsRunning, long repairMaxRows) {
        this(include, exclude, chunkTime, queryTimeout, maxLag, maxThreadsRunning, repairMaxRows, "full", "");
    }

    public VerifySettings {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        afterRecovery = afterRecovery == null ? "full" : afterRecovery;
        schedule = schedule == null ? "" : schedule.trim();
    }

    public VerifySettings(List<String> include, List<String> exclude, Duration chunkTime, Duration queryTimeout,
                          Duration maxLag, int maxThreadsRunning) {
        this(include, exclude, chunkTime, queryTimeout, maxLag, maxThreadsRunning, DEFAULT_REPAIR_MAX_ROWS);
    }

    public static VerifySettings defaults() {
        return new VerifySettings(List.of(), List.of(), Duration.ofMillis(100), Duration.ofSeconds(30),
                Duration.ofSeconds(10), 50, DEFAULT_REPAIR_MAX_ROWS, "full", "");
    }
}
