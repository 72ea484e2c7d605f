package io.mysqlresync.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Two nodes of one table (id, v) in memory, with replication as queues: a write on one node
 * reaches the other only at the next catch-up, as under a real write load; a planted write
 * (sql_log_bin=0) never does.
 */
final class FakePair implements PairSource {

    static final TableShape ITEMS = new TableShape(new TableRef("shop", "items"), List.of("id", "v"),
            KeyKind.PRIMARY, List.of("id"), 0);
    static final TableShape LOG = new TableShape(new TableRef("shop", "log"), List.of("id", "v"),
            KeyKind.NONE, List.of(), 0);

    final Map<String, TreeMap<Long, String>> data = new LinkedHashMap<>();
    final Map<String, List<Runnable>> inFlight = new LinkedHashMap<>();
    final List<Runnable> afterEachCatchUp = new ArrayList<>();
    final List<Duration> pauses = new ArrayList<>();
    final List<Long> chunkSizes = new ArrayList<>();
    /** Every boundaries, read-ahead and part-checksum call in order, e.g. "ahead after 640", "checksum chunk 0". */
    final List<String> calls = new ArrayList<>();
    /** Run right after a read ahead has taken its keys: writes that land before those keys are used. */
    final List<java.util.function.Consumer<List<RowKey>>> afterEachReadAhead = new ArrayList<>();
    final List<Runnable> afterEachChecksum = new ArrayList<>();
    /** Offer the key span, so chunks are cut by value (the adapter does so for integer keys). */
    boolean byValue;
    /** A chunk by value for which this says true outruns the query timeout. */
    java.util.function.Predicate<Chunk> valueChunkTimesOut = c -> false;
    /** Rows per chunk cut by value, on node1, in order. */
    final List<Long> valueChunkRows = new ArrayList<>();
    int readAheadsCancelled;
    String catchUpFails;
    int catchUps;
    int highLoadSamples;
    /** The most rows one node sent in one digests call: what bisection keeps small. */
    int largestDigestRead;
    long nanos;

    FakePair() {
        for (String n : nodes()) {
            data.put(n, new TreeMap<>());
            inFlight.put(n, new ArrayList<>());
        }
    }

    /** Rows 1..n with the same values on both nodes. */
    FakePair withRows(int n) {
        for (long id = 1; id <= n; id++) {
            for (String node : nodes()) {
                data.get(node).put(id, "v" + id);
            }
        }
        return this;
    }

    /** A replicated write: done on {@code node} now, on the other at the next catch-up. null deletes. */
    void write(String node, long id, String value) {
        apply(node, id, value);
        String other = other(node);
        inFlight.get(other).add(() -> apply(other, id, value));
    }

    /** SET sql_log_bin=0: on this node only, forever. */
    void plant(String node, long id, String value) {
        apply(node, id, value);
    }

    private void apply(String node, long id, String value) {
        if (value == null) {
            data.get(node).remove(id);
        } else {
            data.get(node).put(id, value);
        }
    }

    static String other(String node) {
        return node.equals("node1") ? "node2" : "node1";
    }

    @Override
    public List<String> nodes() {
        return List.of("node1", "node2");
    }

    @Override
    public List<RowKey> boundaries(TableShape table, RowKey after, RowKey upTo, long step, int count) {
        chunkSizes.add(step * count);
        calls.add("boundaries after " + (after == null ? "start" : after.values().get(0)));
        return ends(after, upTo, step, count);
    }

    private List<RowKey> ends(RowKey after, RowKey upTo, long step, int count) {
        Map<Long, String> tail = range("node1", new Chunk(0, after, upTo));
        List<RowKey> out = new ArrayList<>();
        long i = 0;
        for (Long id : tail.keySet()) {
            if (++i % step == 0) {
                out.add(RowKey.of(Long.toString(id)));
                if (out.size() == count) {
                    break;
                }
            }
        }
        return out;
    }

    /** Reads the keys at once, as a second session would while the caller goes on; hands them over when asked. */
    @Override
    public Pending<List<RowKey>> boundariesAhead(TableShape table, RowKey after, long step, int count) {
        calls.add("ahead after " + (after == null ? "start" : after.values().get(0)));
        chunkSizes.add(step * count);
        List<RowKey> read = ends(after, null, step, count);
        afterEachReadAhead.forEach(hook -> hook.accept(read));
        return new Pending<>() {
            @Override
            public List<RowKey> get() {
                return read;
            }

            @Override
            public void cancel() {
                readAheadsCancelled++;
            }
        };
    }

    @Override
    public Optional<KeySpan> integerKeySpan(TableShape table, long after) {
        java.util.NavigableMap<Long, String> d = data.get("node1").tailMap(after, false);
        if (!byValue) {
            return Optional.empty();
        }
        calls.add("key span after " + after);
        if (d.isEmpty() || d.firstKey() < 0) {
            return Optional.empty();
        }
        return Optional.of(new KeySpan(d.firstKey(), d.lastKey()));
    }

    /** The parts the cuts give, as the interface says: the adapter's arithmetic is tested on real servers. */
    @Override
    public Map<String, List<ChunkChecksum>> checksums(TableShape table, Chunk chunk, EvenParts parts) {
        calls.add("by value chunk " + chunk.index());
        if (valueChunkTimesOut.test(chunk)) {
            throw new VerifyException(InconclusiveReason.TIMEOUT, "node1: checksumming took longer than the query timeout");
        }
        Map<String, List<ChunkChecksum>> out = partSums(chunk, parts.cuts());
        valueChunkRows.add(out.get("node1").stream().mapToLong(ChunkChecksum::rows).sum());
        afterEachChecksum.forEach(Runnable::run);
        return out;
    }

    @Override
    public Map<String, List<ChunkChecksum>> checksums(TableShape table, Chunk chunk, List<RowKey> cuts) {
        calls.add("checksum chunk " + chunk.index());
        Map<String, List<ChunkChecksum>> out = partSums(chunk, cuts);
        afterEachChecksum.forEach(Runnable::run);
        return out;
    }

    private Map<String, List<ChunkChecksum>> partSums(Chunk chunk, List<RowKey> cuts) {
        Map<String, List<ChunkChecksum>> out = new LinkedHashMap<>();
        for (String n : nodes()) {
            out.put(n, new ArrayList<>());
        }
        for (int i = 0; i <= cuts.size(); i++) {
            Chunk part = new Chunk(chunk.index(), i == 0 ? chunk.after() : cuts.get(i - 1),
                    i == cuts.size() ? chunk.upTo() : cuts.get(i));
            checksums(null, part).forEach((n, sum) -> out.get(n).add(sum));
        }
        return out;
    }

    private Map<Long, String> range(String node, Chunk c) {
        TreeMap<Long, String> d = data.get(node);
        long from = c.after() == null ? Long.MIN_VALUE : Long.parseLong(c.after().values().get(0)) + 1;
        long to = c.upTo() == null ? Long.MAX_VALUE : Long.parseLong(c.upTo().values().get(0));
        return from > to ? Map.of() : d.subMap(from, true, to, true);
    }

    @Override
    public Map<String, ChunkChecksum> checksums(TableShape table, Chunk chunk) {
        Map<String, ChunkChecksum> out = new LinkedHashMap<>();
        for (String n : nodes()) {
            Map<Long, String> r = range(n, chunk);
            nanos += r.size() * 1000L; // 1 µs a row
            out.put(n, new ChunkChecksum(r.size(), Integer.toHexString(new TreeMap<>(r).hashCode())));
        }
        return out;
    }

    @Override
    public Map<String, List<Row>> digests(TableShape table, Chunk chunk) {
        Map<String, List<Row>> out = new LinkedHashMap<>();
        for (String n : nodes()) {
            out.put(n, range(n, chunk).entrySet().stream().map(FakePair::row).map(FakePair::digest).toList());
            largestDigestRead = Math.max(largestDigestRead, out.get(n).size());
        }
        return out;
    }

    @Override
    public Map<String, List<Row>> digests(TableShape table, Collection<RowKey> keys) {
        Map<String, List<Row>> out = new LinkedHashMap<>();
        rows(table, keys).forEach((n, rows) -> out.put(n, rows.stream().map(FakePair::digest).toList()));
        return out;
    }

    private static Row digest(Row r) {
        return new Row(r.key(), List.of(Integer.toHexString(r.values().hashCode())));
    }

    @Override
    public Map<String, List<Row>> rows(TableShape table, Collection<RowKey> keys) {
        Map<String, List<Row>> out = new LinkedHashMap<>();
        for (String n : nodes()) {
            List<Row> rows = new ArrayList<>();
            for (RowKey k : keys) {
                long id = Long.parseLong(k.values().get(0));
                String v = data.get(n).get(id);
                if (v != null) {
                    rows.add(row(Map.entry(id, v)));
                }
            }
            out.put(n, rows);
        }
        return out;
    }

    private static Row row(Map.Entry<Long, String> e) {
        return new Row(RowKey.of(Long.toString(e.getKey())), List.of(Long.toString(e.getKey()), e.getValue()));
    }

    @Override
    public Optional<String> catchUp() {
        catchUps++;
        calls.add("catch-up");
        if (catchUpFails != null) {
            return Optional.of(catchUpFails);
        }
        for (String n : nodes()) {
            List<Runnable> q = inFlight.get(n);
            q.forEach(Runnable::run);
            q.clear();
        }
        afterEachCatchUp.forEach(Runnable::run);
        return Optional.empty();
    }

    @Override
    public LoadSample load() {
        if (highLoadSamples > 0) {
            highLoadSamples--;
            return new LoadSample(Map.of("node1", Duration.ofSeconds(60)), Map.of());
        }
        return new LoadSample(Map.of("node1", Duration.ZERO, "node2", Duration.ZERO), Map.of("node1", 3, "node2", 3));
    }

    @Override
    public void pause(Duration d, CancelToken cancel) {
        pauses.add(d);
        nanos += d.toNanos();
    }
}
