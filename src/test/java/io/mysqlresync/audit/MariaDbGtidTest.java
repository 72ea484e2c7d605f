package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class MariaDbGtidTest {

    private final MariaDbGtid rule = new MariaDbGtid();

    @Test
    void strictModeOffIsRisky() {
        List<SettingFinding> f = check(rule, node("node1", MARIADB, "gtid_strict_mode=OFF", "gtid_domain_id=1",
                "server_id=1"));
        SettingFinding strict = f.stream().filter(x -> x.item().equals(MariaDbGtid.STRICT_ITEM)).findFirst().orElseThrow();
        assertEquals(Safety.RISKY, strict.safety());
        assertEquals(List.of("SET GLOBAL gtid_strict_mode = ON"), strict.fix().sql());
    }

    @Test
    void bothNodesInOneDomainFlagsTheSecondOnlyAndUnsafeUnderStrictMode() {
        NodeSettings node1 = node("node1", MARIADB, "gtid_strict_mode=ON", "gtid_domain_id=0", "server_id=1");
        NodeSettings node2 = node("node2", MARIADB, "gtid_strict_mode=ON", "gtid_domain_id=0", "server_id=2");
        assertTrue(check(rule, "node1", node1, node2).stream().allMatch(f -> f.safety() == Safety.FINE));
        SettingFinding domain = check(rule, "node2", node1, node2).stream()
                .filter(x -> x.item().equals(MariaDbGtid.DOMAIN_ITEM)).findFirst().orElseThrow();
        assertEquals(Safety.UNSAFE, domain.safety());
        assertEquals("2", domain.recommended(), "its server_id, unused as a domain");
        assertTrue(domain.why().startsWith("node1 writes in domain 0 too"), domain.why());
        assertEquals(List.of("SET GLOBAL gtid_domain_id = 2"), domain.fix().sql());
    }

    @Test
    void sharedDomainWithoutStrictModeIsRiskyAndDistinctDomainsAreFine() {
        NodeSettings node1 = node("node1", MARIADB, "gtid_strict_mode=OFF", "gtid_domain_id=0", "server_id=0");
        NodeSettings node2 = node("node2", MARIADB, "gtid_strict_mode=OFF", "gtid_domain_id=0", "server_id=0");
        SettingFinding shared = check(rule, "node2", node1, node2).stream()
                .filter(x -> x.item().equals(MariaDbGtid.DOMAIN_ITEM)).findFirst().orElseThrow();
        assertEquals(Safety.RISKY, shared.safety());
        assertEquals("1", shared.recommended(), "server_id 0 is taken as a domain: the next free one");

        NodeSettings apart = node("node2", MARIADB, "gtid_strict_mode=ON", "gtid_domain_id=2", "server_id=2");
        assertEquals(Safety.FINE, check(rule, "node2", node1, apart).stream()
                .filter(x -> x.item().equals(MariaDbGtid.DOMAIN_ITEM)).findFirst().orElseThrow().safety());
        assertTrue(check(rule, node("n", MYSQL_80, "gtid_domain_id=0")).isEmpty(), "MariaDB only");
    }
}
