package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class BinlogRetentionTest {

    private final BinlogRetention rule = new BinlogRetention();

    @Test
    void mySql8sThirtyDayDefaultCoversTheWeekTarget() {
        SettingFinding f = only(check(rule, "node1", node("node1", MYSQL_80, "binlog_expire_logs_seconds=2592000",
                "expire_logs_days=0", "binlog_expire_logs_auto_purge=ON", "log_bin=ON"), node("node2", MYSQL_80)));
        assertEquals(Safety.FINE, f.safety());
        assertTrue(f.why().startsWith("node2 can be down 30 days"), f.why());
    }

    @Test
    void threeDaysIsRiskyAndAnHourUnsafeForTheOtherNode() {
        SettingFinding days = only(check(rule, "node1", node("node1", MYSQL_84, "binlog_expire_logs_seconds=259200",
                "log_bin=ON"), node("node2", MYSQL_84)));
        assertEquals(Safety.RISKY, days.safety());
        assertTrue(days.why().startsWith("node2 can be down at most 3 days"), days.why());
        assertEquals(List.of("SET PERSIST binlog_expire_logs_seconds = 604800"), days.fix().sql());

        SettingFinding hour = only(check(rule, node("n", MARIADB, "binlog_expire_logs_seconds=3600",
                "expire_logs_days=0.041667", "log_bin=ON")));
        assertEquals(Safety.UNSAFE, hour.safety());
        assertEquals(List.of("SET GLOBAL binlog_expire_logs_seconds = 604800"), hour.fix().sql());
        assertEquals("[mysqld]\nbinlog_expire_logs_seconds = 604800", hour.fix().myCnf());
    }

    @Test
    void mySql57CountsInDaysAndZeroMeansNeverPurged() {
        SettingFinding two = only(check(rule, node("n", MYSQL_57, "expire_logs_days=2", "log_bin=ON")));
        assertEquals(Safety.RISKY, two.safety());
        assertEquals(List.of("SET GLOBAL expire_logs_days = 7"), two.fix().sql());
        SettingFinding never = only(check(rule, node("n", MYSQL_57, "expire_logs_days=0", "log_bin=ON")));
        assertEquals(Safety.FINE, never.safety());
        assertTrue(never.why().contains("never purged"));
    }

    @Test
    void autoPurgeOffMeansNothingExpires() {
        assertEquals(Safety.FINE, only(check(rule, node("n", MYSQL_80, "binlog_expire_logs_seconds=3600",
                "binlog_expire_logs_auto_purge=OFF", "log_bin=ON"))).safety());
    }
}
