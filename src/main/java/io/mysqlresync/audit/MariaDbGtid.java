package io.mysqlresync.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * MariaDB GTIDs: gtid_strict_mode (default OFF, dynamic) and one gtid_domain_id per node that
 * writes (default 0, dynamic), so the two nodes never number transactions in the same domain
 * (https://mariadb.com/kb/en/gtid/#gtid_strict_mode, https://mariadb.com/kb/en/gtid/#gtid_domain_id,
 * https://mariadb.com/kb/en/gtid/#use-with-multi-source-replication-and-other-multi-primary-setups).
 */
final class MariaDbGtid implements SettingRule {

    static final String STRICT_ITEM = "gtid_strict_mode";
    static final String DOMAIN_ITEM = "gtid_domain_id";

    @Override
    public Set<String> variables() {
        return Set.of("gtid_strict_mode", "gtid_domain_id", "server_id");
    }

    @Override
    public List<SettingFinding> check(AuditContext context) {
        NodeSettings node = context.node();
        if (!node.isMariaDb()) {
            return List.of();
        }
        List<SettingFinding> out = new ArrayList<>();
        Optional<NodeSettings.Setting> strict = node.setting("gtid_strict_mode");
        strict.ifPresent(s -> out.add(s.isOn()
                ? SettingFinding.fine(node, STRICT_ITEM, s.name(), s.value(),
                        "a transaction out of order or seen twice stops replication instead of applying silently")
                : new SettingFinding(node.node(), STRICT_ITEM, s.name(), s.value(), "ON", Safety.RISKY,
                        "a transaction that arrives out of order or twice is applied silently and the nodes drift"
                                + " apart; strict mode stops at the first one",
                        Fixes.set(node, true, s.name(), "ON"))));
        node.setting("gtid_domain_id").ifPresent(domain -> out.add(domain(context, domain,
                strict.map(NodeSettings.Setting::isOn).orElse(false))));
        return out;
    }

    private static SettingFinding domain(AuditContext context, NodeSettings.Setting domain, boolean strict) {
        NodeSettings node = context.node();
        long mine = domain.asLong();
        // Only the later of two nodes sharing a domain gets the finding: changing one of them is the fix.
        List<NodeSettings> earlierSharing = context.cluster().subList(0, context.position()).stream()
                .filter(n -> n.setting("gtid_domain_id").map(d -> d.asLong() == mine).orElse(false))
                .toList();
        String others = context.others().stream()
                .map(n -> n.node() + " has " + n.setting("gtid_domain_id").map(NodeSettings.Setting::value).orElse("?"))
                .collect(Collectors.joining(", "));
        if (earlierSharing.isEmpty()) {
            return SettingFinding.fine(node, DOMAIN_ITEM, domain.name(), domain.value(), context.others().isEmpty()
                    ? "one node: no other domain to collide with"
                    : "this node numbers its writes in its own domain (" + others + ")");
        }
        Set<Long> used = context.cluster().stream()
                .map(n -> n.setting("gtid_domain_id").map(NodeSettings.Setting::asLong).orElse(-1L))
                .collect(Collectors.toSet());
        long serverId = node.setting("server_id").map(NodeSettings.Setting::asLong).orElse(0L);
        long free = used.contains(serverId) ? used.stream().mapToLong(Long::longValue).max().orElse(0) + 1 : serverId;
        String with = earlierSharing.get(0).node();
        return new SettingFinding(node.node(), DOMAIN_ITEM, domain.name(), domain.value(), Long.toString(free),
                strict ? Safety.UNSAFE : Safety.RISKY,
                strict
                        ? with + " writes in domain " + mine + " too: with gtid_strict_mode the first concurrent writes"
                                + " on both nodes arrive out of order and stop replication"
                        : with + " writes in domain " + mine + " too: a GTID position then mixes both nodes' writes,"
                                + " and resuming by GTID after a crash can skip or repeat transactions",
                Fixes.set(node, true, domain.name(), Long.toString(free)));
    }
}
