package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class SemiSyncTest {

    private final SemiSync rule = new SemiSync();

    @Test
    void notInUseIsNotJudged() {
        NodeSettings off = node("node1", MARIADB, "rpl_semi_sync_master_enabled=OFF",
                "rpl_semi_sync_master_wait_point=AFTER_COMMIT", "rpl_semi_sync_slave_enabled=OFF");
        assertTrue(check(rule, "node1", off, node("node2", MARIADB, "rpl_semi_sync_master_enabled=OFF",
                "rpl_semi_sync_slave_enabled=OFF")).isEmpty());
        assertTrue(check(rule, node("n", MYSQL_84)).isEmpty(), "plugin not loaded: no variables");
    }

    @Test
    void mariaDbsAfterCommitDefaultIsRiskyAndAReplicaThatNeverAcknowledgesToo() {
        NodeSettings node1 = node("node1", MARIADB, "rpl_semi_sync_master_enabled=ON",
                "rpl_semi_sync_master_wait_point=AFTER_COMMIT", "rpl_semi_sync_slave_enabled=OFF");
        NodeSettings node2 = node("node2", MARIADB, "rpl_semi_sync_master_enabled=OFF",
                "rpl_semi_sync_slave_enabled=OFF");
        SettingFinding wait = only(check(rule, "node1", node1, node2));
        assertEquals(Safety.RISKY, wait.safety());
        assertEquals(List.of("SET GLOBAL rpl_semi_sync_master_wait_point = AFTER_SYNC"), wait.fix().sql());
        SettingFinding ack = only(check(rule, "node2", node1, node2));
        assertEquals(Safety.RISKY, ack.safety());
        assertEquals(List.of("SET GLOBAL rpl_semi_sync_slave_enabled = ON", "STOP SLAVE IO_THREAD",
                "START SLAVE IO_THREAD"), ack.fix().sql());
    }

    @Test
    void losslessBothWaysOnMySql84IsFine() {
        NodeSettings node1 = node("node1", MYSQL_84, "rpl_semi_sync_source_enabled=ON",
                "rpl_semi_sync_source_wait_point=AFTER_SYNC", "rpl_semi_sync_replica_enabled=ON");
        NodeSettings node2 = node("node2", MYSQL_84, "rpl_semi_sync_source_enabled=ON",
                "rpl_semi_sync_source_wait_point=AFTER_SYNC", "rpl_semi_sync_replica_enabled=ON");
        List<SettingFinding> f = check(rule, "node2", node1, node2);
        assertEquals(2, f.size());
        assertTrue(f.stream().allMatch(x -> x.safety() == Safety.FINE), f.toString());
    }
}
