package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ThreadState;

import java.util.Optional;

/** A replication thread stopped without an error: someone ran STOP SLAVE / STOP REPLICA. */
final class ThreadsStoppedByOperator implements NodeRule {

    @Override
    public Optional<Finding> diagnose(NodeFacts node) {
        ReplicaChannel ch = node.channel();
        boolean ioStopped = ch.ioThread() == ThreadState.STOPPED;
        boolean sqlStopped = ch.sqlThread() == ThreadState.STOPPED;
        if (!ioStopped && !sqlStopped) {
            return Optional.empty();
        }
        String which = ioStopped && sqlStopped ? "both replication threads are"
                : (ioStopped ? "the IO (receiver) thread is" : "the SQL (applier) thread is");
        String name = node.name();
        return Optional.of(node.finding(FindingKind.THREADS_STOPPED_BY_OPERATOR,
                "On " + name + " " + which + " stopped, with no error",
                "Replication on " + name + " was stopped without an error, usually by someone "
                        + "running STOP SLAVE/STOP REPLICA. Changes from " + node.sourceName()
                        + " pile up until it is started again. Check nobody stopped it on purpose.",
                node.threadEvidence()));
    }
}
