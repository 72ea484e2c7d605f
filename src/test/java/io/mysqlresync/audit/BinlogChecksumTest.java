package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class BinlogChecksumTest {

    private final BinlogChecksum rule = new BinlogChecksum();

    @Test
    void noneIsRiskyCrc32Fine() {
        SettingFinding none = only(check(rule, node("n", MARIADB, "binlog_checksum=NONE")));
        assertEquals(Safety.RISKY, none.safety());
        assertEquals(List.of("SET GLOBAL binlog_checksum = CRC32"), none.fix().sql());
        assertEquals(Safety.FINE, only(check(rule, node("n", MYSQL_84, "binlog_checksum=CRC32"))).safety());
    }
}
