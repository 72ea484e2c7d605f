package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ServerErrors;

import java.util.Optional;

/**
 * MariaDB under gtid_strict_mode refuses a GTID whose sequence number is not above the domain's
 * last one: ER_GTID_STRICT_OUT_OF_ORDER (1950, "An attempt was made to binlog GTID %u-%u-%llu
 * which would create an out-of-order sequence number with existing GTID %u-%u-%llu, and gtid
 * strict mode is enabled"). In an active-active pair it means both nodes wrote in the same
 * replication domain (MariaDB manual, "GTID": gtid_strict_mode, gtid_domain_id).
 */
final class GtidOutOfOrder implements ErrorRule {

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (!e.errorOrWorkerIs(ServerErrors.GTID_STRICT_OUT_OF_ORDER) && !e.says("out-of-order sequence number")) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        String name = node.name();
        String sourceName = node.sourceName();
        return Optional.of(node.finding(FindingKind.GTID_OUT_OF_ORDER,
                name + " refuses an out-of-order GTID from " + sourceName,
                name + " already has a later transaction in the same GTID domain than the one " + sourceName
                        + " sends, and gtid_strict_mode forbids going back: both nodes wrote in one domain. "
                        + "Each node of an active-active pair needs its own gtid_domain_id; the transactions in "
                        + "question may differ between the nodes. The server said: " + NodeFacts.clip(e.quoted().message()),
                e.evidence()));
    }
}
