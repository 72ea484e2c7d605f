package io.mysqlresync.audit;

import java.util.List;
import java.util.Set;

/**
 * binlog_checksum: a CRC32 per event, so a torn or corrupt event is detected rather than applied.
 * Default CRC32, dynamic
 * (https://dev.mysql.com/doc/refman/8.0/en/replication-options-binary-log.html#sysvar_binlog_checksum,
 * https://mariadb.com/kb/en/replication-and-binary-log-system-variables/#binlog_checksum).
 */
final class BinlogChecksum implements SettingRule {

    static final String ITEM = "binlog_checksum";

    @Override
    public Set<String> variables() {
        return Set.of(ITEM);
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        return node.setting(ITEM).map(s -> s.is("NONE")
                ? new SettingFinding(node.node(), ITEM, ITEM, s.value(), "CRC32", Safety.RISKY,
                        "a torn or corrupted event is not detected: a replica may apply garbage instead of stopping"
                                + " at it", Fixes.set(node, true, ITEM, "CRC32"))
                : SettingFinding.fine(node, ITEM, ITEM, s.value(),
                        "a corrupt event stops the replica at that event instead of being applied"))
                .map(List::of).orElse(List.of());
    }
}
