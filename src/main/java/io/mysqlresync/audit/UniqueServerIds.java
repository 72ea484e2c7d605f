package io.mysqlresync.audit;

import io.mysqlresync.recovery.SqlDialect;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import java.util.Set;

/**
 * server_id, and on MySQL server_uuid, must differ between the nodes: a replica drops events that
 * carry its own server_id, and refuses a source with its own UUID (error 1593). server_id is
 * dynamic; server_uuid comes from auto.cnf, which a copied datadir duplicates
 * (https://dev.mysql.com/doc/refman/8.0/en/replication-options.html#sysvar_server_id,
 * https://dev.mysql.com/doc/refman/8.0/en/replication-options.html#sysvar_server_uuid,
 * https://mariadb.com/kb/en/replication-and-binary-log-system-variables/#server_id).
 */
final class UniqueServerIds implements SettingRule {

    static final String ID_ITEM = "server_id";
    static final String UUID_ITEM = "server_uuid";

    @Override
    public Set<String> variables() {
        return Set.of("server_id", "server_uuid");
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        List<SettingFinding> out = new ArrayList<>();
        List<NodeSettings> earlier = context.cluster().subList(0, context.position());
        node.setting("server_id").ifPresent(id -> {
            Optional<NodeSettings> same = earlier.stream()
                    .filter(n -> n.setting("server_id").map(o -> o.asLong() == id.asLong()).orElse(false))
                    .findFirst();
            if (id.asLong() == 0 || same.isPresent()) {
                long free = context.cluster().stream()
                        .mapToLong(n -> n.setting("server_id").map(NodeSettings.Setting::asLong).orElse(0L))
                        .max().orElse(0) + 1;
                SqlDialect sql = SqlDialect.of(node.version());
                out.add(new SettingFinding(node.node(), ID_ITEM, id.name(), id.value(), Long.toString(free),
                        Safety.UNSAFE, same.isPresent()
                                ? same.get().node() + " has server_id " + id.value() + " too: each node drops the"
                                        + " other's events as its own, so writes silently stop replicating"
                                : "server_id 0 refuses to replicate at all",
                        Fixes.aroundStoppedReplica(Fixes.set(node, true, id.name(), Long.toString(free)),
                                sql.stopReplica(), sql.startReplica())));
            } else {
                out.add(SettingFinding.fine(node, ID_ITEM, id.name(), id.value(), "no other node has this server_id"));
            }
        });
        node.setting("server_uuid").filter(u -> !node.isMariaDb()).ifPresent(uuid -> {
            Optional<NodeSettings> same = earlier.stream()
                    .filter(n -> n.setting("server_uuid").map(o -> o.is(uuid.value())).orElse(false))
                    .findFirst();
            out.add(same.isEmpty()
                    ? SettingFinding.fine(node, UUID_ITEM, uuid.name(), uuid.value(), "no other node has this server_uuid")
                    : new SettingFinding(node.node(), UUID_ITEM, uuid.name(), uuid.value(), "a new UUID",
                            Safety.UNSAFE, same.get().node() + " has the same server_uuid (a copied datadir):"
                                    + " replication between them stops with error 1593",
                            new Fix(List.of(), "", "stop " + node.node() + ", delete auto.cnf from its datadir and"
                                    + " start it: it generates a new server_uuid", true)));
        });
        return out;
    }
}
