package io.mysqlresync.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * MySQL GTIDs: gtid_mode and enforce_gtid_consistency, both OFF by default, both dynamic but
 * changed one step at a time
 * (https://dev.mysql.com/doc/refman/8.0/en/replication-options-gtids.html#sysvar_gtid_mode,
 * https://dev.mysql.com/doc/refman/8.0/en/replication-mode-change-online-enable-gtids.html).
 */
final class MySqlGtid implements SettingRule {

    static final String ITEM = "gtid";
    private static final List<String> STEPS = List.of("OFF", "OFF_PERMISSIVE", "ON_PERMISSIVE", "ON");

    @Override
    public Set<String> variables() {
        return Set.of("gtid_mode", "enforce_gtid_consistency");
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        Optional<NodeSettings.Setting> mode = node.setting("gtid_mode");
        if (node.isMariaDb() || mode.isEmpty()) {
            return List.of();
        }
        String enforce = node.setting("enforce_gtid_consistency").map(NodeSettings.Setting::value).orElse("?");
        String current = "gtid_mode=" + mode.get().value() + ", enforce_gtid_consistency=" + enforce;
        String setting = "gtid_mode, enforce_gtid_consistency";
        if (mode.get().is("ON")) {
            return List.of(SettingFinding.fine(node, ITEM, setting, current,
                    "a replica resumes at the first transaction it lacks, whatever a crash did to file positions"));
        }
        List<String> sql = new ArrayList<>();
        String set = node.isMySql8() ? "SET PERSIST " : "SET GLOBAL ";
        if (!"ON".equalsIgnoreCase(enforce)) {
            sql.add(set + "enforce_gtid_consistency = WARN");
            sql.add(set + "enforce_gtid_consistency = ON");
        }
        int from = Math.max(0, STEPS.indexOf(mode.get().value().toUpperCase()));
        for (String step : STEPS.subList(from + 1, STEPS.size())) {
            sql.add(set + "gtid_mode = " + step);
        }
        Fix fix = new Fix(sql, node.isMySql8() ? "" : "[mysqld]\ngtid_mode = ON\nenforce_gtid_consistency = ON",
                "each step on both nodes before the next; leave WARN until the error log shows no GTID warning,"
                        + " and before gtid_mode = ON wait until SHOW STATUS LIKE 'Ongoing_anonymous_transaction_count'"
                        + " is 0 on both; then switch each replica to auto-positioning", false);
        return List.of(new SettingFinding(node.node(), ITEM, setting, current,
                "gtid_mode=ON, enforce_gtid_consistency=ON", Safety.RISKY,
                "replicas resume by file and position, which a crash can tear; with GTIDs they resume at the first"
                        + " transaction they lack", fix));
    }
}
