package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class RelayLogRecoveryTest {

    private final RelayLogRecovery rule = new RelayLogRecovery();

    @Test
    void offIsUnsafeOnMariaDbWithSetGlobalAndNoRestart() {
        SettingFinding f = only(check(rule, node("node1", MARIADB, "relay_log_recovery=OFF")));
        assertEquals(Safety.UNSAFE, f.safety());
        assertEquals("ON", f.recommended());
        assertTrue(f.why().contains("relay log read failure"), f.why());
        assertEquals(List.of("SET GLOBAL relay_log_recovery = ON"), f.fix().sql());
        assertEquals("[mysqld]\nrelay_log_recovery = ON", f.fix().myCnf());
        assertFalse(f.fix().restartNeeded());
    }

    @Test
    void mySqlCannotChangeItRunning() {
        SettingFinding on8 = only(check(rule, node("node1", MYSQL_80, "relay_log_recovery=OFF")));
        assertEquals(List.of("SET PERSIST_ONLY relay_log_recovery = ON"), on8.fix().sql());
        assertTrue(on8.fix().restartNeeded());
        SettingFinding on57 = only(check(rule, node("node1", MYSQL_57, "relay_log_recovery=OFF")));
        assertEquals(List.of(), on57.fix().sql());
        assertEquals("[mysqld]\nrelay_log_recovery = ON", on57.fix().myCnf());
        assertTrue(on57.fix().restartNeeded());
    }

    @Test
    void aMariaDbReplicaResumingByGtidRefetchesAnywayButOneByPositionDoesNot() {
        SettingFinding gtid = only(check(rule, node("node1", MARIADB, "relay_log_recovery=OFF", "using_gtid=Slave_Pos")));
        assertEquals(Safety.FINE, gtid.safety());
        assertTrue(gtid.why().contains("Using_Gtid=Slave_Pos"), gtid.why());
        assertEquals(Safety.UNSAFE, only(check(rule, node("node1", MARIADB, "relay_log_recovery=OFF",
                "using_gtid=No"))).safety());
        assertEquals(Safety.UNSAFE, only(check(rule, node("node1", MYSQL_80, "relay_log_recovery=OFF",
                "using_gtid=Slave_Pos"))).safety(), "MariaDB's behaviour only");
    }

    @Test
    void onIsFine() {
        assertEquals(Safety.FINE, only(check(rule, node("node1", MYSQL_84, "relay_log_recovery=ON"))).safety());
    }
}
