package io.mysqlresync.repair;

import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.verify.TableRef;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bot's suggestion of a table's source of truth, and why. Only the loss ledger gives one:
 * a transaction the crashed node lost still lives on the node that holds it, so that node is
 * right for those rows. Without the ledger, or when both directions touched the table, the
 * bot does not guess: the approver chooses.
 */
public record SourceSuggestion(String node, String reason) {

    public static Map<TableRef, SourceSuggestion> fromLedger(LossLedger ledger, Set<TableRef> tables) {
        Map<TableRef, Set<String>> holders = new LinkedHashMap<>();
        Map<TableRef, String> reasons = new LinkedHashMap<>();
        if (ledger != null) {
            for (DirectionLedger d : ledger.directions()) {
                for (String t : d.tables()) {
                    int dot = t.indexOf('.');
                    if (dot < 0) continue;
                    TableRef ref = new TableRef(t.substring(0, dot), t.substring(dot + 1));
                    holders.computeIfAbsent(ref, k -> new LinkedHashSet<>()).add(d.holder());
                    reasons.put(ref, "the loss ledger: " + d.origin() + " lost transactions on " + t + " that "
                            + d.holder() + " still has (" + d.cause() + ")");
                }
            }
        }
        Map<TableRef, SourceSuggestion> out = new LinkedHashMap<>();
        for (TableRef t : tables) {
            Set<String> h = holders.get(t);
            if (h != null && h.size() == 1) {
                out.put(t, new SourceSuggestion(h.iterator().next(), reasons.get(t)));
            }
        }
        return out;
    }

    public static Optional<SourceSuggestion> of(Map<TableRef, SourceSuggestion> all, TableRef t) {
        return Optional.ofNullable(all.get(t));
    }

    static final String NONE = "no suggestion: the loss ledger names no transaction on this table that one node lost;"
            + " the approver chooses the node whose rows are right";

    static List<String> noneReason() {
        return List.of(NONE);
    }
}
