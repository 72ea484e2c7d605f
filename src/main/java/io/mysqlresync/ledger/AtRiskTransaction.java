package io.mysqlresync.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One transaction its origin node committed that the other node holds and the origin may have
 * lost in a crash.
 *
 * @param id          its GTID ("1-1-523", "3E11FA47-...:23") or, without one, its binlog coordinates
 * @param committedAt the commit time from the binlog event header; null when only SHOW ... EVENTS was read
 * @param tables      what it changed, per table, in binlog order
 */
public record AtRiskTransaction(String id, Instant committedAt, List<TableRows> tables) {

    public AtRiskTransaction {
        tables = List.copyOf(tables);
    }

    public Optional<Instant> commitTime() {
        return Optional.ofNullable(committedAt);
    }

    /** Rows changed, or {@link TableRows#UNKNOWN} when any table's count is unknown. */
    public long rows() {
        long sum = 0;
        for (TableRows t : tables) {
            if (!t.rowsKnown()) return TableRows.UNKNOWN;
            sum += t.rows();
        }
        return sum;
    }
}
