package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class UniqueServerIdsTest {

    private final UniqueServerIds rule = new UniqueServerIds();

    @Test
    void aSharedServerIdIsUnsafeOnTheSecondNodeWithTheReplicaStoppedAroundTheFix() {
        NodeSettings node1 = node("node1", MARIADB, "server_id=1");
        NodeSettings node2 = node("node2", MARIADB, "server_id=1");
        assertEquals(Safety.FINE, only(check(rule, "node1", node1, node2)).safety());
        SettingFinding f = only(check(rule, "node2", node1, node2));
        assertEquals(Safety.UNSAFE, f.safety());
        assertEquals("2", f.recommended());
        assertEquals(List.of("STOP SLAVE", "SET GLOBAL server_id = 2", "START SLAVE"), f.fix().sql());
    }

    @Test
    void aCopiedMySqlDatadirSharesItsUuid() {
        String uuid = "server_uuid=3e11fa47-71ca-11e1-9e33-c80aa9429562";
        NodeSettings node1 = node("node1", MYSQL_84, "server_id=1", uuid);
        NodeSettings node2 = node("node2", MYSQL_84, "server_id=2", uuid);
        List<SettingFinding> f = check(rule, "node2", node1, node2);
        SettingFinding id = f.stream().filter(x -> x.item().equals(UniqueServerIds.ID_ITEM)).findFirst().orElseThrow();
        SettingFinding same = f.stream().filter(x -> x.item().equals(UniqueServerIds.UUID_ITEM)).findFirst().orElseThrow();
        assertEquals(Safety.FINE, id.safety());
        assertEquals(Safety.UNSAFE, same.safety());
        assertTrue(same.fix().manualStep().contains("delete auto.cnf"), same.fix().manualStep());
        assertTrue(same.fix().restartNeeded());
    }

    @Test
    void serverIdZeroCannotReplicate() {
        assertEquals(Safety.UNSAFE, check(rule, node("n", MYSQL_57, "server_id=0")).get(0).safety());
    }
}
