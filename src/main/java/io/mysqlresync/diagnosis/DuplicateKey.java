package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ServerErrors;

import java.util.Optional;

/** A row from the source inserts a key the replica already has: the nodes diverged. */
final class DuplicateKey implements ErrorRule {

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (!e.errorOrWorkerIs(ServerErrors.DUPLICATE_ENTRY) && !e.says("duplicate entry")) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        String name = node.name();
        String sourceName = node.sourceName();
        return Optional.of(node.finding(FindingKind.DUPLICATE_KEY,
                name + " cannot apply a row from " + sourceName + ": duplicate key",
                "A change from " + sourceName + " inserts a row whose key already exists on " + name
                        + ": the nodes diverged (both sides wrote the same key, or an earlier event "
                        + "was applied twice). Skipping the event keeps " + name + "'s row and drops "
                        + sourceName + "'s; only a human can say which is right.",
                e.evidence()));
    }
}
