package io.mysqlresync.audit;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * sync_binlog: whether a commit waits until its binlog events are on disk.
 *
 * <p>Defaults: MySQL 1 since 5.7.7, dynamic
 * (https://dev.mysql.com/doc/refman/8.0/en/replication-options-binary-log.html#sysvar_sync_binlog);
 * MariaDB still 0, dynamic
 * (https://mariadb.com/kb/en/replication-and-binary-log-system-variables/#sync_binlog).
 */
final class SyncBinlog implements SettingRule {

    static final String ITEM = "sync_binlog";

    @Override
    public Set<String> variables() {
        return Set.of("sync_binlog", "log_bin");
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        Optional<NodeSettings.Setting> sync = node.setting("sync_binlog");
        if (sync.isEmpty() || node.setting("log_bin").map(b -> !b.isOn()).orElse(false)) {
            return List.of(); // no binlog, nothing to sync
        }
        long n = sync.get().asLong();
        if (n == 1) {
            return List.of(SettingFinding.fine(node, ITEM, "sync_binlog", "1",
                    "every commit's binlog events are on disk before the client hears OK"));
        }
        Fix fix = Fixes.set(node, true, "sync_binlog", "1");
        if (n == 0) {
            return List.of(new SettingFinding(node.node(), ITEM, "sync_binlog", "0", "1", Safety.UNSAFE,
                    "the OS decides when the binlog reaches disk: a power cut loses its tail, and the other node"
                            + " then asks for a position past the end", fix));
        }
        return List.of(new SettingFinding(node.node(), ITEM, "sync_binlog", Long.toString(n), "1", Safety.RISKY,
                "the binlog is synced every " + n + " commits: a power cut can lose up to " + (n - 1)
                        + " committed transactions from it", fix));
    }
}
