package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class AutoIncrementSequencesTest {

    private final AutoIncrementSequences rule = new AutoIncrementSequences();

    private static NodeSettings seq(String name, String version, int increment, int offset) {
        return node(name, version, "auto_increment_increment=" + increment, "auto_increment_offset=" + offset);
    }

    @Test
    void oddAndEvenNeverCollide() {
        NodeSettings node1 = seq("node1", MARIADB, 2, 1);
        NodeSettings node2 = seq("node2", MARIADB, 2, 2);
        assertEquals(Safety.FINE, only(check(rule, "node1", node1, node2)).safety());
        assertEquals(Safety.FINE, only(check(rule, "node2", node1, node2)).safety());
    }

    @Test
    void theSameOffsetOnBothNodesIsUnsafeOnTheSecondNodeOnly() {
        NodeSettings node1 = seq("node1", MARIADB, 2, 1);
        NodeSettings node2 = seq("node2", MARIADB, 2, 1);
        assertEquals(Safety.FINE, only(check(rule, "node1", node1, node2)).safety());
        SettingFinding f = only(check(rule, "node2", node1, node2));
        assertEquals(Safety.UNSAFE, f.safety());
        assertEquals("auto_increment_offset", f.setting());
        assertEquals("auto_increment_increment=2, auto_increment_offset=2", f.recommended());
        assertTrue(f.why().startsWith("node1 hands out the same ids (2/1)"), f.why());
        assertEquals(List.of("SET GLOBAL auto_increment_offset = 2"), f.fix().sql());
    }

    @Test
    void defaultsOnBothMySqlNodesCollideAndBothNeedTheIncrement() {
        NodeSettings node1 = seq("node1", MYSQL_84, 1, 1);
        NodeSettings node2 = seq("node2", MYSQL_84, 1, 1);
        SettingFinding first = only(check(rule, "node1", node1, node2));
        assertEquals(List.of("SET PERSIST auto_increment_increment = 2"), first.fix().sql());
        SettingFinding second = only(check(rule, "node2", node1, node2));
        assertEquals(List.of("SET PERSIST auto_increment_increment = 2", "SET PERSIST auto_increment_offset = 2"),
                second.fix().sql());
    }

    @Test
    void differentIncrementsCollideWhenTheOffsetsAgreeModuloTheirGcd() {
        // 3/1 gives 1, 4, 7, 10 ...; 2/2 gives 2, 4, 6 ...: both hand out 4.
        assertEquals(Safety.UNSAFE, only(check(rule, "node2", seq("node1", MYSQL_57, 3, 1),
                seq("node2", MYSQL_57, 2, 2))).safety());
        // An offset above the increment is ignored: 2/5 hands out 1, 3, 5 ... like 2/1.
        assertEquals(Safety.UNSAFE, only(check(rule, "node2", seq("node1", MYSQL_80, 2, 1),
                seq("node2", MYSQL_80, 2, 5))).safety());
    }
}
