package io.mysqlresync.diagnosis;

import java.util.Optional;

/** The source refuses (1236) because it already purged the binlogs the replica asks for. */
final class SourceBinlogsPurged implements ErrorRule {

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (!e.fatalReadingBinlog()
                || !e.says("purged", "could not find first log file name", "could not find gtid state")) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        String name = node.name();
        String sourceName = node.sourceName();
        return Optional.of(node.finding(FindingKind.SOURCE_BINLOGS_PURGED,
                sourceName + " no longer has the binlogs " + name + " needs",
                name + " asks " + sourceName + " for changes from a binlog (or GTID) that "
                        + sourceName + " has already purged. Those changes cannot be replayed "
                        + "from the source any more: " + name + " has to be rebuilt from a backup "
                        + "or clone of " + sourceName + ".",
                node.withSourceBinlogs(e.evidence())));
    }
}
