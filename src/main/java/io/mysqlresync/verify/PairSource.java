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
     * On the first node, in one statement: the keys at positions {@code step}, 2·{@code step}, …,
     * {@code count}·{@code step} after {@code after} (null: from the start) and at most {@code upTo}
     * (null: to the end), fewer when fewer rows remain. They cut a chunk into parts; ranges come
     * from one node and apply to both.
     */
    List<RowKey> boundaries(TableShape table, RowKey after, RowKey upTo, long step, int count);

    /** The checksum of the whole chunk on each node (a table without a key: {@link Chunk#whole()}). */
    Map<String, ChunkChecksum> checksums(TableShape table, Chunk chunk);

    /**
     * Each node's checksum of each part of the chunk, all parts in one statement per node: part
     * {@code i} holds the keys after cut {@code i-1} (the chunk's start for the first) and at most
     * cut {@code i} (the chunk's end for the last), so {@code cuts.size() + 1} parts, an empty one
     * as 0 rows. One read of the chunk tells which of its parts differ.
     */
    Map<String, List<ChunkChecksum>> checksums(TableShape table, Chunk chunk, List<RowKey> cuts);

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
