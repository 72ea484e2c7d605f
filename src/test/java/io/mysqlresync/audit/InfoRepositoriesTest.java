package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class InfoRepositoriesTest {

    private final InfoRepositories rule = new InfoRepositories();

    @Test
    void mySql57sFileRepositoriesAreFlaggedWithTheReplicaStoppedAroundTheFix() {
        List<SettingFinding> f = check(rule, node("node1", MYSQL_57,
                "relay_log_info_repository=FILE", "master_info_repository=FILE"));
        assertEquals(2, f.size(), f.toString());
        SettingFinding relay = f.get(0);
        assertEquals("relay_log_info_repository", relay.setting());
        assertEquals(Safety.UNSAFE, relay.safety());
        assertEquals(List.of("STOP SLAVE", "SET GLOBAL relay_log_info_repository = TABLE", "START SLAVE"),
                relay.fix().sql());
        assertEquals("[mysqld]\nrelay_log_info_repository = TABLE", relay.fix().myCnf());
        assertEquals(Safety.RISKY, f.get(1).safety());
    }

    @Test
    void tablesAreFineOn57AndTheItemIsNotCheckedOn8OrMariaDb() {
        assertTrue(check(rule, node("n", MYSQL_57, "relay_log_info_repository=TABLE",
                "master_info_repository=TABLE")).stream().allMatch(f -> f.safety() == Safety.FINE));
        assertTrue(check(rule, node("n", MYSQL_80, "relay_log_info_repository=FILE")).isEmpty());
        assertTrue(check(rule, node("n", MARIADB)).isEmpty());
    }
}
