package io.mysqlresync.audit;

import io.mysqlresync.recovery.SqlDialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * slave_net_timeout (replica_net_timeout on MySQL 8.0.26+): how long a replica waits on a silent
 * source before it reconnects, i.e. how soon it notices a source that vanished without closing the
 * connection (a power cut). Default 60 s, dynamic, applied at the next START. The heartbeat
 * period is fixed at CHANGE MASTER time, half the timeout then; it must stay below the timeout
 * (https://dev.mysql.com/doc/refman/8.0/en/replication-options-replica.html#sysvar_replica_net_timeout,
 * https://dev.mysql.com/doc/refman/8.0/en/change-replication-source-to.html,
 * https://mariadb.com/kb/en/replication-and-binary-log-system-variables/#slave_net_timeout,
 * https://mariadb.com/kb/en/change-master-to/#master_heartbeat_period).
 *
 * <p>The period in use is read where no grant is needed: MariaDB's status variable
 * Slave_heartbeat_period. MySQL keeps it in performance_schema, which the bot cannot read.
 */
final class DeadSourceDetection implements SettingRule {

    static final String ITEM = "net_timeout";
    static final String HEARTBEAT_ITEM = "heartbeat_period";
    static final String HEARTBEAT_STATUS = "slave_heartbeat_period";

    @Override
    public Set<String> variables() {
        return Set.of("replica_net_timeout", "slave_net_timeout", HEARTBEAT_STATUS);
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        Optional<NodeSettings.Setting> timeout = node.setting("replica_net_timeout", "slave_net_timeout");
        if (timeout.isEmpty()) {
            return List.of();
        }
        long seconds = timeout.get().asLong();
        long target = context.policy().deadSourceNoticedWithin().toSeconds();
        SqlDialect sql = SqlDialect.of(node.version());
        List<SettingFinding> out = new ArrayList<>();
        if (seconds <= target) {
            out.add(SettingFinding.fine(node, ITEM, timeout.get().name(), timeout.get().value(),
                    "a source that dies without a word is noticed within " + seconds + " s"));
        } else {
            Fix set = Fixes.set(node, true, timeout.get().name(), Long.toString(target));
            List<String> statements = new ArrayList<>();
            statements.add(sql.stopReplica());
            statements.addAll(set.sql());
            // The heartbeat was fixed at half the old timeout: left alone it would now come too late.
            statements.add(heartbeat(node, target / 2.0));
            statements.add(sql.startReplica());
            out.add(new SettingFinding(node.node(), ITEM, timeout.get().name(), timeout.get().value(),
                    Long.toString(target), Safety.RISKY,
                    "a source that dies without closing the connection (power cut) is noticed only after " + seconds
                            + " s of silence; until then the replica shows both threads running and nothing alerts",
                    new Fix(statements, set.myCnf(), "", false)));
        }
        // 0 is both "no replica configured" and "heartbeats disabled on purpose": nothing to judge.
        node.setting(HEARTBEAT_STATUS).filter(hb -> hb.asDouble() > 0).ifPresent(hb -> {
            double period = hb.asDouble();
            if (period < seconds) {
                out.add(SettingFinding.fine(node, HEARTBEAT_ITEM, "MASTER_HEARTBEAT_PERIOD", hb.value(),
                        "heartbeats keep an idle but healthy link alive"));
            } else {
                double wanted = Math.min(seconds, target) / 2.0;
                out.add(new SettingFinding(node.node(), HEARTBEAT_ITEM, "MASTER_HEARTBEAT_PERIOD", hb.value(),
                        String.valueOf(wanted), Safety.RISKY,
                        "heartbeats every " + hb.value() + " s come no sooner than the " + seconds
                                + " s timeout: an idle link is dropped and reconnected over and over",
                        new Fix(List.of(sql.stopReplica(), heartbeat(node, wanted), sql.startReplica()), "", "", false)));
            }
        });
        return out;
    }

    private static String heartbeat(NodeSettings node, double period) {
        String value = period == Math.rint(period) ? Long.toString((long) period) : Double.toString(period);
        return node.version().hasChangeReplicationSource()
                ? "CHANGE REPLICATION SOURCE TO SOURCE_HEARTBEAT_PERIOD = " + value
                : "CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD = " + value;
    }
}
