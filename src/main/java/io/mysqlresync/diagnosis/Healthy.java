package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.StatusField;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Both threads run within the lag threshold. Registered last: it always matches. */
final class Healthy implements NodeRule {

    @Override
    public Optional<Finding> diagnose(NodeFacts node) {
        ReplicaChannel ch = node.channel();
        List<Evidence> ev = new ArrayList<>(node.threadEvidence());
        ev.add(node.field(StatusField.SECONDS_BEHIND_SOURCE,
                ch.secondsBehindSource().isPresent() ? Long.toString(ch.secondsBehindSource().getAsLong()) : null));
        return Optional.of(node.finding(FindingKind.HEALTHY,
                node.name() + " replicates from " + node.sourceName() + " and is in sync",
                "Both replication threads run and the lag is within "
                        + node.thresholds().lagWarningSeconds() + " s.",
                ev));
    }
}
