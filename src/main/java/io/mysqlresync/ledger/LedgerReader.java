package io.mysqlresync.ledger;

import io.mysqlresync.replication.ClusterStatus;

import java.util.List;

/**
 * Reads the loss ledger from the nodes' logs (binlogs, relay logs). Implemented by the JDBC and
 * binlog-protocol adapter. Never throws: what it cannot read is in the ledger, with the reason.
 */
public interface LedgerReader {

    /**
     * @param status    the status the diagnosis was drawn from
     * @param truncated each replica whose source's binlog was cut below the replica's read position
     */
    LossLedger read(ClusterStatus status, List<TruncatedBinlog> truncated);
}
