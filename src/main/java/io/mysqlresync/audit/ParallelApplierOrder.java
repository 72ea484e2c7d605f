package io.mysqlresync.audit;

import io.mysqlresync.recovery.SqlDialect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parallel applier must commit in the source's order, or a crash leaves gaps below the
 * replica's recorded position. MySQL: replica_preserve_commit_order (slave_ before 8.0.26), ON by
 * default from 8.0.27 with 4 workers, needs LOGICAL_CLOCK; dynamic with the SQL thread stopped
 * (https://dev.mysql.com/doc/refman/8.0/en/replication-options-replica.html#sysvar_replica_preserve_commit_order).
 * MariaDB commits in order within a domain in every slave_parallel_mode
 * (https://mariadb.com/kb/en/parallel-replication/).
 */
final class ParallelApplierOrder implements SettingRule {

    static final String ITEM = "parallel_applier";

    @Override
    public Set<String> variables() {
        return Set.of("replica_parallel_workers", "slave_parallel_workers", "replica_preserve_commit_order",
                "slave_preserve_commit_order", "replica_parallel_type", "slave_parallel_type",
                "slave_parallel_threads", "slave_parallel_mode");
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        if (node.isMariaDb()) {
            return node.setting("slave_parallel_threads", "slave_parallel_workers").map(t -> {
                String mode = node.setting("slave_parallel_mode").map(NodeSettings.Setting::value).orElse("?");
                return SettingFinding.fine(node, ITEM, t.name() + ", slave_parallel_mode",
                        t + ", slave_parallel_mode=" + mode, t.asLong() == 0
                                ? "one applier thread: transactions commit in the source's order"
                                : "MariaDB's parallel applier commits in the source's order in every mode");
            }).map(List::of).orElse(List.of());
        }
        Optional<NodeSettings.Setting> workers = node.setting("replica_parallel_workers", "slave_parallel_workers");
        if (workers.isEmpty()) {
            return List.of();
        }
        Optional<NodeSettings.Setting> preserve = node.setting("replica_preserve_commit_order",
                "slave_preserve_commit_order");
        String current = workers.get() + preserve.map(p -> ", " + p).orElse("");
        if (workers.get().asLong() <= 1 || preserve.map(NodeSettings.Setting::isOn).orElse(false)) {
            return List.of(SettingFinding.fine(node, ITEM, workers.get().name(), current,
                    workers.get().asLong() <= 1 ? "one applier: transactions commit in the source's order"
                            : "the workers commit in the source's order"));
        }
        if (preserve.isEmpty()) {
            return List.of();
        }
        Map<String, String> change = new LinkedHashMap<>();
        node.setting("replica_parallel_type", "slave_parallel_type").filter(t -> !t.is("LOGICAL_CLOCK"))
                .ifPresent(t -> change.put(t.name(), "LOGICAL_CLOCK"));
        change.put(preserve.get().name(), "ON");
        SqlDialect sql = SqlDialect.of(node.version());
        return List.of(new SettingFinding(node.node(), ITEM, String.join(", ", change.keySet()), current,
                String.join(", ", change.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()),
                Safety.RISKY, workers.get().value() + " workers commit out of order: after a crash the applied"
                        + " transactions have gaps, and restarting from the recorded position repeats or skips some",
                Fixes.aroundStoppedReplica(Fixes.set(node, true, change),
                        sql.stopReplica() + " SQL_THREAD", sql.startReplica() + " SQL_THREAD")));
    }
}
