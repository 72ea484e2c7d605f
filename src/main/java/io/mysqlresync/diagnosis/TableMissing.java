package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ServerErrors;

import java.util.Optional;

/**
 * A change from the source names a table the replica does not have: ER_NO_SUCH_TABLE (1146,
 * "Table '%s.%s' doesn't exist"): created while replication was filtered or skipped, or dropped
 * on the replica by hand. The nodes' schemas diverged.
 */
final class TableMissing implements ErrorRule {

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (!e.errorOrWorkerIs(ServerErrors.NO_SUCH_TABLE)) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        String name = node.name();
        String sourceName = node.sourceName();
        return Optional.of(node.finding(FindingKind.TABLE_MISSING,
                name + " lacks a table that " + sourceName + " changes",
                "A change from " + sourceName + " writes to a table that does not exist on " + name
                        + ": the schemas diverged (the table was created while replication skipped or filtered it, "
                        + "or was dropped on " + name + "). Skipping would drop every later change to it. The server "
                        + "said: " + NodeFacts.clip(e.quoted().message()),
                e.evidence()));
    }
}
