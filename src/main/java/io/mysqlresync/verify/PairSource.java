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

    /**
     * Starts reading {@link #boundaries} from {@code after} to the end of the table, to run while
     * the caller checksums the chunk before it: node1's scan for the next chunk's part ends then
     * overlaps both nodes' checksums instead of waiting for them. The result is the same as
     * {@link #boundaries}' (any keys of the range cut it exactly; rows written meanwhile only make
     * the parts uneven). A source without a second session of the first node reads them when
     * {@link Pending#get()} asks, as {@link #boundaries} would.
     */
    default Pending<List<RowKey>> boundariesAhead(TableShape table, RowKey after, long step, int count) {
        return new Pending<>() {
            @Override
            public List<RowKey> get() {
                return boundaries(table, after, null, step, count);
            }

            @Override
            public void cancel() {
                // nothing started
            }
        };
    }

    /** A read started ahead of its use. */
    interface Pending<T> {

        /** Waits for the read; throws its {@link VerifyException} as the read itself would have. */
        T get();

        /** Stops the read if it still runs and waits until it has: no statement outlives its table. */
        void cancel();
    }

    /**
     * The span of the first key column's values on the first node when chunks may be cut by
     * value: an integer column whose values are at least 0 and below {@link KeySpan#LIMIT}.
     * Empty otherwise, or for an empty table: chunks are then cut by a key scan.
     */
    default Optional<KeySpan> integerKeySpan(TableShape table) {
        return integerKeySpan(table, -1);
    }

    /**
     * {@link #integerKeySpan(TableShape)} of the values above {@code after} only: where the keys
     * go on past a gap (two probes of the index, not a scan of the gap). Empty when node1 has no
     * key above it.
     */
    default Optional<KeySpan> integerKeySpan(TableShape table, long after) {
        return Optional.empty();
    }

    /**
     * {@link #checksums(TableShape, Chunk, List)} for a chunk cut by value: the same parts as
     * {@code parts.cuts()} give, found by arithmetic on each row's key instead of comparisons.
     */
    default Map<String, List<ChunkChecksum>> checksums(TableShape table, Chunk chunk, EvenParts parts) {
        return checksums(table, chunk, parts.cuts());
    }

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
