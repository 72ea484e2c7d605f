package io.mysqlresync.audit;

/**
 * One audited item on one node.
 *
 * @param node        the node the setting is on, which is also where the fix runs
 * @param item        what was checked, independent of how this server spells it (e.g. "sync_binlog",
 *                    "auto_increment", "binlog_retention"): see each rule's ITEM
 * @param setting     the variable(s) as this node names them (e.g. log_slave_updates on MariaDB,
 *                    log_replica_updates on MySQL 8.0.26+)
 * @param current     the value now, as the server prints it (several as "x=a, y=b")
 * @param recommended the value this audit recommends
 * @param why         one line: what a crash costs with the current value
 */
public record SettingFinding(String node, String item, String setting, String current, String recommended,
                             Safety safety, String why, Fix fix) {

    public static SettingFinding fine(NodeSettings node, String item, String setting, String current, String why) {
        return new SettingFinding(node.node(), item, setting, current, current, Safety.FINE, why, Fix.NONE);
    }

    public boolean isProblem() {
        return safety != Safety.FINE;
    }
}
