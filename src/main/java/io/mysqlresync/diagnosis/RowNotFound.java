package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ServerErrors;

import java.util.Optional;

/** A change from the source updates or deletes a row the replica does not have: the nodes diverged. */
final class RowNotFound implements ErrorRule {

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (!e.errorOrWorkerIs(ServerErrors.ROW_NOT_FOUND) && !e.says("can't find record", "key_not_found")) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        String name = node.name();
        String sourceName = node.sourceName();
        return Optional.of(node.finding(FindingKind.ROW_NOT_FOUND,
                name + " cannot apply a change from " + sourceName + ": row not found",
                "A change from " + sourceName + " updates or deletes a row that does not exist on "
                        + name + ": the nodes diverged. Skipping the event leaves that row different "
                        + "on the two nodes until someone compares and repairs the table.",
                e.evidence()));
    }
}
