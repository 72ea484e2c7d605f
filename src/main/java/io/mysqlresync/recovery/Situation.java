package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;

import java.util.Optional;

/**
 * A finding to fix, the cluster status it was drawn from and the loss ledger read with it: what a
 * recipe plans with.
 */
record Situation(Finding finding, ClusterStatus status, LossLedger ledger) {

    Situation {
        ledger = ledger == null ? LossLedger.NOT_READ : ledger;
    }

    /** The transactions {@code origin} wrote that {@code holder} may hold alone, in one line, or why they are not listed. */
    String atRisk(String origin, String holder) {
        if (!ledger.read()) {
            return "Not listed: the loss ledger was not read, so the transactions " + holder + " received past the end of "
                    + origin + "'s binlog are unknown; compare every replicated table after recovery.";
        }
        return ledger.direction(origin, holder).map(DirectionLedger::summary)
                .orElse("None: " + holder + " holds no transaction of " + origin + " that " + origin
                        + "'s binlog lost (GTID positions compared).");
    }

    /** The node the finding is about, where the fix runs; recipes for reachable nodes only ask for it. */
    NodeStatus node() {
        return status.node(finding.node()).orElseThrow();
    }

    /** The finding's replication channel; recipes ask only for findings about a channel. */
    ReplicaChannel channel() {
        NodeStatus n = status.node(finding.node()).filter(NodeStatus::reachable).orElseThrow();
        return n.channels().stream().filter(c -> c.channelName().equals(finding.channel())).findFirst()
                .or(n::replica).orElseThrow();
    }

    /**
     * The node's dialect, naming the finding's channel whenever the node has more than one or the
     * channel has a name: STOP/START without one would act on every channel.
     */
    SqlDialect sql() {
        NodeStatus n = node();
        SqlDialect d = SqlDialect.of(n.version());
        return n.channels().size() > 1 || !finding.channel().isEmpty() ? d.forChannel(finding.channel()) : d;
    }

    /** The source's status, when it is configured and answered. */
    Optional<NodeStatus> reachableSource() {
        return status.sourceOf(finding.node()).filter(NodeStatus::reachable);
    }
}
