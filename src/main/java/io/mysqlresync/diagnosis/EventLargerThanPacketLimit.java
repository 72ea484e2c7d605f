package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ServerErrors;

import java.util.Optional;

/**
 * An event from the source is larger than the replica's IO thread accepts: ER_NET_PACKET_TOO_LARGE
 * (1153, "Got a packet bigger than 'slave_max_allowed_packet' bytes"), or the source's 1236 "log
 * event entry exceeded max_allowed_packet" (sql/rpl_binlog_sender.cc). Raising
 * replica_max_allowed_packet (max 1 GiB) lets it through.
 */
final class EventLargerThanPacketLimit implements ErrorRule {

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (e.error().code() != ServerErrors.PACKET_TOO_LARGE
                && !e.says("packet bigger than", "exceeded max_allowed_packet")) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        String name = node.name();
        String sourceName = node.sourceName();
        return Optional.of(node.finding(FindingKind.EVENT_LARGER_THAN_PACKET_LIMIT,
                name + " refuses an event from " + sourceName + " larger than its packet limit",
                "A transaction on " + sourceName + " wrote an event bigger than " + name + "'s IO thread accepts "
                        + "(replica_max_allowed_packet / slave_max_allowed_packet). Nothing is lost: raising the limit "
                        + "to its maximum, 1 GiB, and restarting the IO thread fetches it. If " + sourceName
                        + " reports it (\"exceeded max_allowed_packet\"), raise max_allowed_packet there too.",
                e.evidence()));
    }
}
