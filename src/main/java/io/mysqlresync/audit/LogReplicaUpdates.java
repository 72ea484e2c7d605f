package io.mysqlresync.audit;

import java.util.List;
import java.util.Set;

/**
 * log_replica_updates (MySQL 8.0.26+; log_slave_updates before and on MariaDB): whether the other
 * node's writes go into this node's binlog. Not dynamic. MySQL 8.0 defaults ON
 * (https://dev.mysql.com/doc/refman/8.0/en/replication-options-binary-log.html#sysvar_log_replica_updates),
 * 5.7 and MariaDB OFF (https://mariadb.com/kb/en/replication-and-binary-log-system-variables/#log_slave_updates).
 */
final class LogReplicaUpdates implements SettingRule {

    static final String ITEM = "log_replica_updates";

    @Override
    public Set<String> variables() {
        return Set.of("log_replica_updates", "log_slave_updates");
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        return node.setting("log_replica_updates", "log_slave_updates").map(s -> s.isOn()
                ? SettingFinding.fine(node, ITEM, s.name(), s.value(),
                        "this node's binlog holds every change, its own and the other node's")
                : new SettingFinding(node.node(), ITEM, s.name(), s.value(), "ON", Safety.RISKY,
                        "the other node's writes are not in this binlog: once that node is lost, nothing here can"
                                + " replay them to a rebuilt node or a new replica",
                        Fixes.set(node, false, s.name(), "ON"))).map(List::of).orElse(List.of());
    }
}
