package io.mysqlresync.sandbox;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link LocalPair#reproduceSeedIncident()} did on disk and what the servers said afterwards.
 *
 * @param node1Replica        node1's replica status after the restart: SQL thread stopped on the corrupt relay log
 * @param node2Replica        node2's replica status: IO thread refused by node1 (error 1236)
 * @param truncatedBinlog     node1's binlog that node2 was reading when node1 died, e.g. mysql-bin.000001
 * @param binlogSizeAtCrash   its size right after kill -9
 * @param binlogTruncatedTo   its size after the simulated torn write (smaller than node2's read position)
 * @param node2ReadPosition   node2's Read_Master_Log_Pos in that file when node1 died
 * @param corruptedRelayLog   node1's relay log holding the unexecuted events, e.g. relay-bin.000002
 * @param relayLogExecutedUpTo node1's Relay_Log_Pos before the crash: everything after it was unexecuted
 * @param corruptedEventAt    offset of the relay log event whose bytes were overwritten
 * @param node1NewBinlog      the binlog node1 started on restart, where node2 must resume
 * @param took                wall time of the whole reproduction
 */
public record SeedIncident(
        Map<String, String> node1Replica,
        Map<String, String> node2Replica,
        String truncatedBinlog,
        long binlogSizeAtCrash,
        long binlogTruncatedTo,
        long node2ReadPosition,
        String corruptedRelayLog,
        long relayLogExecutedUpTo,
        long corruptedEventAt,
        String node1NewBinlog,
        Duration took) {

    public SeedIncident {
        // Kept in the server's column order and with its NULLs (Seconds_Behind_Master of a stopped thread).
        node1Replica = Collections.unmodifiableMap(new LinkedHashMap<>(node1Replica));
        node2Replica = Collections.unmodifiableMap(new LinkedHashMap<>(node2Replica));
    }
}
