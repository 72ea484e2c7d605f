package io.mysqlresync.diagnosis;

import java.util.List;
import java.util.Optional;

/** A node configured to replicate whose SHOW REPLICA STATUS is empty. */
final class NotAReplica implements NodeRule {

    @Override
    public Optional<Finding> diagnose(NodeFacts node) {
        if (node.sourceName().isEmpty()) {
            return Optional.empty();
        }
        String name = node.name();
        return Optional.of(node.finding(FindingKind.NOT_A_REPLICA,
                name + " has no replication configured",
                name + " should replicate from " + node.sourceName() + " but SHOW REPLICA STATUS is "
                        + "empty: replication was reset or never set up. This needs a human: "
                        + "the bot never invents host, user or password settings.",
                List.of(new Evidence("SHOW REPLICA STATUS", "empty set"))));
    }
}
