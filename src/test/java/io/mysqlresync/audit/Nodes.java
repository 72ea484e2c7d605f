package io.mysqlresync.audit;

import io.mysqlresync.replication.ServerVersion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Plain values for the audit tests: a node is its version string and SHOW GLOBAL VARIABLES rows.
 * Variable names and defaults per version are from each rule's cited manual page.
 */
final class Nodes {

    static final String MARIADB = "10.11.19-MariaDB-0+deb12u1";
    static final String MYSQL_80 = "8.0.36";
    static final String MYSQL_84 = "8.4.3";
    static final String MYSQL_57 = "5.7.44-log";

    private Nodes() {
    }

    /** {@code node("node1", MARIADB, "sync_binlog=0", "log_bin=ON")}. */
    static NodeSettings node(String name, String version, String... variables) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String v : variables) {
            int eq = v.indexOf('=');
            vars.put(v.substring(0, eq), v.substring(eq + 1));
        }
        return new NodeSettings(name, ServerVersion.parse(version, version.contains("MariaDB") ? "mariadb.org" : "MySQL"),
                vars);
    }

    /** The rule's findings for {@code name} in a cluster of these nodes, in this order. */
    static List<SettingFinding> check(SettingRule rule, String name, NodeSettings... cluster) {
        List<NodeSettings> nodes = List.of(cluster);
        NodeSettings node = nodes.stream().filter(n -> n.node().equals(name)).findFirst().orElseThrow();
        return rule.check(new AuditContext(node, nodes, AuditPolicy.DEFAULT));
    }

    /** The rule's findings on a lone node. */
    static List<SettingFinding> check(SettingRule rule, NodeSettings node) {
        return check(rule, node.node(), node);
    }

    static SettingFinding only(List<SettingFinding> findings) {
        assertEquals(1, findings.size(), findings.toString());
        return findings.get(0);
    }
}
