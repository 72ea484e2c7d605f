package io.mysqlresync.app;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.audit.Auditor;
import io.mysqlresync.audit.NodeSettings;
import io.mysqlresync.replication.ServerVersion;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command's exit codes and text over plain values; AuditOnRealServersTest runs it against real pairs. */
class AuditCommandTest {

    private static final ServerVersion MARIADB = ServerVersion.parse("10.11.19-MariaDB-0+deb12u1", "mariadb.org");

    private static AuditReport audit(Map<String, String> node1, Map<String, String> unreadable) {
        return new Auditor().audit("shop", List.of(new NodeSettings("node1", MARIADB, node1)), unreadable);
    }

    @Test
    void exitsZeroFineOneRiskyTwoUnsafe() {
        assertEquals(AuditCommand.FINE, AuditCommand.exitCode(audit(Map.of("sync_binlog", "1"), Map.of())));
        assertEquals(AuditCommand.RISKY, AuditCommand.exitCode(audit(Map.of("binlog_checksum", "NONE"), Map.of())));
        assertEquals(AuditCommand.UNSAFE, AuditCommand.exitCode(audit(Map.of("sync_binlog", "0"), Map.of())));
        assertEquals(AuditCommand.RISKY, AuditCommand.exitCode(audit(Map.of("sync_binlog", "1"),
                Map.of("node2", "connection refused"))), "a node not read is not vouched for");
    }

    @Test
    void theTextPutsEachProblemWithItsFixAndTheFineSettingsAfter() {
        String text = AuditCommand.text(audit(Map.of("sync_binlog", "0", "binlog_checksum", "CRC32"),
                Map.of("node2", "connection refused")));
        assertEquals("""
                Crash-safety audit of shop: UNSAFE (1 unsafe, 0 risky)
                Nothing was changed; apply the fixes by hand.

                node2: not audited: connection refused

                UNSAFE node1: sync_binlog = 0, recommended 1
                       the OS decides when the binlog reaches disk: a power cut loses its tail, and the other node then asks for a position past the end
                       SET GLOBAL sync_binlog = 1;
                       my.cnf:
                         [mysqld]
                         sync_binlog = 1
                       no restart needed

                Fine:
                  node1: binlog_checksum = CRC32
                """, text);
        assertTrue(text.contains("Nothing was changed"));
    }
}
