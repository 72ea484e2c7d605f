package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class SyncBinlogTest {

    private final SyncBinlog rule = new SyncBinlog();

    @Test
    void mariaDbsDefaultZeroIsUnsafeWithSetGlobalAndTheMyCnfLine() {
        SettingFinding f = only(check(rule, node("node1", MARIADB, "sync_binlog=0", "log_bin=ON")));
        assertEquals(Safety.UNSAFE, f.safety());
        assertEquals("0", f.current());
        assertEquals("1", f.recommended());
        assertTrue(f.why().contains("power cut loses its tail"), f.why());
        assertEquals(List.of("SET GLOBAL sync_binlog = 1"), f.fix().sql());
        assertEquals("[mysqld]\nsync_binlog = 1", f.fix().myCnf());
        assertFalse(f.fix().restartNeeded());
    }

    @Test
    void onMySql8TheFixIsSetPersistAndNoOptionFile() {
        SettingFinding f = only(check(rule, node("node1", MYSQL_84, "sync_binlog=0", "log_bin=ON")));
        assertEquals(Safety.UNSAFE, f.safety());
        assertEquals(List.of("SET PERSIST sync_binlog = 1"), f.fix().sql());
        assertEquals("", f.fix().myCnf());
    }

    @Test
    void syncingEveryHundredCommitsIsRisky() {
        SettingFinding f = only(check(rule, node("node1", MYSQL_57, "sync_binlog=100", "log_bin=ON")));
        assertEquals(Safety.RISKY, f.safety());
        assertTrue(f.why().contains("up to 99"), f.why());
    }

    @Test
    void oneIsFineAndANodeWithoutBinlogIsNotJudged() {
        assertEquals(Safety.FINE, only(check(rule, node("node1", MYSQL_80, "sync_binlog=1", "log_bin=ON"))).safety());
        assertTrue(check(rule, node("node1", MYSQL_80, "sync_binlog=0", "log_bin=OFF")).isEmpty());
    }
}
