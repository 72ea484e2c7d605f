package io.mysqlresync.audit;

import java.util.List;
import java.util.Set;

/**
 * innodb_flush_log_at_trx_commit: whether InnoDB's redo log is on disk at each commit. Default 1,
 * dynamic (https://dev.mysql.com/doc/refman/8.0/en/innodb-parameters.html#sysvar_innodb_flush_log_at_trx_commit,
 * https://mariadb.com/kb/en/innodb-system-variables/#innodb_flush_log_at_trx_commit; MariaDB's 3 is
 * as durable as 1, with one fsync fewer per group commit).
 */
final class InnodbFlushLogAtTrxCommit implements SettingRule {

    static final String ITEM = "innodb_flush_log_at_trx_commit";

    @Override
    public Set<String> variables() {
        return Set.of(ITEM);
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        return node.setting(ITEM).map(s -> {
            long v = s.asLong();
            if (v == 1 || (v == 3 && node.isMariaDb())) {
                return SettingFinding.fine(node, ITEM, ITEM, s.value(),
                        "InnoDB's redo log is on disk before a commit returns");
            }
            return new SettingFinding(node.node(), ITEM, ITEM, s.value(), "1", Safety.UNSAFE,
                    "InnoDB flushes its log about once a second: a power cut loses up to a second of commits"
                            + " that the binlog, and so the other node, may already have",
                    Fixes.set(node, true, ITEM, "1"));
        }).map(List::of).orElse(List.of());
    }
}
