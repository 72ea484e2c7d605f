package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class ParallelApplierOrderTest {

    private final ParallelApplierOrder rule = new ParallelApplierOrder();

    @Test
    void workersThatCommitOutOfOrderAreRiskyOnMySql8() {
        SettingFinding f = only(check(rule, node("n", MYSQL_84, "replica_parallel_workers=4",
                "replica_preserve_commit_order=OFF")));
        assertEquals(Safety.RISKY, f.safety());
        assertEquals(List.of("STOP REPLICA SQL_THREAD", "SET PERSIST replica_preserve_commit_order = ON",
                "START REPLICA SQL_THREAD"), f.fix().sql());
    }

    @Test
    void on57TheDatabaseSchedulerMustBecomeLogicalClockFirst() {
        SettingFinding f = only(check(rule, node("n", MYSQL_57, "slave_parallel_workers=8",
                "slave_preserve_commit_order=OFF", "slave_parallel_type=DATABASE")));
        assertEquals(List.of("STOP SLAVE SQL_THREAD", "SET GLOBAL slave_parallel_type = LOGICAL_CLOCK",
                "SET GLOBAL slave_preserve_commit_order = ON", "START SLAVE SQL_THREAD"), f.fix().sql());
    }

    @Test
    void oneApplierOrPreservedOrderIsFineAndMariaDbAlwaysCommitsInOrder() {
        assertEquals(Safety.FINE, only(check(rule, node("n", MYSQL_57, "slave_parallel_workers=0",
                "slave_preserve_commit_order=OFF"))).safety());
        assertEquals(Safety.FINE, only(check(rule, node("n", MYSQL_80, "replica_parallel_workers=4",
                "replica_preserve_commit_order=ON"))).safety());
        assertEquals(Safety.FINE, only(check(rule, node("n", MARIADB, "slave_parallel_threads=8",
                "slave_parallel_mode=optimistic"))).safety());
    }
}
