package io.mysqlresync.replication;

import java.util.OptionalLong;

/**
 * One replication channel of a node, flavor-neutral: every flavor's status columns are mapped
 * to these names once, in the status reader, and nothing downstream knows column names.
 *
 * @param sourceHost        Master_Host / Source_Host
 * @param ioThread          Slave_IO_Running / Replica_IO_Running
 * @param sqlThread         Slave_SQL_Running / Replica_SQL_Running
 * @param received          Master_Log_File + Read_Master_Log_Pos: how far the IO thread read the source
 * @param executed          Relay_Master_Log_File + Exec_Master_Log_Pos: how far the SQL thread applied,
 *                          in the source's coordinates; the safe restart point after relay log damage
 * @param relayLog          Relay_Log_File + Relay_Log_Pos
 * @param secondsBehindSource Seconds_Behind_Master / Seconds_Behind_Source; empty when NULL
 * @param usesGtid          MySQL Auto_Position=1, MariaDB Using_Gtid other than "No"
 * @param gtidMode          the raw GTID mode word (e.g. Slave_Pos, Current_Pos, 1) for messages
 * @param retrievedGtids    Retrieved_Gtid_Set (MySQL) or Gtid_IO_Pos (MariaDB)
 * @param sqlDelaySeconds   SQL_Delay: a delayed replica is not lagging
 * @param workerError       MySQL's multithreaded applier only: the failing worker's own error
 *                          (performance_schema.replication_applier_status_by_worker), when the
 *                          SQL thread error is the coordinator's "error(s) in the worker(s)"
 * @param applier           the applier's settings and the transaction it failed on
 */
public record ReplicaChannel(
        String channelName,
        String sourceHost,
        int sourcePort,
        String sourceUser,
        long sourceServerId,
        ThreadState ioThread,
        ThreadState sqlThread,
        BinlogCoordinates received,
        BinlogCoordinates executed,
        BinlogCoordinates relayLog,
        ReplicationError ioError,
        ReplicationError sqlError,
        OptionalLong secondsBehindSource,
        boolean usesGtid,
        String gtidMode,
        String retrievedGtids,
        long sqlDelaySeconds,
        String sqlThreadState,
        ReplicationError workerError,
        Applier applier) {

    public ReplicaChannel {
        channelName = channelName == null ? "" : channelName;
        ioError = ioError == null ? ReplicationError.NONE : ioError;
        sqlError = sqlError == null ? ReplicationError.NONE : sqlError;
        secondsBehindSource = secondsBehindSource == null ? OptionalLong.empty() : secondsBehindSource;
        gtidMode = gtidMode == null ? "" : gtidMode;
        retrievedGtids = retrievedGtids == null ? "" : retrievedGtids;
        sqlThreadState = sqlThreadState == null ? "" : sqlThreadState;
        workerError = workerError == null ? ReplicationError.NONE : workerError;
        applier = applier == null ? Applier.UNKNOWN : applier;
    }

    /** A channel whose applier settings are not known (status rows replayed without them). */
    public ReplicaChannel(String channelName, String sourceHost, int sourcePort, String sourceUser, long sourceServerId,
                          ThreadState ioThread, ThreadState sqlThread, BinlogCoordinates received,
                          BinlogCoordinates executed, BinlogCoordinates relayLog, ReplicationError ioError,
                          ReplicationError sqlError, OptionalLong secondsBehindSource, boolean usesGtid,
                          String gtidMode, String retrievedGtids, long sqlDelaySeconds, String sqlThreadState,
                          ReplicationError workerError) {
        this(channelName, sourceHost, sourcePort, sourceUser, sourceServerId, ioThread, sqlThread, received, executed,
                relayLog, ioError, sqlError, secondsBehindSource, usesGtid, gtidMode, retrievedGtids, sqlDelaySeconds,
                sqlThreadState, workerError, Applier.UNKNOWN);
    }

    /**
     * MySQL's multithreaded applier stops through its coordinator, whose message names the
     * worker and the transaction but not the failing statement or row; the worker's own error,
     * in performance_schema, does.
     */
    public boolean sqlErrorIsCoordinatorStop() {
        return sqlError.message().startsWith("Coordinator stopped because there were error(s) in the worker(s)");
    }

    public ReplicaChannel withWorkerError(ReplicationError error) {
        return new ReplicaChannel(channelName, sourceHost, sourcePort, sourceUser, sourceServerId, ioThread,
                sqlThread, received, executed, relayLog, ioError, sqlError, secondsBehindSource, usesGtid, gtidMode,
                retrievedGtids, sqlDelaySeconds, sqlThreadState, error, applier);
    }

    public ReplicaChannel withApplier(Applier a) {
        return new ReplicaChannel(channelName, sourceHost, sourcePort, sourceUser, sourceServerId, ioThread,
                sqlThread, received, executed, relayLog, ioError, sqlError, secondsBehindSource, usesGtid, gtidMode,
                retrievedGtids, sqlDelaySeconds, sqlThreadState, workerError, a);
    }

    public boolean bothThreadsRunning() {
        return ioThread == ThreadState.RUNNING && sqlThread == ThreadState.RUNNING;
    }

    /** Bytes of the source's binlog received but not yet applied, when both are in the same file. */
    public OptionalLong unappliedBytesInSameFile() {
        if (received == null || executed == null || !received.file().equals(executed.file())) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(0, received.position() - executed.position()));
    }
}
