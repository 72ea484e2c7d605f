package io.mysqlresync.audit;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Evidence;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.diagnosis.Thresholds;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.mysqlresync.audit.Nodes.*;
import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.*;

class IncidentCausesTest {

    private final Auditor auditor = new Auditor();

    private static NodeSettings mysql57(String name, String syncBinlog, String relayLogRecovery, int id) {
        return node(name, MYSQL_57, "log_bin=ON", "sync_binlog=" + syncBinlog, "relay_log_recovery=" + relayLogRecovery,
                "server_id=" + id, "auto_increment_increment=2", "auto_increment_offset=" + id);
    }

    @Test
    void theSeedCrashIsExplainedBySyncBinlogZeroAndRelayLogRecoveryOffOnNode1() {
        Diagnosis d = new Diagnoser(Thresholds.DEFAULT).diagnose(seedIncident("5.7.44-log"));
        AuditReport audit = auditor.audit("shop", List.of(mysql57("node1", "0", "OFF", 1),
                mysql57("node2", "1", "ON", 2)), Map.of());

        List<String> sentences = IncidentCauses.explain(d.findings(), audit).stream().map(Cause::sentence).toList();

        assertEquals(List.of(
                "node1 runs relay_log_recovery=OFF: it kept the relay log the crash tore instead of fetching it again"
                        + " from node2, which is why its SQL thread stopped on a relay log read failure",
                "node1 runs sync_binlog=0: the power cut lost its binlog tail, which is why node2 asked for a position"
                        + " past the end"), sentences);
    }

    @Test
    void theSameCrashOnWellSetNodesNamesNoSetting() {
        Diagnosis d = new Diagnoser(Thresholds.DEFAULT).diagnose(seedIncident("5.7.44-log"));
        AuditReport audit = auditor.audit("shop", List.of(mysql57("node1", "1", "ON", 1),
                mysql57("node2", "1", "ON", 2)), Map.of());
        assertEquals(List.of(), IncidentCauses.explain(d.findings(), audit));
    }

    @Test
    void aDuplicateKeyIsTracedToTheCollidingAutoIncrementWhicheverNodeCarriesTheFinding() {
        Finding duplicate = new Finding(FindingKind.DUPLICATE_KEY, "node1", "node2", "1062", "",
                List.of(new Evidence("Last_SQL_Errno", "1062")));
        AuditReport audit = auditor.audit("shop", List.of(
                node("node1", MARIADB, "auto_increment_increment=2", "auto_increment_offset=1"),
                node("node2", MARIADB, "auto_increment_increment=2", "auto_increment_offset=1")), Map.of());
        Cause cause = IncidentCauses.explain(List.of(duplicate), audit).get(0);
        assertEquals("node2 and node1 hand out the same auto-increment ids (auto_increment_increment=2,"
                + " auto_increment_offset=1 on node2): rows inserted on both at once collided, which is why node1"
                + " stopped on a duplicate key", cause.sentence());
        assertEquals(List.of("SET GLOBAL auto_increment_offset = 2"), cause.setting().fix().sql());
    }

    @Test
    void purgedBinlogsAreTracedToTheSourcesRetention() {
        Finding purged = new Finding(FindingKind.SOURCE_BINLOGS_PURGED, "node2", "node1", "1236", "", List.of());
        AuditReport audit = auditor.audit("shop", List.of(
                node("node1", MYSQL_84, "log_bin=ON", "binlog_expire_logs_seconds=86400"), node("node2", MYSQL_84)),
                Map.of());
        assertEquals("node1 keeps binlogs too briefly (binlog_expire_logs_seconds=86400): node2 was away longer,"
                        + " which is why the files it needed were purged",
                IncidentCauses.explain(List.of(purged), audit).get(0).sentence());
    }
}
