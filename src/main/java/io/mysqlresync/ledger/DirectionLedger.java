package io.mysqlresync.ledger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ledger of one direction: the transactions {@code origin} wrote that {@code holder} has and
 * origin may have lost, so they "may exist on holder only".
 *
 * @param cause        why they are at risk, e.g. "cut from node1's binlog mysql-bin.000001 by the crash"
 * @param range        which transactions: "GTIDs 1-1-501 to 1-1-520"
 * @param expected     how many transactions the range holds, or -1 when only the read tells
 * @param transactions what was read, in commit order; empty when nothing could be read
 * @param problems     what could not be read, and why
 * @param evidence     the figures the range was drawn from (binlog sizes, positions, GTID positions)
 */
public record DirectionLedger(String origin, String holder, String cause, String range, long expected,
                              List<AtRiskTransaction> transactions, List<CouldNotRead> problems,
                              List<String> evidence) {

    /** How much of the ledger could be read. */
    public enum Completeness {
        /** Every transaction with its rows and primary keys. */
        COMPLETE,
        /** Some transactions, or their tables without every row or key: the rest is unknown. */
        PARTIAL,
        /** Not the transactions themselves: only that some may be lost. */
        UNREADABLE
    }

    public DirectionLedger {
        transactions = List.copyOf(transactions);
        problems = List.copyOf(problems);
        evidence = List.copyOf(evidence);
    }

    public Completeness completeness() {
        if (transactions.isEmpty()) {
            return expected == 0 && problems.isEmpty() ? Completeness.COMPLETE : Completeness.UNREADABLE;
        }
        boolean keys = transactions.stream().allMatch(t -> t.tables().stream().allMatch(TableRows::keysKnown));
        boolean all = expected < 0 || transactions.size() >= expected;
        return keys && all && problems.isEmpty() ? Completeness.COMPLETE : Completeness.PARTIAL;
    }

    /** Anything short of every key means the targeted check cannot be trusted alone. */
    public boolean needsFullCheck() {
        return completeness() != Completeness.COMPLETE;
    }

    public long rows() {
        long sum = 0;
        for (AtRiskTransaction t : transactions) {
            if (t.rows() == TableRows.UNKNOWN) return TableRows.UNKNOWN;
            sum += t.rows();
        }
        return sum;
    }

    /** schema.table to the primary keys of its at-risk rows, each once, in binlog order. */
    public Map<String, List<List<String>>> keysByTable() {
        Map<String, Set<List<String>>> keys = new LinkedHashMap<>();
        for (AtRiskTransaction t : transactions) {
            for (TableRows r : t.tables()) {
                keys.computeIfAbsent(r.table(), k -> new LinkedHashSet<>()).addAll(r.keys());
            }
        }
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        keys.forEach((table, set) -> out.put(table, List.copyOf(set)));
        return out;
    }

    /** Tables touched, each once, in binlog order. */
    public List<String> tables() {
        Set<String> tables = new LinkedHashSet<>();
        transactions.forEach(t -> t.tables().forEach(r -> tables.add(r.table())));
        return List.copyOf(tables);
    }

    /** Primary key columns per table, as read from the row images' table. */
    public Map<String, List<String>> keyColumns() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        transactions.forEach(t -> t.tables().forEach(r -> {
            if (!r.keyColumns().isEmpty()) out.putIfAbsent(r.table(), r.keyColumns());
        }));
        return out;
    }

    /**
     * One line in the DBA's words: "3 transactions on shop.orders, 12 rows, ids 547–558, may
     * exist on node2 only (cut from node1's binlog by the crash)".
     */
    public String summary() {
        String where = "may exist on " + holder + " only (" + cause + ")";
        if (completeness() == Completeness.UNREADABLE) {
            String what = (expected > 0 ? plural(expected, "transaction") + ", " : "") + range;
            return "Could not read what " + where + ": " + what + ". "
                    + problemText() + " A full check of every replicated table follows.";
        }
        StringBuilder sb = new StringBuilder(plural(transactions.size(), "transaction"));
        List<String> tables = tables();
        sb.append(" on ").append(tables.size() <= 3 ? joinAnd(tables) : tables.size() + " tables");
        long rows = rows();
        if (rows != TableRows.UNKNOWN) {
            sb.append(", ").append(plural(rows, "row"));
        }
        if (keysByTable().values().stream().anyMatch(k -> !k.isEmpty())) {
            List<String> keyParts = new ArrayList<>();
            Map<String, List<String>> columns = keyColumns();
            keysByTable().forEach((table, keys) -> {
                if (!keys.isEmpty()) {
                    keyParts.add((tables.size() > 1 ? table + " " : "")
                            + describeKeys(columns.getOrDefault(table, List.of()), keys));
                }
            });
            sb.append(", ").append(String.join("; ", keyParts));
        }
        sb.append(", ").append(where);
        if (completeness() == Completeness.PARTIAL) {
            sb.append(". Not known: ").append(problemText()).append(" A full check follows.");
        }
        return sb.toString();
    }

    private String problemText() {
        if (problems.isEmpty()) return "the logs did not say.";
        StringBuilder sb = new StringBuilder();
        for (CouldNotRead p : problems) {
            sb.append(p.sentence()).append(". ");
        }
        return sb.toString().trim();
    }

    /** "ids 547–558" for a numeric one-column key, "ids 3, 5, 9" for a few, else first and last tuples. */
    static String describeKeys(List<String> columns, List<List<String>> keys) {
        String name = columns.size() == 1 ? columns.get(0) + "s" : "keys (" + String.join(", ", columns) + ")";
        if (keys.isEmpty()) return "no " + name;
        List<String> shown = keys.stream().map(k -> k.size() == 1 ? k.get(0) : "(" + String.join(", ", k) + ")").toList();
        if (shown.size() <= 4) return name + " " + String.join(", ", shown);
        boolean numeric = columns.size() == 1 && keys.stream().allMatch(k -> k.get(0).matches("-?\\d{1,18}"));
        if (numeric) {
            long min = keys.stream().mapToLong(k -> Long.parseLong(k.get(0))).min().orElseThrow();
            long max = keys.stream().mapToLong(k -> Long.parseLong(k.get(0))).max().orElseThrow();
            return name + " " + min + "–" + max;
        }
        return name + " " + shown.get(0) + " … " + shown.get(shown.size() - 1);
    }

    static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static String joinAnd(List<String> items) {
        if (items.size() <= 1) return String.join("", items);
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
