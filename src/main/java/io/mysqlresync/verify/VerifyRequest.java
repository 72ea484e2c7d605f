package io.mysqlresync.verify;

import java.util.List;
import java.util.Map;

/**
 * What to compare.
 *
 * @param tables     "schema" or "schema.table" as the user typed them; empty: every replicated table
 *                   except the excluded schemas. Matched against the catalog, never put into SQL.
 * @param keysFirst  rows to check before anything else (from the loss ledger), per table
 * @param keysOnly   compare only {@code keysFirst} (seconds), not the whole tables
 * @param keysExact  the keys are spelled as a verification read them from these tables (a repair's
 *                   re-check), so a key absent on both nodes is a row both lack; a ledger's keys
 *                   may be spelled otherwise, and then absence proves nothing
 */
public record VerifyRequest(List<String> tables, Map<TableRef, List<RowKey>> keysFirst, boolean keysOnly,
                            boolean keysExact) {

    public VerifyRequest {
        tables = List.copyOf(tables);
        keysFirst = Map.copyOf(keysFirst);
    }

    public VerifyRequest(List<String> tables, Map<TableRef, List<RowKey>> keysFirst, boolean keysOnly) {
        this(tables, keysFirst, keysOnly, false);
    }

    public static VerifyRequest all() {
        return new VerifyRequest(List.of(), Map.of(), false);
    }

    public static VerifyRequest of(List<String> tables) {
        return new VerifyRequest(tables, Map.of(), false);
    }
}
