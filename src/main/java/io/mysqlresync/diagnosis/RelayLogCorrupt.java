package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ServerErrors;
import io.mysqlresync.replication.StatusField;

import java.util.Optional;
import java.util.Set;

/** The SQL thread cannot parse its relay log, torn by a crash. The seed incident's node1. */
final class RelayLogCorrupt implements ErrorRule {

    private static final Set<Integer> RELAY_LOG_READ_FAILURE =
            Set.of(ServerErrors.RELAY_LOG_READ_FAILURE, ServerErrors.REPLICA_RELAY_LOG_READ_FAILURE);

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (!RELAY_LOG_READ_FAILURE.contains(e.error().code())
                && !e.says("relay log read failure", "could not parse relay log event")) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        ReplicaChannel ch = node.channel();
        Flavor flavor = node.flavor();
        String name = node.name();
        String sourceName = node.sourceName();
        return Optional.of(node.finding(FindingKind.RELAY_LOG_CORRUPT,
                name + "'s relay log is unreadable at " + ch.relayLog(),
                name + "'s SQL thread cannot parse its relay log, the local copy of " + sourceName
                        + "'s binlog, usually because a crash tore it. The events are still in "
                        + sourceName + "'s binlog: " + name + " can fetch them again from the last "
                        + "position it applied, " + ch.executed() + " (" + StatusField.RELAY_SOURCE_LOG_FILE.columnName(flavor)
                        + " / " + StatusField.EXEC_SOURCE_LOG_POS.columnName(flavor) + ").",
                e.evidence()));
    }
}
