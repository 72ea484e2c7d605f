package io.mysqlresync.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * binlog_format and binlog_row_image: the loss ledger and the row repairs need whole rows in the
 * binlog. Both dynamic (new sessions). MySQL defaults ROW / FULL
 * (https://dev.mysql.com/doc/refman/8.0/en/replication-options-binary-log.html#sysvar_binlog_format,
 * https://dev.mysql.com/doc/refman/8.0/en/replication-options-binary-log.html#sysvar_binlog_row_image);
 * MariaDB MIXED / FULL (https://mariadb.com/kb/en/replication-and-binary-log-system-variables/#binlog_format,
 * https://mariadb.com/kb/en/replication-and-binary-log-system-variables/#binlog_row_image).
 */
final class BinlogFormat implements SettingRule {

    static final String FORMAT_ITEM = "binlog_format";
    static final String IMAGE_ITEM = "binlog_row_image";

    @Override
    public Set<String> variables() {
        return Set.of("binlog_format", "binlog_row_image");
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        List<SettingFinding> out = new ArrayList<>();
        node.setting("binlog_format").ifPresent(f -> {
            if (f.is("ROW")) {
                out.add(SettingFinding.fine(node, FORMAT_ITEM, f.name(), f.value(),
                        "every change is logged as the rows it changed"));
            } else if (f.is("MIXED")) {
                out.add(new SettingFinding(node.node(), FORMAT_ITEM, f.name(), f.value(), "ROW", Safety.RISKY,
                        "statements the server thinks safe are logged as text: those carry no row images for the"
                                + " loss ledger or a duplicate-key / row-not-found repair",
                        Fixes.set(node, true, f.name(), "ROW")));
            } else {
                out.add(new SettingFinding(node.node(), FORMAT_ITEM, f.name(), f.value(), "ROW", Safety.UNSAFE,
                        "statements replay differently on the other node (NOW(), LIMIT without ORDER BY, triggers),"
                                + " and no row images exist to tell what a crash lost",
                        Fixes.set(node, true, f.name(), "ROW")));
            }
        });
        boolean rowsLogged = node.setting("binlog_format").map(f -> !f.is("STATEMENT")).orElse(true);
        node.setting("binlog_row_image").filter(i -> rowsLogged).ifPresent(i -> {
            if (i.is("MINIMAL")) {
                out.add(new SettingFinding(node.node(), IMAGE_ITEM, i.name(), i.value(), "FULL", Safety.RISKY,
                        "row events carry only the key and changed columns: lost rows cannot be shown or rebuilt whole",
                        Fixes.set(node, true, i.name(), "FULL")));
            } else {
                // FULL, NOBLOB (BLOBs only when changed) and MariaDB's FULL_NODUP all keep every other column.
                out.add(SettingFinding.fine(node, IMAGE_ITEM, i.name(), i.value(),
                        "row events carry whole rows (BLOBs aside with NOBLOB)"));
            }
        });
        return out;
    }
}
