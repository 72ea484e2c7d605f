package io.mysqlresync.audit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Binlog retention: how long the other node may be down and still resume from this node's
 * binlogs; expiry does not wait for a replica that is away. MySQL 8: binlog_expire_logs_seconds,
 * default 30 days, wins over the deprecated expire_logs_days (removed in 8.4);
 * binlog_expire_logs_auto_purge=OFF (8.0.29+) stops expiry
 * (https://dev.mysql.com/doc/refman/8.0/en/replication-options-binary-log.html#sysvar_binlog_expire_logs_seconds).
 * 5.7: expire_logs_days, default 0 = never
 * (https://dev.mysql.com/doc/refman/5.7/en/server-system-variables.html#sysvar_expire_logs_days).
 * MariaDB: expire_logs_days (may be fractional) and, from 10.6, binlog_expire_logs_seconds, each
 * setting the other, default 0 = never
 * (https://mariadb.com/kb/en/replication-and-binary-log-system-variables/#binlog_expire_logs_seconds).
 * All dynamic.
 */
final class BinlogRetention implements SettingRule {

    static final String ITEM = "binlog_retention";

    @Override
    public Set<String> variables() {
        return Set.of("binlog_expire_logs_seconds", "expire_logs_days", "binlog_expire_logs_auto_purge", "log_bin");
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        Optional<NodeSettings.Setting> seconds = node.setting("binlog_expire_logs_seconds");
        Optional<NodeSettings.Setting> days = node.setting("expire_logs_days");
        if ((seconds.isEmpty() && days.isEmpty()) || node.setting("log_bin").map(b -> !b.isOn()).orElse(false)) {
            return List.of();
        }
        String current = seconds.map(NodeSettings.Setting::toString).orElse("")
                + (seconds.isPresent() && days.isPresent() ? ", " : "")
                + days.map(NodeSettings.Setting::toString).orElse("");
        Optional<NodeSettings.Setting> autoPurge = node.setting("binlog_expire_logs_auto_purge");
        if (autoPurge.isPresent()) {
            current += ", " + autoPurge.get();
        }
        Duration retention = retention(seconds, days, autoPurge);
        String setting = seconds.map(NodeSettings.Setting::name).orElse("expire_logs_days");
        if (retention == null) {
            return List.of(SettingFinding.fine(node, ITEM, setting, current,
                    "binlogs are never purged automatically: any outage is survivable, but watch the disk"));
        }
        Duration target = context.policy().longestOutage();
        String others = context.others().isEmpty() ? "a replica"
                : context.others().stream().map(NodeSettings::node).collect(Collectors.joining(" or "));
        if (retention.compareTo(target) >= 0) {
            return List.of(SettingFinding.fine(node, ITEM, setting, current,
                    others + " can be down " + words(retention) + " and still resume from this node's binlogs"));
        }
        String recommended;
        Fix fix;
        if (seconds.isPresent()) {
            recommended = Long.toString(target.toSeconds());
            fix = Fixes.set(node, true, "binlog_expire_logs_seconds", recommended);
        } else {
            recommended = Long.toString((target.toSeconds() + 86_399) / 86_400);
            fix = Fixes.set(node, true, "expire_logs_days", recommended);
        }
        return List.of(new SettingFinding(node.node(), ITEM, setting, current, setting + "=" + recommended,
                retention.compareTo(Duration.ofDays(1)) < 0 ? Safety.UNSAFE : Safety.RISKY,
                others + " can be down at most " + words(retention) + " before this node purges binlogs it still"
                        + " needs; after that it must be rebuilt from a copy (target: " + words(target) + ")", fix));
    }

    /** How long binlogs are kept; null when they never expire. */
    static Duration retention(Optional<NodeSettings.Setting> seconds, Optional<NodeSettings.Setting> days,
                              Optional<NodeSettings.Setting> autoPurge) {
        if (autoPurge.map(p -> !p.isOn()).orElse(false)) {
            return null;
        }
        long s = seconds.map(NodeSettings.Setting::asLong).orElse(0L);
        if (s > 0) {
            return Duration.ofSeconds(s);
        }
        double d = days.map(NodeSettings.Setting::asDouble).orElse(0.0);
        return d > 0 ? Duration.ofSeconds(Math.round(d * 86_400)) : null;
    }

    static String words(Duration d) {
        if (d.toHours() >= 48) {
            return d.toDays() + " days";
        }
        if (d.toMinutes() >= 120) {
            return d.toHours() + " hours";
        }
        return d.toMinutes() + " minutes";
    }
}
