package io.mysqlresync.audit;

import java.util.List;
import java.util.Set;

/**
 * relay_log_recovery: after a crash, throw the relay log away and fetch again from the source.
 * Default OFF everywhere. MySQL: not dynamic
 * (https://dev.mysql.com/doc/refman/8.0/en/replication-options-replica.html#sysvar_relay_log_recovery);
 * MariaDB: dynamic, read at server start
 * (https://mariadb.com/kb/en/replication-and-binary-log-system-variables/#relay_log_recovery).
 * A MariaDB replica that resumes by GTID (Using_Gtid Slave_Pos or Current_Pos) throws its relay
 * log away at restart anyway and refetches from gtid_slave_pos, which InnoDB keeps crash-safe
 * (https://mariadb.com/kb/en/gtid/#crash-safe-slave); the sandbox's seed incident shows no error
 * in that mode for this reason.
 */
final class RelayLogRecovery implements SettingRule {

    static final String ITEM = "relay_log_recovery";
    /** Not a variable: the replica status column, added by the adapter where it can read it. */
    static final String USING_GTID = "using_gtid";

    @Override
    public Set<String> variables() {
        return Set.of(ITEM, USING_GTID);
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        return node.setting(ITEM).map(s -> {
            if (s.isOn()) {
                return SettingFinding.fine(node, ITEM, ITEM, s.value(),
                        "after a crash the relay log is fetched again from the source, never replayed torn");
            }
            if (node.isMariaDb() && node.setting(USING_GTID).map(g -> !g.is("No")).orElse(false)) {
                return SettingFinding.fine(node, ITEM, ITEM, s.value(), "this replica resumes by GTID (Using_Gtid="
                        + node.setting(USING_GTID).get().value() + "): MariaDB refetches the relay log at restart anyway");
            }
            // It acts at the start after a crash, so the option file (or SET PERSIST_ONLY) is what counts;
            // MariaDB also takes SET GLOBAL, so the running server shows it at once.
            Fix fix = Fixes.set(node, node.isMariaDb(), ITEM, "ON");
            return new SettingFinding(node.node(), ITEM, ITEM, s.value(), "ON", Safety.UNSAFE,
                    "after a crash the SQL thread replays the relay log as the crash left it and stops on a torn"
                            + " event (relay log read failure)", fix);
        }).map(List::of).orElse(List.of());
    }
}
