package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ReplicationError;
import io.mysqlresync.replication.ServerErrors;
import io.mysqlresync.replication.StatusField;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A replication thread that stopped on an error, as the error rules see it.
 *
 * @param thread   "IO" or "SQL", as the finding names it
 * @param worker   the failing worker's error (MySQL's multithreaded applier), or none
 * @param message  the error's (and worker's) message in lower case, for matching server texts
 * @param evidence the status fields every finding about this thread shows
 */
record ThreadError(NodeFacts node, String thread, ReplicationError error, ReplicationError worker,
                   String message, List<Evidence> evidence) {

    static final String WORKER_ERROR_EVIDENCE = "failing worker (performance_schema.replication_applier_status_by_worker)";

    // MySQL 8 renumbered 1236 for the replica's side of the error.
    private static final Set<Integer> SOURCE_FATAL_READING_BINLOG =
            Set.of(ServerErrors.FATAL_ERROR_READING_BINLOG, ServerErrors.SOURCE_FATAL_ERROR_READING_BINLOG);

    static ThreadError io(NodeFacts node) {
        ReplicaChannel ch = node.channel();
        ReplicationError err = ch.ioError();
        List<Evidence> ev = new ArrayList<>(node.threadEvidence());
        ev.add(node.field(StatusField.LAST_IO_ERRNO, Integer.toString(err.code())));
        ev.add(node.field(StatusField.LAST_IO_ERROR, NodeFacts.clip(err.message())));
        ev.add(node.field(StatusField.SOURCE_LOG_FILE, NodeFacts.file(ch.received())));
        ev.add(node.field(StatusField.READ_SOURCE_LOG_POS, NodeFacts.pos(ch.received())));
        return new ThreadError(node, "IO", err, ReplicationError.NONE, err.message().toLowerCase(Locale.ROOT), ev);
    }

    static ThreadError sql(NodeFacts node) {
        ReplicaChannel ch = node.channel();
        ReplicationError err = ch.sqlError();
        ReplicationError worker = ch.workerError();
        List<Evidence> ev = new ArrayList<>(node.threadEvidence());
        ev.add(node.field(StatusField.LAST_SQL_ERRNO, Integer.toString(err.code())));
        ev.add(node.field(StatusField.LAST_SQL_ERROR, NodeFacts.clip(err.message())));
        if (worker.present()) {
            ev.add(new Evidence(WORKER_ERROR_EVIDENCE, worker.code() + ": " + NodeFacts.clip(worker.message())));
        }
        ev.add(node.field(StatusField.RELAY_LOG_FILE, NodeFacts.file(ch.relayLog())));
        ev.add(node.field(StatusField.RELAY_LOG_POS, NodeFacts.pos(ch.relayLog())));
        ev.add(node.field(StatusField.RELAY_SOURCE_LOG_FILE, NodeFacts.file(ch.executed())));
        ev.add(node.field(StatusField.EXEC_SOURCE_LOG_POS, NodeFacts.pos(ch.executed())));
        ev.add(node.field(StatusField.SOURCE_LOG_FILE, NodeFacts.file(ch.received())));
        ev.add(node.field(StatusField.READ_SOURCE_LOG_POS, NodeFacts.pos(ch.received())));
        // The failing worker's message (MySQL's multithreaded applier) names the statement and row.
        String msg = (err.message() + " " + worker.message()).toLowerCase(Locale.ROOT);
        return new ThreadError(node, "SQL", err, worker, msg, ev);
    }

    /** Whether the thread's or the failing worker's error number is {@code code}. */
    boolean errorOrWorkerIs(int code) {
        return error.code() == code || worker.code() == code;
    }

    boolean says(String... phrases) {
        for (String phrase : phrases) {
            if (message.contains(phrase)) return true;
        }
        return false;
    }

    /** The source refused to send its binlog (1236): the message says why. */
    boolean fatalReadingBinlog() {
        return SOURCE_FATAL_READING_BINLOG.contains(error.code()) || says("fatal error 1236");
    }

    /** The error to quote: the failing worker's when there is one, as it names the statement and row. */
    ReplicationError quoted() {
        return worker.present() ? worker : error;
    }
}
