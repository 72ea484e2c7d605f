package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class BinlogFormatTest {

    private final BinlogFormat rule = new BinlogFormat();

    private SettingFinding item(List<SettingFinding> findings, String item) {
        return findings.stream().filter(f -> f.item().equals(item)).findFirst().orElseThrow();
    }

    @Test
    void mariaDbsDefaultMixedIsRiskyAndStatementUnsafe() {
        List<SettingFinding> mixed = check(rule, node("n", MARIADB, "binlog_format=MIXED", "binlog_row_image=FULL"));
        assertEquals(Safety.RISKY, item(mixed, BinlogFormat.FORMAT_ITEM).safety());
        assertEquals(List.of("SET GLOBAL binlog_format = ROW"), item(mixed, BinlogFormat.FORMAT_ITEM).fix().sql());
        assertEquals(Safety.FINE, item(mixed, BinlogFormat.IMAGE_ITEM).safety());

        List<SettingFinding> statement = check(rule, node("n", MYSQL_57, "binlog_format=STATEMENT",
                "binlog_row_image=MINIMAL"));
        assertEquals(Safety.UNSAFE, only(statement).safety(), "no row image is judged where no rows are logged");
    }

    @Test
    void minimalRowImagesAreRiskyAndNoblobFine() {
        List<SettingFinding> minimal = check(rule, node("n", MYSQL_84, "binlog_format=ROW", "binlog_row_image=MINIMAL"));
        assertEquals(Safety.FINE, item(minimal, BinlogFormat.FORMAT_ITEM).safety());
        SettingFinding image = item(minimal, BinlogFormat.IMAGE_ITEM);
        assertEquals(Safety.RISKY, image.safety());
        assertEquals(List.of("SET PERSIST binlog_row_image = FULL"), image.fix().sql());
        assertEquals(Safety.FINE, item(check(rule, node("n", MYSQL_80, "binlog_format=ROW",
                "binlog_row_image=NOBLOB")), BinlogFormat.IMAGE_ITEM).safety());
    }
}
