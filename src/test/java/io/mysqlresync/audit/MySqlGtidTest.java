package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class MySqlGtidTest {

    private final MySqlGtid rule = new MySqlGtid();

    @Test
    void gtidOffIsRiskyAndTheFixIsTheOnlineProcedureStepByStep() {
        SettingFinding f = only(check(rule, node("node1", MYSQL_80, "gtid_mode=OFF", "enforce_gtid_consistency=OFF")));
        assertEquals(Safety.RISKY, f.safety());
        assertEquals(List.of("SET PERSIST enforce_gtid_consistency = WARN", "SET PERSIST enforce_gtid_consistency = ON",
                "SET PERSIST gtid_mode = OFF_PERMISSIVE", "SET PERSIST gtid_mode = ON_PERMISSIVE",
                "SET PERSIST gtid_mode = ON"), f.fix().sql());
        assertTrue(f.fix().manualStep().contains("Ongoing_anonymous_transaction_count"));
    }

    @Test
    void halfwayOn57ContinuesFromWhereItIsWithSetGlobalAndTheOptionFile() {
        SettingFinding f = only(check(rule, node("node1", MYSQL_57, "gtid_mode=ON_PERMISSIVE",
                "enforce_gtid_consistency=ON")));
        assertEquals(List.of("SET GLOBAL gtid_mode = ON"), f.fix().sql());
        assertEquals("[mysqld]\ngtid_mode = ON\nenforce_gtid_consistency = ON", f.fix().myCnf());
    }

    @Test
    void onIsFineAndMariaDbIsLeftToItsOwnRule() {
        assertEquals(Safety.FINE, only(check(rule, node("n", MYSQL_84, "gtid_mode=ON",
                "enforce_gtid_consistency=ON"))).safety());
        assertTrue(check(rule, node("n", MARIADB, "gtid_strict_mode=OFF")).isEmpty());
    }
}
