package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class AuditorTest {

    private final Auditor auditor = new Auditor();

    /** MariaDB 10.11 as the README recommends it for node {@code id} of a pair. */
    static NodeSettings recommendedMariaDb(int id) {
        return node("node" + id, MARIADB, "log_bin=ON", "sync_binlog=1", "innodb_flush_log_at_trx_commit=1",
                "relay_log_recovery=ON", "gtid_strict_mode=ON", "gtid_domain_id=" + id, "server_id=" + id,
                "log_slave_updates=ON", "binlog_format=ROW", "binlog_row_image=FULL", "binlog_checksum=CRC32",
                "binlog_expire_logs_seconds=604800", "expire_logs_days=7.000000", "auto_increment_increment=2",
                "auto_increment_offset=" + id, "slave_net_timeout=20", "slave_heartbeat_period=10.000",
                "slave_parallel_threads=0", "slave_parallel_mode=optimistic", "rpl_semi_sync_master_enabled=OFF",
                "rpl_semi_sync_slave_enabled=OFF", "master_verify_checksum=OFF");
    }

    /** MySQL 8.4 as recommended: the 8.4 defaults plus relay_log_recovery, GTIDs, ids and a short timeout. */
    static NodeSettings recommendedMySql84(int id) {
        return node("node" + id, MYSQL_84, "log_bin=ON", "sync_binlog=1", "innodb_flush_log_at_trx_commit=1",
                "relay_log_recovery=ON", "gtid_mode=ON", "enforce_gtid_consistency=ON", "server_id=" + id,
                "server_uuid=00000000-0000-0000-0000-00000000000" + id, "log_replica_updates=ON",
                "binlog_format=ROW", "binlog_row_image=FULL", "binlog_checksum=CRC32",
                "binlog_expire_logs_seconds=2592000", "binlog_expire_logs_auto_purge=ON",
                "auto_increment_increment=2", "auto_increment_offset=" + id, "replica_net_timeout=20",
                "replica_parallel_workers=4", "replica_preserve_commit_order=ON", "replica_parallel_type=LOGICAL_CLOCK");
    }

    static NodeSettings recommendedMySql57(int id) {
        return node("node" + id, MYSQL_57, "log_bin=ON", "sync_binlog=1", "innodb_flush_log_at_trx_commit=1",
                "relay_log_recovery=ON", "relay_log_info_repository=TABLE", "master_info_repository=TABLE",
                "gtid_mode=ON", "enforce_gtid_consistency=ON", "server_id=" + id,
                "server_uuid=00000000-0000-0000-0000-00000000000" + id, "log_slave_updates=ON",
                "binlog_format=ROW", "binlog_row_image=FULL", "binlog_checksum=CRC32", "expire_logs_days=7",
                "auto_increment_increment=2", "auto_increment_offset=" + id, "slave_net_timeout=20",
                "slave_parallel_workers=0", "slave_preserve_commit_order=OFF", "slave_parallel_type=DATABASE");
    }

    @Test
    void recommendedPairsOfEveryFlavorHaveNoProblems() {
        for (List<NodeSettings> pair : List.of(List.of(recommendedMariaDb(1), recommendedMariaDb(2)),
                List.of(recommendedMySql84(1), recommendedMySql84(2)), List.of(recommendedMySql57(1), recommendedMySql57(2)))) {
            AuditReport report = auditor.audit("shop", pair, Map.of());
            assertEquals(List.of(), report.problems(), pair.get(0).version().raw());
            assertEquals(Safety.FINE, report.worst());
            assertTrue(report.findings().size() >= 24, "every item is listed, FINE too: " + report.findings().size());
        }
    }

    @Test
    void aMariaDbPairOnItsDefaultsFailsOnExactlyTheSettingsItShipsWith() {
        // mariadbd --verbose --help of 10.11: the defaults, with the sandbox's own ids and offsets.
        AuditReport report = auditor.audit("shop", List.of(mariaDbDefaults(1), mariaDbDefaults(2)), Map.of());
        Set<String> node1 = Set.copyOf(report.problems().stream().filter(f -> f.node().equals("node1"))
                .map(SettingFinding::item).toList());
        // Increment 1 on both: node1 keeps its offset but needs increment 2.
        assertEquals(Set.of("sync_binlog", "relay_log_recovery", "gtid_strict_mode", "log_replica_updates",
                "binlog_format", "auto_increment", "net_timeout"), node1);
        assertEquals(Safety.UNSAFE, report.worst());
        SettingFinding domain = report.find("node2", MariaDbGtid.DOMAIN_ITEM).orElseThrow();
        assertEquals(Safety.RISKY, domain.safety(), "both in domain 0, strict mode off");
        SettingFinding ids = report.find("node2", AutoIncrementSequences.ITEM).orElseThrow();
        assertEquals(Safety.UNSAFE, ids.safety(), "both hand out 1, 2, 3 ...");
    }

    private static NodeSettings mariaDbDefaults(int id) {
        return node("node" + id, MARIADB, "log_bin=ON", "sync_binlog=0", "innodb_flush_log_at_trx_commit=1",
                "relay_log_recovery=OFF", "gtid_strict_mode=OFF", "gtid_domain_id=0", "server_id=" + id,
                "log_slave_updates=OFF", "binlog_format=MIXED", "binlog_row_image=FULL", "binlog_checksum=CRC32",
                "binlog_expire_logs_seconds=0", "expire_logs_days=0.000000", "auto_increment_increment=1",
                "auto_increment_offset=1", "slave_net_timeout=60", "slave_parallel_threads=0",
                "slave_parallel_mode=optimistic", "rpl_semi_sync_master_enabled=OFF");
    }

    @Test
    void aValueNoRuleCanParseIsReportedNotThrown() {
        AuditReport report = auditor.audit("shop", List.of(node("node1", MARIADB, "sync_binlog=often")), Map.of());
        SettingFinding f = report.find("node1", "SyncBinlog").orElseThrow();
        assertEquals(Safety.RISKY, f.safety());
        assertTrue(f.why().contains("sync_binlog = 'often' is not a number"), f.why());
    }

    @Test
    void aNodeThatCouldNotBeReadIsNotVouchedFor() {
        AuditReport report = auditor.audit("shop", List.of(recommendedMariaDb(1)), Map.of("node2", "connection refused"));
        assertEquals(Safety.RISKY, report.worst());
    }

    @Test
    void theAdapterIsToldEverySpellingEveryRuleReads() {
        List<String> names = auditor.variables();
        for (String name : List.of("sync_binlog", "log_slave_updates", "log_replica_updates", "slave_net_timeout",
                "replica_net_timeout", "slave_heartbeat_period", "relay_log_info_repository", "server_uuid",
                "rpl_semi_sync_source_enabled", "rpl_semi_sync_master_enabled")) {
            assertTrue(names.contains(name), name);
        }
    }
}
