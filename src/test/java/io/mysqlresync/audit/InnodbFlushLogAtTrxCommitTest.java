package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class InnodbFlushLogAtTrxCommitTest {

    private final InnodbFlushLogAtTrxCommit rule = new InnodbFlushLogAtTrxCommit();

    @Test
    void flushingOncePerSecondIsUnsafe() {
        for (String value : List.of("0", "2")) {
            SettingFinding f = only(check(rule, node("node2", MYSQL_80, "innodb_flush_log_at_trx_commit=" + value)));
            assertEquals(Safety.UNSAFE, f.safety(), value);
            assertEquals(List.of("SET PERSIST innodb_flush_log_at_trx_commit = 1"), f.fix().sql());
        }
    }

    @Test
    void oneIsFineAndMariaDbsThreeIsAsDurable() {
        assertEquals(Safety.FINE, only(check(rule, node("n", MYSQL_57, "innodb_flush_log_at_trx_commit=1"))).safety());
        assertEquals(Safety.FINE, only(check(rule, node("n", MARIADB, "innodb_flush_log_at_trx_commit=3"))).safety());
    }
}
