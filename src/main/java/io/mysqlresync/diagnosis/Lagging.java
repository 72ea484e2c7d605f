package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.StatusField;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Both threads run but the replica applies late; an intended SQL_Delay does not count. */
final class Lagging implements NodeRule {

    @Override
    public Optional<Finding> diagnose(NodeFacts node) {
        ReplicaChannel ch = node.channel();
        if (ch.secondsBehindSource().isEmpty()
                || ch.secondsBehindSource().getAsLong() - ch.sqlDelaySeconds() <= node.thresholds().lagWarningSeconds()) {
            return Optional.empty();
        }
        long lag = ch.secondsBehindSource().getAsLong();
        List<Evidence> ev = new ArrayList<>(node.threadEvidence());
        ev.add(node.field(StatusField.SECONDS_BEHIND_SOURCE, Long.toString(lag)));
        ev.add(node.field(StatusField.SOURCE_LOG_FILE, NodeFacts.file(ch.received())));
        ev.add(node.field(StatusField.READ_SOURCE_LOG_POS, NodeFacts.pos(ch.received())));
        ev.add(node.field(StatusField.RELAY_SOURCE_LOG_FILE, NodeFacts.file(ch.executed())));
        ev.add(node.field(StatusField.EXEC_SOURCE_LOG_POS, NodeFacts.pos(ch.executed())));
        String name = node.name();
        String sourceName = node.sourceName();
        return Optional.of(node.finding(FindingKind.LAGGING,
                name + " is " + NodeFacts.human(lag) + " behind " + sourceName,
                "Both threads run, but " + name + " applies " + sourceName + "'s changes "
                        + NodeFacts.human(lag) + " late. Reads on " + name + " are stale; it should catch up "
                        + "on its own unless the write load is higher than it can apply.",
                ev));
    }
}
