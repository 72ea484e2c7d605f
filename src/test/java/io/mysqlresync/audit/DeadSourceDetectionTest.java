package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class DeadSourceDetectionTest {

    private final DeadSourceDetection rule = new DeadSourceDetection();

    @Test
    void theSixtySecondDefaultIsRiskyAndTheFixLowersTheHeartbeatToo() {
        SettingFinding f = only(check(rule, node("node1", MARIADB, "slave_net_timeout=60")));
        assertEquals(Safety.RISKY, f.safety());
        assertEquals("30", f.recommended());
        assertEquals(List.of("STOP SLAVE", "SET GLOBAL slave_net_timeout = 30", "CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD = 15",
                "START SLAVE"), f.fix().sql());
        assertEquals("[mysqld]\nslave_net_timeout = 30", f.fix().myCnf());
    }

    @Test
    void mySql8SpellsItReplicaNetTimeout() {
        SettingFinding f = only(check(rule, node("node1", MYSQL_84, "replica_net_timeout=60")));
        assertEquals("replica_net_timeout", f.setting());
        assertEquals(List.of("STOP REPLICA", "SET PERSIST replica_net_timeout = 30",
                "CHANGE REPLICATION SOURCE TO SOURCE_HEARTBEAT_PERIOD = 15", "START REPLICA"), f.fix().sql());
        assertEquals("slave_net_timeout", only(check(rule, node("n", MYSQL_57, "slave_net_timeout=3600"))).setting());
    }

    @Test
    void aShortTimeoutIsFineButAHeartbeatNoSoonerThanItIsRisky() {
        List<SettingFinding> ok = check(rule, node("n", MARIADB, "slave_net_timeout=20", "slave_heartbeat_period=10.000"));
        assertTrue(ok.stream().allMatch(f -> f.safety() == Safety.FINE), ok.toString());
        assertEquals(2, ok.size());

        // Lowered at runtime after CHANGE MASTER fixed the heartbeat at 30 s.
        List<SettingFinding> late = check(rule, node("n", MARIADB, "slave_net_timeout=20", "slave_heartbeat_period=30.000"));
        SettingFinding hb = late.stream().filter(f -> f.item().equals(DeadSourceDetection.HEARTBEAT_ITEM))
                .findFirst().orElseThrow();
        assertEquals(Safety.RISKY, hb.safety());
        assertEquals(List.of("STOP SLAVE", "CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD = 10", "START SLAVE"), hb.fix().sql());

        assertEquals(1, check(rule, node("n", MARIADB, "slave_net_timeout=20", "slave_heartbeat_period=0.000")).size(),
                "no heartbeat known (not a replica): nothing to judge");
    }
}
