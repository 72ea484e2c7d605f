package io.mysqlresync.diagnosis;

import java.util.Optional;

/** The source refuses (1236) because the replica applied transactions the source's binlog no longer has. */
final class ReplicaAheadOfSource implements ErrorRule {

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (!e.fatalReadingBinlog()
                || !e.says("not in the master's binlog", "more gtids than", "not in the source's binlog")) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        String name = node.name();
        String sourceName = node.sourceName();
        return Optional.of(node.finding(FindingKind.REPLICA_AHEAD_OF_SOURCE,
                name + " has transactions that " + sourceName + "'s binlog lost",
                name + " already applied transactions from " + sourceName + " that "
                        + sourceName + " no longer has in its binlog, typically because the crash "
                        + "cut the end of " + sourceName + "'s binlog. With GTID the replica cannot "
                        + "simply skip ahead: resuming at " + sourceName + "'s position leaves those transactions on "
                        + name + " only, and is safe only if " + sourceName + " has not reused their numbers since.",
                node.withSourceBinlogs(e.evidence())));
    }
}
