package io.mysqlresync.ledger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a crash may have cost, per direction: transactions one node committed that the other
 * node holds and the first may have lost. Read at diagnosis time, before any recovery step
 * discards the relay logs that still hold them.
 *
 * @param read       false when no ledger reader ran (then nothing is known, not "nothing lost")
 * @param directions one ledger per direction with transactions at risk; none when nothing is
 */
public record LossLedger(boolean read, List<DirectionLedger> directions) {

    /** No reader ran: what a diagnosis carries until the adapter reads the logs. */
    public static final LossLedger NOT_READ = new LossLedger(false, List.of());

    public LossLedger {
        directions = List.copyOf(directions);
    }

    public static LossLedger of(List<DirectionLedger> directions) {
        return new LossLedger(true, directions);
    }

    public boolean nothingAtRisk() {
        return read && directions.isEmpty();
    }

    /** The ledger of transactions {@code origin} wrote that {@code holder} has. */
    public Optional<DirectionLedger> direction(String origin, String holder) {
        return directions.stream().filter(d -> d.origin().equals(origin) && d.holder().equals(holder)).findFirst();
    }

    /** True when a targeted check of the named keys is not enough: some direction lacks keys. */
    public boolean needsFullCheck() {
        return directions.stream().anyMatch(DirectionLedger::needsFullCheck);
    }

    /**
     * For the verifier: per schema.table, the primary keys of rows at risk in any direction,
     * each once; check these first.
     */
    public Map<String, List<List<String>>> keysAtRisk() {
        Map<String, Set<List<String>>> merged = new LinkedHashMap<>();
        for (DirectionLedger d : directions) {
            d.keysByTable().forEach((t, keys) -> merged.computeIfAbsent(t, k -> new LinkedHashSet<>()).addAll(keys));
        }
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        merged.forEach((t, keys) -> out.put(t, List.copyOf(keys)));
        return out;
    }

    /** Primary key columns per table, for {@link #keysAtRisk()}. */
    public Map<String, List<String>> keyColumns() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        directions.forEach(d -> d.keyColumns().forEach(out::putIfAbsent));
        return out;
    }

    /** One line per direction; a single line when nothing is at risk. */
    public List<String> lines() {
        if (!read) return List.of();
        if (directions.isEmpty()) return List.of("Loss ledger: no transaction is held by one node only.");
        List<String> out = new ArrayList<>();
        directions.forEach(d -> out.add(d.summary()));
        return out;
    }
}
