package io.mysqlresync.audit;

import io.mysqlresync.recovery.SqlDialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * MySQL 5.7 only: where the replica keeps its positions. FILE (the 5.7 default) writes the
 * applier's position apart from the transaction it applied; TABLE commits both together. Dynamic
 * with the replica stopped
 * (https://dev.mysql.com/doc/refman/5.7/en/replication-options-replica.html#sysvar_relay_log_info_repository,
 * https://dev.mysql.com/doc/refman/5.7/en/replication-solutions-unexpected-replica-halt.html).
 * 8.0 defaults to TABLE and deprecates both.
 */
final class InfoRepositories implements SettingRule {

    static final String ITEM = "info_repositories";

    @Override
    public Set<String> variables() {
        return Set.of("relay_log_info_repository", "master_info_repository");
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        if (!node.isMySql57()) {
            return List.of();
        }
        SqlDialect sql = SqlDialect.of(node.version());
        List<SettingFinding> out = new ArrayList<>();
        node.setting("relay_log_info_repository").ifPresent(s -> out.add(s.is("TABLE")
                ? SettingFinding.fine(node, ITEM, s.name(), s.value(),
                        "the applier's position commits with the transaction it applied")
                : new SettingFinding(node.node(), ITEM, s.name(), s.value(), "TABLE", Safety.UNSAFE,
                        "the applier's position is written apart from the transaction: after a crash the SQL"
                                + " thread repeats or skips transactions (duplicate key, row not found)",
                        Fixes.aroundStoppedReplica(Fixes.set(node, true, s.name(), "TABLE"),
                                sql.stopReplica(), sql.startReplica()))));
        node.setting("master_info_repository").ifPresent(s -> out.add(s.is("TABLE")
                ? SettingFinding.fine(node, ITEM, s.name(), s.value(), "the receiver's position is kept in a table")
                : new SettingFinding(node.node(), ITEM, s.name(), s.value(), "TABLE", Safety.RISKY,
                        "the receiver's position lives in a file synced every sync_master_info events: a crash"
                                + " leaves it behind what the relay log holds",
                        Fixes.aroundStoppedReplica(Fixes.set(node, true, s.name(), "TABLE"),
                                sql.stopReplica(), sql.startReplica()))));
        return out;
    }
}
