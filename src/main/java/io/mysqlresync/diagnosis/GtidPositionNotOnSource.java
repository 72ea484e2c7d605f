package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.NodeStatus;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MariaDB's source refuses (1236) "connecting slave requested to start from GTID d-s-n, which is
 * not in the master's binlog", and nothing suggests a crash cut it: the source did not restart
 * recently, or has never written in that domain. Then the replica's gtid_slave_pos is wrong
 * (set by hand, restored from another server's backup), not ahead of a crashed source; a crash
 * is {@link ReplicaAheadOfSource}'s case (sql/sql_repl.cc, check_slave_start_position()).
 */
final class GtidPositionNotOnSource implements ErrorRule {

    private static final Pattern REQUESTED = Pattern.compile("start from gtid (\\d+)-(\\d+)-(\\d+)");

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (!e.fatalReadingBinlog() || !e.says("not in the master's binlog")) {
            return Optional.empty();
        }
        Matcher m = REQUESTED.matcher(e.message());
        NodeFacts node = e.node();
        Optional<NodeStatus> source = node.source().filter(NodeStatus::reachable);
        if (!m.find() || source.isEmpty()) {
            return Optional.empty();
        }
        String domain = m.group(1);
        boolean sourceHasDomain = source.get().gtidExecuted().matches("(^|.*,)\\s*" + domain + "-\\d+-\\d+.*");
        boolean sourceRestarted = source.get().uptimeSeconds() < node.thresholds().recentRestartSeconds();
        if (sourceHasDomain && sourceRestarted) {
            return Optional.empty(); // a crash may have cut it: ReplicaAheadOfSource
        }
        String name = node.name();
        String sourceName = node.sourceName();
        String requested = m.group(1) + "-" + m.group(2) + "-" + m.group(3);
        return Optional.of(node.finding(FindingKind.GTID_POSITION_NOT_ON_SOURCE,
                name + "'s gtid_slave_pos asks " + sourceName + " for GTID " + requested + ", which it never had",
                name + " asks " + sourceName + " to start after GTID " + requested + ", which is not in "
                        + sourceName + "'s binlog" + (sourceHasDomain ? "" : " (it has never written in domain " + domain + ")")
                        + ", and " + sourceName + " did not restart recently, so no crash cut it: " + name
                        + "'s gtid_slave_pos is wrong (set by hand, or restored from another server's backup). "
                        + sourceName + "'s position (gtid_current_pos) is " + source.get().gtidExecuted() + ".",
                node.withSourceBinlogs(e.evidence())));
    }
}
