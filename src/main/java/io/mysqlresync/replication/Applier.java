package io.mysqlresync.replication;

import java.util.regex.Pattern;

/**
 * What a channel's applier (SQL thread) is set up as, and the transaction it stopped on: read
 * besides the status row, because which skip or re-point statement the server accepts depends
 * on them.
 *
 * @param parallelWorkers      replica_parallel_workers / slave_parallel_workers (MySQL),
 *                             slave_parallel_threads (MariaDB); 0 for a single-threaded applier
 * @param preservesCommitOrder replica_preserve_commit_order (MySQL; ON by default from 8.0.27):
 *                             without it a multithreaded applier can stop with gaps
 * @param failingTransaction   the GTID of the transaction the applier failed on (MySQL:
 *                             performance_schema.replication_applier_status_by_worker's
 *                             APPLYING_TRANSACTION, 5.7's LAST_SEEN_TRANSACTION; MariaDB: the Gtid
 *                             event at the executed position in the source's binlog); empty when unknown
 * @param gtidSlavePos         MariaDB's @@gtid_slave_pos (Gtid_Slave_Pos); empty elsewhere
 */
public record Applier(int parallelWorkers, boolean preservesCommitOrder, String failingTransaction,
                      String gtidSlavePos) {

    public static final Applier UNKNOWN = new Applier(0, true, "", "");

    /** uuid:number, or uuid:tag:number (MySQL 8.3+): nothing else may reach a SET GTID_NEXT. */
    private static final Pattern MYSQL_GTID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(:[A-Za-z_][A-Za-z0-9_]{0,31})?:[1-9][0-9]{0,18}");

    public Applier {
        failingTransaction = failingTransaction == null ? "" : failingTransaction.trim();
        gtidSlavePos = gtidSlavePos == null ? "" : gtidSlavePos.replace("\n", "").trim();
    }

    private static final Pattern MARIADB_GTID = Pattern.compile("[0-9]{1,10}-[0-9]{1,10}-[0-9]{1,20}");

    public static boolean isMariaDbGtid(String gtid) {
        return gtid != null && MARIADB_GTID.matcher(gtid).matches();
    }

    public boolean multithreaded() {
        return parallelWorkers > 0;
    }

    public static boolean isMysqlGtid(String gtid) {
        return gtid != null && MYSQL_GTID.matcher(gtid).matches();
    }

    public Applier withFailingTransaction(String gtid) {
        return new Applier(parallelWorkers, preservesCommitOrder, gtid, gtidSlavePos);
    }

    public Applier withSettings(int workers, boolean preserveOrder) {
        return new Applier(workers, preserveOrder, failingTransaction, gtidSlavePos);
    }
}
