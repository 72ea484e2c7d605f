package io.mysqlresync.audit;

import io.mysqlresync.recovery.SqlDialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Semi-synchronous replication, where used. The source should wait AFTER_SYNC (lossless): with
 * AFTER_COMMIT a crash can lose transactions clients saw committed. MySQL's default is AFTER_SYNC,
 * MariaDB's AFTER_COMMIT; both dynamic. A source waiting for a replica that never acknowledges
 * waits rpl_semi_sync_*_timeout on every commit, then silently falls back to asynchronous
 * (https://dev.mysql.com/doc/refman/8.0/en/replication-options-source.html#sysvar_rpl_semi_sync_source_wait_point,
 * https://dev.mysql.com/doc/refman/8.0/en/replication-semisync.html,
 * https://mariadb.com/kb/en/semisynchronous-replication/#rpl_semi_sync_master_wait_point).
 */
final class SemiSync implements SettingRule {

    static final String ITEM = "semi_sync";

    @Override
    public Set<String> variables() {
        return Set.of("rpl_semi_sync_source_enabled", "rpl_semi_sync_master_enabled",
                "rpl_semi_sync_source_wait_point", "rpl_semi_sync_master_wait_point",
                "rpl_semi_sync_replica_enabled", "rpl_semi_sync_slave_enabled");
    }

    private static Optional<NodeSettings.Setting> sourceSide(NodeSettings n) {
        return n.setting("rpl_semi_sync_source_enabled", "rpl_semi_sync_master_enabled");
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        List<SettingFinding> out = new ArrayList<>();
        if (sourceSide(node).map(NodeSettings.Setting::isOn).orElse(false)) {
            node.setting("rpl_semi_sync_source_wait_point", "rpl_semi_sync_master_wait_point").ifPresent(w -> out.add(
                    w.is("AFTER_SYNC")
                            ? SettingFinding.fine(node, ITEM, w.name(), w.value(),
                                    "a commit returns only once a replica has it (lossless semi-sync)")
                            : new SettingFinding(node.node(), ITEM, w.name(), w.value(), "AFTER_SYNC", Safety.RISKY,
                                    "this node commits before a replica has the transaction: a crash can lose commits"
                                            + " clients were told about", Fixes.set(node, true, w.name(), "AFTER_SYNC"))));
        }
        // The replica side is judged on the node that must acknowledge, where its fix runs.
        Optional<NodeSettings> waitingSource = context.others().stream()
                .filter(o -> sourceSide(o).map(NodeSettings.Setting::isOn).orElse(false)).findFirst();
        Optional<NodeSettings.Setting> replicaSide = node.setting("rpl_semi_sync_replica_enabled",
                "rpl_semi_sync_slave_enabled");
        if (waitingSource.isPresent() && replicaSide.isPresent()) {
            NodeSettings.Setting r = replicaSide.get();
            if (r.isOn()) {
                out.add(SettingFinding.fine(node, ITEM, r.name(), r.value(),
                        "acknowledges what " + waitingSource.get().node() + " waits for"));
            } else {
                SqlDialect sql = SqlDialect.of(node.version());
                Fix set = Fixes.set(node, true, r.name(), "ON");
                List<String> statements = new ArrayList<>(set.sql());
                // The receiver announces semi-sync when it connects.
                statements.add(sql.stopIoThread());
                statements.add(sql.startIoThread());
                out.add(new SettingFinding(node.node(), ITEM, r.name(), r.value(), "ON", Safety.RISKY,
                        waitingSource.get().node() + " waits for a semi-sync acknowledgement this node never sends:"
                                + " each commit there waits the timeout, then replication is silently asynchronous",
                        new Fix(statements, set.myCnf(), "", false)));
            }
        }
        return out;
    }
}
