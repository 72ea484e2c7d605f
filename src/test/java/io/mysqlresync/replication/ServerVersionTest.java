package io.mysqlresync.replication;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerVersionTest {

    @Test
    void mysql57IsLegacySyntax() {
        ServerVersion v = ServerVersion.parse("5.7.44-log", "MySQL Community Server (GPL)");
        assertEquals(Flavor.MYSQL_LEGACY, v.flavor());
        assertFalse(v.hasChangeReplicationSource());
    }

    @Test
    void mysql8022RenamedStatusButNotChangeMaster() {
        ServerVersion v = ServerVersion.parse("8.0.22", "MySQL Community Server - GPL");
        assertEquals(Flavor.MYSQL, v.flavor());
        assertFalse(v.hasChangeReplicationSource(), "CHANGE REPLICATION SOURCE TO arrived in 8.0.23");
        assertTrue(ServerVersion.parse("8.0.23", "").hasChangeReplicationSource());
    }

    @Test
    void mysql8021IsStillLegacy() {
        assertEquals(Flavor.MYSQL_LEGACY, ServerVersion.parse("8.0.21", "").flavor());
    }

    @Test
    void mysql84HasBinaryLogStatusInsteadOfMasterStatus() {
        ServerVersion v = ServerVersion.parse("8.4.3", "MySQL Community Server - GPL");
        assertTrue(v.hasShowBinaryLogStatus());
        assertFalse(ServerVersion.parse("8.0.40", "").hasShowBinaryLogStatus());
    }

    @Test
    void mariadbIsRecognisedFromTheVersionString() {
        ServerVersion v = ServerVersion.parse("10.11.19-MariaDB-0+deb12u1-log", "Debian 12");
        assertEquals(Flavor.MARIADB, v.flavor());
        assertEquals(10, v.major());
        assertFalse(v.hasChangeReplicationSource());
    }

    @Test
    void garbageIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse("not a version", ""));
    }
}
