package io.mysqlresync.diagnosis;

import java.util.List;
import java.util.Optional;

/** The bot could not read the node at all. */
final class NodeUnreachable implements NodeRule {

    @Override
    public Optional<Finding> diagnose(NodeFacts node) {
        String name = node.name();
        String reason = node.status().unreachableReason();
        return Optional.of(node.finding(FindingKind.NODE_UNREACHABLE,
                name + " cannot be reached: " + reason,
                "The bot could not read " + name + " within its timeouts. The server may be down, "
                        + "blackholed by the network, or refusing the bot's user. Nothing can be "
                        + "repaired on it until it answers again.",
                List.of(new Evidence("connection", reason))));
    }
}
