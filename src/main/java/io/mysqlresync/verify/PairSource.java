package io.mysqlresync.verify;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two nodes of a pair as the verifier reads them, each directly (not through replication).
 * Every map is keyed by node name in {@link #nodes()} order. Implementations throw
 * {@link VerifyException} for a check that cannot finish (timeout, privilege, node gone).
 */
public interface PairSource {

    List<String> nodes();

    /**
     * On the first node: the key of the {@code rows}-th row after {@code after} (null: from the
     * start) and at most {@code upTo} (null: to the end), or empty when fewer rows remain.
     * Chunk ranges come from one node and apply to both.
     */
    Optional<RowKey> boundary(TableShape table, RowKey after, RowKey upTo, long rows);

    Map<String, ChunkChecksum> checksums(TableShape table, Chunk chunk);

    /**
     * Every row of the chunk on each node, in key order, as its key and one digest of all its
     * columns: narrowing a chunk moves a few bytes per row, not the rows.
     */
    Map<String, List<Row>> digests(TableShape table, Chunk chunk);

    /** The digests of the rows with these keys on each node (a key a node lacks is not in its list). */
    Map<String, List<Row>> digests(TableShape table, Collection<RowKey> keys);

    /** The rows with these keys on each node, every column: for showing the DBA what differs. */
    Map<String, List<Row>> rows(TableShape table, Collection<RowKey> keys);

    /**
     * Reads each node's binlog position now and waits until the other node has applied it.
     * Empty when both did; else why not (replication stopped, timed out), which leaves any
     * difference seen before it unsettled.
     */
    Optional<String> catchUp();

    /** Replication lag and Threads_running on each node now, for throttling. */
    LoadSample load();

    /** Waits, unless cancelled first: the adapter's clock, so tests need not sleep. */
    void pause(java.time.Duration d, CancelToken cancel);
}
