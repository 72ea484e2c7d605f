package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class LogReplicaUpdatesTest {

    private final LogReplicaUpdates rule = new LogReplicaUpdates();

    @Test
    void offIsRiskyAndNeedsARestartUnderTheNameTheServerUses() {
        SettingFinding maria = only(check(rule, node("n", MARIADB, "log_slave_updates=OFF")));
        assertEquals(Safety.RISKY, maria.safety());
        assertEquals("log_slave_updates", maria.setting());
        assertEquals(List.of(), maria.fix().sql());
        assertEquals("[mysqld]\nlog_slave_updates = ON", maria.fix().myCnf());
        assertTrue(maria.fix().restartNeeded());

        // 8.0.26+ prints both names; the new one is the one to persist.
        SettingFinding my80 = only(check(rule, node("n", MYSQL_80, "log_slave_updates=OFF", "log_replica_updates=OFF")));
        assertEquals(List.of("SET PERSIST_ONLY log_replica_updates = ON"), my80.fix().sql());
        SettingFinding my84 = only(check(rule, node("n", MYSQL_84, "log_replica_updates=OFF")));
        assertEquals("log_replica_updates", my84.setting());
    }

    @Test
    void onIsFine() {
        assertEquals(Safety.FINE, only(check(rule, node("n", MYSQL_57, "log_slave_updates=ON"))).safety());
    }
}
