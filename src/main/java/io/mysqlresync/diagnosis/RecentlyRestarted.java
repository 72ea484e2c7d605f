package io.mysqlresync.diagnosis;

import java.util.List;
import java.util.Optional;

/** A node that started recently: after a crash, the time its logs are most likely torn. */
final class RecentlyRestarted implements NodeRule {

    @Override
    public Optional<Finding> diagnose(NodeFacts node) {
        long uptime = node.status().uptimeSeconds();
        if (uptime >= node.thresholds().recentRestartSeconds()) {
            return Optional.empty();
        }
        return Optional.of(node.finding(FindingKind.RECENTLY_RESTARTED,
                node.name() + " restarted " + NodeFacts.human(uptime) + " ago",
                "A recent restart after a crash is when binlogs and relay logs are most likely "
                        + "to be torn; the findings below say whether they were.",
                List.of(new Evidence("Uptime", Long.toString(uptime)))));
    }
}
