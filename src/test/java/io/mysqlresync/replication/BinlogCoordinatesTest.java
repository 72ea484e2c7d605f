package io.mysqlresync.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinlogCoordinatesTest {

    @ParameterizedTest
    @ValueSource(strings = {"mysql-bin.000001'; DROP TABLE t; --", "../etc/passwd", "mysql bin.000001",
            "mysql-bin", "mysql-bin.", "'mysql-bin.000001'", "mysql-bin.0000x1", ""})
    void fileNamesThatCouldEscapeAnSqlStringAreRejected(String name) {
        assertThrows(IllegalArgumentException.class, () -> new BinlogCoordinates(name, 4));
    }

    @Test
    void negativePositionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BinlogCoordinates("mysql-bin.000001", -1));
    }

    @Test
    void filesAreOrderedByTheirNumberNotTheirName() {
        BinlogCoordinates a = new BinlogCoordinates("mysql-bin.999999", 100);
        BinlogCoordinates b = new BinlogCoordinates("mysql-bin.1000000", 4);
        assertTrue(a.compareTo(b) < 0);
        assertEquals(1_000_000, b.fileSequence());
    }
}
