package io.mysqlresync.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Tells drift from writes in flight. Both masters take writes, so two reads a few milliseconds
 * apart differ all the time. A differing row is read again after each node has applied the
 * other's position as of after the first read (every logged write that could explain the
 * difference has then arrived):
 * <ul>
 *   <li>now equal: it was in flight, not drift;</li>
 *   <li>still different, and neither node's copy changed: nothing in flight explains it, so it is
 *       drift (a write that bypassed the binlog, a lost transaction, a conflict that swapped values);</li>
 *   <li>still different but moving: read again, up to {@code rechecks} times; then unsettled,
 *       which leaves the table inconclusive, never identical.</li>
 * </ul>
 */
public final class Settler {

    /** Rows that are drift, rows that never settled and why. */
    public record Outcome(List<RowDifference> drift, List<RowKey> unsettled, String whyUnsettled) {
    }

    private final PairSource source;
    private final int rechecks;

    public Settler(PairSource source, int rechecks) {
        this.source = source;
        this.rechecks = rechecks;
    }

    /** @param firstRead each node's row digests (see {@link PairSource#digests}) */
    public Outcome settle(TableShape table, Map<String, List<Row>> firstRead, CancelToken cancel) {
        Map<RowKey, Map<String, List<String>>> moving = differing(source.nodes(), firstRead);
        List<RowKey> drift = new ArrayList<>();
        String why = "they changed at every one of " + rechecks + " re-checks";
        for (int round = 0; round < rechecks && !moving.isEmpty(); round++) {
            cancel.throwIfCancelled();
            var notCaughtUp = source.catchUp();
            if (notCaughtUp.isPresent()) {
                why = "replication did not catch up to settle them: " + notCaughtUp.get();
                break;
            }
            Map<String, List<Row>> again = source.digests(table, List.copyOf(moving.keySet()));
            Map<RowKey, Map<String, List<String>>> now = snapshot(source.nodes(), again, moving.keySet());
            Map<RowKey, Map<String, List<String>>> stillMoving = new LinkedHashMap<>();
            for (Map.Entry<RowKey, Map<String, List<String>>> e : moving.entrySet()) {
                Map<String, List<String>> current = now.get(e.getKey());
                if (agree(current)) {
                    continue;
                }
                if (current.equals(e.getValue())) {
                    drift.add(e.getKey());
                } else {
                    stillMoving.put(e.getKey(), current);
                }
            }
            moving = stillMoving;
        }
        return new Outcome(show(table, drift), List.copyOf(moving.keySet()), moving.isEmpty() ? null : why);
    }

    /** Every column of the drifted rows, read once they are known to be drift. */
    private List<RowDifference> show(TableShape table, List<RowKey> drift) {
        if (drift.isEmpty()) {
            return List.of();
        }
        Map<RowKey, Map<String, List<String>>> full = snapshot(source.nodes(), source.rows(table, drift), drift);
        List<RowDifference> out = new ArrayList<>();
        for (RowKey k : drift) {
            if (agree(full.get(k))) {
                continue; // repaired between the last check and now: nothing to show
            }
            out.add(new RowDifference(table.table(), table.keyColumns(), k, table.columns(), full.get(k)));
        }
        return out;
    }

    /** Only the rows whose key differs between the nodes (absent on one counts): what is worth keeping to settle. */
    static Map<String, List<Row>> differingRows(List<String> nodes, Map<String, List<Row>> rows) {
        java.util.Set<RowKey> keys = differing(nodes, rows).keySet();
        Map<String, List<Row>> out = new LinkedHashMap<>();
        rows.forEach((node, list) -> out.put(node, list.stream().filter(r -> keys.contains(r.key())).toList()));
        return out;
    }

    /** Per differing key, each node's values (null: absent), in the first node's key order then the rest. */
    static Map<RowKey, Map<String, List<String>>> differing(List<String> nodes, Map<String, List<Row>> rows) {
        Map<RowKey, Map<String, List<String>>> all = new LinkedHashMap<>();
        for (String node : nodes) {
            for (Row r : rows.getOrDefault(node, List.of())) {
                all.computeIfAbsent(r.key(), k -> emptyFor(nodes)).put(node, r.values());
            }
        }
        all.values().removeIf(Settler::agree);
        return all;
    }

    private static Map<RowKey, Map<String, List<String>>> snapshot(List<String> nodes, Map<String, List<Row>> rows,
                                                                   Iterable<RowKey> keys) {
        Map<RowKey, Map<String, List<String>>> out = new HashMap<>();
        for (RowKey k : keys) {
            out.put(k, emptyFor(nodes));
        }
        for (String node : nodes) {
            for (Row r : rows.getOrDefault(node, List.of())) {
                Map<String, List<String>> m = out.get(r.key());
                if (m != null) {
                    m.put(node, r.values());
                }
            }
        }
        return out;
    }

    private static Map<String, List<String>> emptyFor(List<String> nodes) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String n : nodes) {
            m.put(n, null);
        }
        return m;
    }

    static boolean agree(Map<String, List<String>> valuesByNode) {
        List<String> first = null;
        boolean seen = false;
        for (List<String> v : valuesByNode.values()) {
            if (!seen) {
                first = v;
                seen = true;
            } else if (!Objects.equals(first, v)) {
                return false;
            }
        }
        return true;
    }
}
