package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.replication.Applier;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.mysqlresync.testsupport.Statuses.MYSQL_COORDINATOR_STOP;
import static io.mysqlresync.testsupport.Statuses.binlog;
import static io.mysqlresync.testsupport.Statuses.node;
import static io.mysqlresync.testsupport.Statuses.nodeWithChannels;
import static io.mysqlresync.testsupport.Statuses.pair;
import static io.mysqlresync.testsupport.Statuses.row;
import static io.mysqlresync.testsupport.Statuses.withApplier;
import static io.mysqlresync.testsupport.Statuses.withGtid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15's table of flavor defects, one test per row, each built from the servers' own texts
 * and column names; the source file or manual page is named in each test.
 */
class FlavorConformanceTest {

    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private final Diagnoser diagnoser = new Diagnoser(Thresholds.DEFAULT);
    private final Planner planner = new Planner();

    private static NodeStatus healthy(String name, String version, String source) {
        return node(name, version, 100_000, row("Master_Host: " + source, "Slave_IO_Running: Yes",
                "Slave_SQL_Running: Yes", "Seconds_Behind_Master: 0"), binlog("binlog.000010", 900));
    }

    private RecoveryPlan plan(ClusterStatus status) {
        return planner.plan(diagnoser.diagnose(status), "p-test", Instant.EPOCH);
    }

    private static Optional<PlanOption> option(RecoveryPlan plan, String id) {
        return plan.options().stream().filter(o -> o.id().equals(id)).findFirst();
    }

    private static List<String> statements(PlanOption o) {
        return o.steps().stream().flatMap(s -> s.statements().stream()).toList();
    }

    private static Finding only(Diagnosis d, String node) {
        List<Finding> on = d.on(node).stream().filter(f -> f.kind() != FindingKind.RECENTLY_RESTARTED).toList();
        assertEquals(1, on.size(), on.toString());
        return on.get(0);
    }

    private static NodeStatus mysqlDuplicateKey(String version, String autoPosition) {
        return node("node2", version, 100_000, row("Master_Host: node1", "Master_Log_File: binlog.000406",
                "Read_Master_Log_Pos: 906634900", "Relay_Master_Log_File: binlog.000406",
                "Exec_Master_Log_Pos: 906634000", "Relay_Log_File: relay.000012", "Relay_Log_Pos: 4000",
                "Slave_IO_Running: Yes", "Slave_SQL_Running: No", "Auto_Position: " + autoPosition,
                "Last_SQL_Errno: 1062", "Last_SQL_Error: " + MYSQL_COORDINATOR_STOP), binlog("binlog.000010", 900));
    }

    /**
     * MySQL refuses sql_replica_skip_counter whenever gtid_mode=ON (ER_SQL_REPLICA_SKIP_COUNTER_NOT_SETTABLE_IN_GTID_MODE,
     * 1858; sql/sys_vars.cc, check of sql_replica_skip_counter), Auto_Position=0 or not. MySQL 8.0 manual,
     * 19.1.7.3 "Skipping Transactions": "commit an empty transaction" with SET GTID_NEXT.
     */
    @Test
    void mysqlWithGtidModeOnButNoAutoPositionSkipsByAnEmptyTransactionWithThePerformanceSchemaGtid() {
        NodeStatus node2 = withApplier(withGtid(mysqlDuplicateKey("8.0.36", "0"), UUID + ":1-242101387"),
                new Applier(4, true, UUID + ":242101388", ""));
        RecoveryPlan plan = plan(pair(healthy("node1", "8.0.36", "node2"), node2));

        PlanOption skip = option(plan, Planner.SKIP_EVENT).orElseThrow();
        assertEquals(List.of("STOP REPLICA", "SET GTID_NEXT='" + UUID + ":242101388'", "BEGIN", "COMMIT",
                "SET GTID_NEXT='AUTOMATIC'", "START REPLICA"), statements(skip));
        assertTrue(plan.options().stream().flatMap(o -> statements(o).stream()).noneMatch(s -> s.contains("skip_counter")));

        // Without the performance_schema grant the GTID is unknown: no skip is guessed from Last_SQL_Error.
        NodeStatus unknown = withApplier(withGtid(mysqlDuplicateKey("8.0.36", "0"), UUID + ":1-242101387"),
                new Applier(4, true, "", ""));
        RecoveryPlan manual = plan(pair(healthy("node1", "8.0.36", "node2"), unknown));
        assertTrue(option(manual, Planner.SKIP_EVENT).isEmpty());
        assertTrue(manual.manualActions().stream().anyMatch(a -> a.contains("error 1858") && a.contains("APPLYING_TRANSACTION")),
                manual.manualActions().toString());
    }

    /** The counter stays the fix where the server allows it: gtid_mode=OFF. */
    @Test
    void mysqlWithoutGtidStillSkipsWithTheCounter() {
        RecoveryPlan plan = plan(pair(healthy("node1", "8.0.36", "node2"), mysqlDuplicateKey("8.0.36", "0")));
        assertEquals(List.of("STOP REPLICA", "SET GLOBAL sql_replica_skip_counter = 1", "START REPLICA"),
                statements(option(plan, Planner.SKIP_EVENT).orElseThrow()));
    }

    /**
     * 2061 from caching_sha2_password (sql/auth/sha2_password.cc; MySQL 8.4 manual, "Caching SHA-2
     * Pluggable Authentication": a non-TLS login needs the cached entry, lost when the source
     * restarts): a finding on the replica's channel, fixed with SOURCE_SSL=1.
     */
    @Test
    void error2061FromCachingSha2IsAChannelSettingNotAWrongPassword() {
        NodeStatus node1 = node("node1", "8.4.3", 40, row("Master_Host: node2", "Slave_IO_Running: Yes",
                "Slave_SQL_Running: Yes", "Seconds_Behind_Master: 0"), binlog("binlog.000011", 900));
        NodeStatus node2 = node("node2", "8.4.3", 100_000, row("Master_Host: node1", "Master_User: repl",
                "Slave_IO_Running: Connecting", "Slave_SQL_Running: Yes", "Last_IO_Errno: 2061",
                "Last_IO_Error: error connecting to source 'repl@node1:3306' - retry-time: 60 retries: 1 message: "
                        + "Authentication plugin 'caching_sha2_password' reported error: Authentication requires secure connection."),
                binlog("binlog.000010", 900));
        Diagnosis d = diagnoser.diagnose(pair(node1, node2));
        Finding f = only(d, "node2");
        assertEquals(FindingKind.SOURCE_LOGIN_NEEDS_SECURE_CONNECTION, f.kind());
        assertTrue(f.explanation().contains("restarted recently"), f.explanation());
        RecoveryPlan plan = planner.plan(d, "p", Instant.EPOCH);
        assertEquals(List.of("STOP REPLICA IO_THREAD", "CHANGE REPLICATION SOURCE TO SOURCE_SSL=1", "START REPLICA IO_THREAD"),
                statements(option(plan, Planner.RESYNC).orElseThrow()));
        assertTrue(String.join(" ", option(plan, Planner.RESYNC).get().risks()).contains("GET_SOURCE_PUBLIC_KEY=1"));
    }

    /**
     * Channels: STOP/START REPLICA without FOR CHANNEL act on every channel (MySQL 8.4 manual,
     * 19.2.2.2 "Commands for Operations on a Single Channel"); each channel is diagnosed on its own
     * and its statements name it.
     */
    @Test
    void aMysqlNamedChannelIsDiagnosedAndPlannedOnItsOwn() {
        NodeStatus node2 = nodeWithChannels("node2", "8.0.36", 100_000, List.of(binlog("binlog.000010", 900)),
                row("Channel_Name: ", "Master_Host: node1", "Slave_IO_Running: Yes", "Slave_SQL_Running: Yes",
                        "Seconds_Behind_Master: 0"),
                row("Channel_Name: eu", "Master_Host: eu-source", "Master_Log_File: binlog.000077",
                        "Read_Master_Log_Pos: 9000", "Relay_Master_Log_File: binlog.000077", "Exec_Master_Log_Pos: 5000",
                        "Relay_Log_File: relay-eu.000003", "Relay_Log_Pos: 300", "Slave_IO_Running: Yes",
                        "Slave_SQL_Running: No", "Last_SQL_Errno: 13121",
                        "Last_SQL_Error: Relay log read failure: Could not parse relay log event entry."));
        Diagnosis d = diagnoser.diagnose(pair(healthy("node1", "8.0.36", "node2"), node2));
        List<Finding> findings = d.on("node2");
        assertEquals(List.of(FindingKind.HEALTHY, FindingKind.RELAY_LOG_CORRUPT), findings.stream().map(Finding::kind).toList());
        assertEquals("eu", findings.get(1).channel());
        assertTrue(findings.get(1).summary().contains("(channel 'eu')"), findings.get(1).summary());
        RecoveryPlan plan = planner.plan(d, "p", Instant.EPOCH);
        assertEquals(List.of("STOP REPLICA FOR CHANNEL 'eu'",
                "CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='binlog.000077', SOURCE_LOG_POS=5000 FOR CHANNEL 'eu'",
                "START REPLICA FOR CHANNEL 'eu'"), statements(option(plan, Planner.RESYNC).orElseThrow()));
    }

    /**
     * MariaDB named connections (MariaDB manual, "Multi-Source Replication": STOP SLAVE 'name',
     * @@default_master_connection chooses the connection sql_slave_skip_counter applies to).
     */
    @Test
    void aMariadbNamedConnectionIsNamedInEveryStatement() {
        NodeStatus node2 = nodeWithChannels("node2", "10.11.6-MariaDB-log", 100_000, List.of(binlog("mysql-bin.000010", 900)),
                row("Channel_Name: ", "Master_Host: node1", "Slave_IO_Running: Yes", "Slave_SQL_Running: Yes",
                        "Seconds_Behind_Master: 0"),
                row("Channel_Name: eu", "Master_Host: eu-source", "Slave_IO_Running: Yes", "Slave_SQL_Running: No",
                        "Using_Gtid: No", "Last_SQL_Errno: 1062",
                        "Last_SQL_Error: Could not execute Write_rows_v1 event on table shop.orders; Duplicate entry '7' for key 'PRIMARY', Error_code: 1062"));
        Diagnosis d = diagnoser.diagnose(pair(healthy("node1", "10.11.6-MariaDB-log", "node2"), node2));
        Finding dup = d.on("node2").get(1);
        assertEquals(FindingKind.DUPLICATE_KEY, dup.kind());
        assertTrue(dup.summary().contains("(connection 'eu')"), dup.summary());
        RecoveryPlan plan = planner.plan(d, "p", Instant.EPOCH);
        assertEquals(List.of("STOP SLAVE 'eu'", "SET @@default_master_connection = 'eu'",
                "SET GLOBAL sql_slave_skip_counter = 1", "SET @@default_master_connection = ''", "START SLAVE 'eu'"),
                statements(option(plan, Planner.SKIP_EVENT).orElseThrow()));
    }

    /**
     * MariaDB refuses the skip counter with parallel replication and several GTID domains:
     * ER_SLAVE_SKIP_NOT_IN_GTID (1966; sql/sys_vars.cc, check_slave_skip_counter; also proven on a
     * real server by MariaDbFlavorsOnRealServersTest). The GTID skip
     * moves gtid_slave_pos past the failing GTID, with every connection stopped (MariaDB manual,
     * "gtid_slave_pos": settable only while all slave threads are stopped).
     */
    @Test
    void mariadbParallelReplicationWithSeveralDomainsSkipsByGtidNotTheCounter() {
        NodeStatus node2 = node("node2", "10.11.6-MariaDB-log", 100_000, row("Master_Host: node1",
                "Slave_IO_Running: Yes", "Slave_SQL_Running: No", "Using_Gtid: Slave_Pos",
                "Gtid_Slave_Pos: 0-1-100,1-2-50", "Last_SQL_Errno: 1062",
                "Last_SQL_Error: Could not execute Write_rows_v1 event on table shop.orders; Duplicate entry '7' for key "
                        + "'PRIMARY', Error_code: 1062; handler error HA_ERR_FOUND_DUPP_KEY; the event's master log "
                        + "mysql-bin.000002, end_log_pos 1234"),
                binlog("mysql-bin.000010", 900));
        // The failing GTID, as the reader takes it from the source binlog at Exec_Master_Log_Pos.
        node2 = withApplier(withGtid(node2, "0-1-100,1-2-50"), new Applier(4, true, "1-1-51", ""));
        RecoveryPlan plan = plan(pair(healthy("node1", "10.11.6-MariaDB-log", "node2"), node2));
        assertEquals(List.of("STOP ALL SLAVES", "SET GLOBAL gtid_slave_pos = '0-1-100,1-1-51'", "START ALL SLAVES"),
                statements(option(plan, Planner.SKIP_EVENT).orElseThrow()));

        // One domain, or no parallel applier: the counter is still allowed.
        NodeStatus serial = withApplier(node2, new Applier(0, true, "", "0-1-100"));
        assertTrue(statements(option(plan(pair(healthy("node1", "10.11.6-MariaDB-log", "node2"), serial)),
                Planner.SKIP_EVENT).orElseThrow()).contains("SET GLOBAL sql_slave_skip_counter = 1"));
    }

    /** MariaDB manual, "CHANGE MASTER TO": MASTER_USE_GTID=current_pos and slave_pos differ; keep the channel's. */
    @Test
    void mariadbKeepsTheChannelsOwnGtidMode() {
        NodeStatus node1 = node("node1", "10.11.6-MariaDB-log", 300, row("Master_Host: node2",
                "Slave_IO_Running: Yes", "Slave_SQL_Running: No", "Using_Gtid: Current_Pos",
                "Last_SQL_Errno: 1594", "Last_SQL_Error: Relay log read failure: Could not parse relay log event entry."),
                binlog("mysql-bin.000235", 2048));
        RecoveryPlan plan = plan(pair(node1, healthy("node2", "10.11.6-MariaDB-log", "node1")));
        assertEquals(List.of("STOP SLAVE", "CHANGE MASTER TO MASTER_USE_GTID=current_pos", "START SLAVE"),
                statements(option(plan, Planner.RESYNC).orElseThrow()));
    }

    /**
     * MySQL 5.7 / 8.0 before 8.0.27 (replica_preserve_commit_order OFF): CHANGE MASTER fails with
     * ER_MTS_CHANGE_MASTER_CANT_RUN_WITH_GAPS (1802) while gaps exist; MySQL manual, 19.5.1.35
     * "Replication and Transaction Inconsistencies": START REPLICA UNTIL SQL_AFTER_MTS_GAPS first.
     */
    @Test
    void aMultithreadedApplierWithoutCommitOrderFillsItsGapsBeforeBeingRepointed() {
        NodeStatus node1 = withApplier(node("node1", "5.7.44-log", 300, row("Master_Host: node2",
                "Master_Log_File: mysql-bin.000253", "Read_Master_Log_Pos: 569975131",
                "Relay_Master_Log_File: mysql-bin.000253", "Exec_Master_Log_Pos: 419130498",
                "Relay_Log_File: relay-bin.000198", "Relay_Log_Pos: 179576569",
                "Slave_IO_Running: Yes", "Slave_SQL_Running: No", "Last_SQL_Errno: 1594",
                "Last_SQL_Error: Relay log read failure: Could not parse relay log event entry."),
                binlog("mysql-bin.000235", 2048)), new Applier(4, false, "", ""));
        RecoveryPlan plan = plan(pair(node1, healthy("node2", "5.7.44-log", "node1")));
        assertEquals(List.of("STOP SLAVE", "START SLAVE SQL_THREAD UNTIL SQL_AFTER_MTS_GAPS", "STOP SLAVE",
                "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000253', MASTER_LOG_POS=419130498", "START SLAVE"),
                statements(option(plan, Planner.RESYNC).orElseThrow()));

        // 8.0.27+ keeps commit order by default: no gaps, no extra step.
        NodeStatus ordered = withApplier(node1, new Applier(4, true, "", ""));
        assertFalse(statements(option(plan(pair(ordered, healthy("node2", "5.7.44-log", "node1"))), Planner.RESYNC)
                .orElseThrow()).stream().anyMatch(s -> s.contains("SQL_AFTER_MTS_GAPS")));
    }

    /**
     * With Auto_Position=1, SOURCE_LOG_FILE/POS are refused: ER_BAD_REPLICA_AUTO_POSITION (1776;
     * MySQL 8.4 manual, CHANGE REPLICATION SOURCE TO, SOURCE_AUTO_POSITION). The truncated source is
     * resumed by GTID: reconnecting asks for what the replica lacks.
     */
    @Test
    void autoPositionedReplicaOfATruncatedSourceIsResumedByGtidNotByFileAndPosition() {
        NodeStatus node1 = node("node1", "8.0.36", 300, row("Master_Host: node2", "Slave_IO_Running: Yes",
                "Slave_SQL_Running: Yes", "Seconds_Behind_Master: 0"),
                binlog("binlog.000234", 173000000L), binlog("binlog.000235", 2048L));
        NodeStatus node2 = node("node2", "8.0.36", 8_000_000, row("Master_Host: node1",
                "Master_Log_File: binlog.000234", "Read_Master_Log_Pos: 173841457",
                "Relay_Master_Log_File: binlog.000234", "Exec_Master_Log_Pos: 173841457",
                "Slave_IO_Running: No", "Slave_SQL_Running: Yes", "Auto_Position: 1", "Last_IO_Errno: 13114",
                "Last_IO_Error: Got fatal error 1236 from source when reading data from binary log: "
                        + "'Client requested source to start replication from impossible position'"),
                binlog("binlog.000253", 600000000L));
        Diagnosis d = diagnoser.diagnose(pair(node1, node2));
        assertEquals(FindingKind.SOURCE_BINLOG_TRUNCATED, only(d, "node2").kind());
        List<String> sql = statements(option(planner.plan(d, "p", Instant.EPOCH), Planner.RESYNC).orElseThrow());
        assertEquals(List.of("STOP REPLICA IO_THREAD", "START REPLICA IO_THREAD"), sql);
        assertTrue(sql.stream().noneMatch(s -> s.contains("SOURCE_LOG_FILE")));
    }

    /**
     * CR_SSL_CONNECTION_ERROR (2026; include/errmsg.h): a TLS configuration fault that never clears,
     * not "source unreachable, resumes by itself".
     */
    @Test
    void error2026IsATlsConfigurationFaultThatDoesNotClearByItself() {
        NodeStatus node2 = node("node2", "8.0.36", 100_000, row("Master_Host: node1",
                "Slave_IO_Running: Connecting", "Slave_SQL_Running: Yes", "Last_IO_Errno: 2026",
                "Last_IO_Error: error connecting to source 'repl@node1:3306' - retry-time: 60 retries: 3 message: "
                        + "SSL connection error: error:0A000086:SSL routines::certificate verify failed"),
                binlog("binlog.000010", 900));
        Diagnosis d = diagnoser.diagnose(pair(healthy("node1", "8.0.36", "node2"), node2));
        Finding f = only(d, "node2");
        assertEquals(FindingKind.SOURCE_TLS_FAILURE, f.kind());
        assertTrue(f.explanation().contains("will not resume by itself"), f.explanation());
        RecoveryPlan plan = planner.plan(d, "p", Instant.EPOCH);
        assertTrue(plan.manualActions().stream().noneMatch(a -> a.contains("resumes by itself")), plan.manualActions().toString());
        assertTrue(plan.manualActions().stream().anyMatch(a -> a.contains("will not clear by itself")));
    }

    /** ER_NO_SUCH_TABLE (1146; share/messages_to_clients.txt "Table '%s.%s' doesn't exist"). */
    @Test
    void error1146IsATableMissingOnTheReplica() {
        NodeStatus node2 = node("node2", "10.11.6-MariaDB-log", 100_000, row("Master_Host: node1",
                "Slave_IO_Running: Yes", "Slave_SQL_Running: No", "Last_SQL_Errno: 1146",
                "Last_SQL_Error: Error executing row event: 'Table 'demo.gone' doesn't exist'"), binlog("mysql-bin.000010", 900));
        Diagnosis d = diagnoser.diagnose(pair(healthy("node1", "10.11.6-MariaDB-log", "node2"), node2));
        Finding f = only(d, "node2");
        assertEquals(FindingKind.TABLE_MISSING, f.kind());
        assertTrue(f.explanation().contains("Table 'demo.gone' doesn't exist"));
        assertTrue(planner.plan(d, "p", Instant.EPOCH).manualActions().get(0).contains("SHOW CREATE TABLE on node1"));
    }

    /** ER_NET_PACKET_TOO_LARGE (1153): the IO thread's slave_max_allowed_packet; raised to its 1 GiB maximum. */
    @Test
    void error1153RaisesTheReplicasPacketLimit() {
        NodeStatus node2 = node("node2", "8.0.36", 100_000, row("Master_Host: node1",
                "Slave_IO_Running: No", "Slave_SQL_Running: Yes", "Last_IO_Errno: 1153",
                "Last_IO_Error: Got a packet bigger than 'replica_max_allowed_packet' bytes"), binlog("binlog.000010", 900));
        Diagnosis d = diagnoser.diagnose(pair(healthy("node1", "8.0.36", "node2"), node2));
        assertEquals(FindingKind.EVENT_LARGER_THAN_PACKET_LIMIT, only(d, "node2").kind());
        assertEquals(List.of("STOP REPLICA IO_THREAD", "SET GLOBAL replica_max_allowed_packet = 1073741824",
                "START REPLICA IO_THREAD"), statements(option(planner.plan(d, "p", Instant.EPOCH), Planner.RESYNC).orElseThrow()));
    }

    /** MariaDB ER_GTID_STRICT_OUT_OF_ORDER (1950; sql/share/errmsg-utf8.txt), under gtid_strict_mode. */
    @Test
    void error1950IsAnOutOfOrderGtidFromBothNodesWritingOneDomain() {
        NodeStatus node2 = node("node2", "10.11.6-MariaDB-log", 100_000, row("Master_Host: node1",
                "Slave_IO_Running: Yes", "Slave_SQL_Running: No", "Using_Gtid: Slave_Pos", "Last_SQL_Errno: 1950",
                "Last_SQL_Error: An attempt was made to binlog GTID 0-1-100 which would create an out-of-order sequence "
                        + "number with existing GTID 0-2-120, and gtid strict mode is enabled"), binlog("mysql-bin.000010", 900));
        Diagnosis d = diagnoser.diagnose(pair(healthy("node1", "10.11.6-MariaDB-log", "node2"), node2));
        assertEquals(FindingKind.GTID_OUT_OF_ORDER, only(d, "node2").kind());
        assertTrue(planner.plan(d, "p", Instant.EPOCH).manualActions().get(0).contains("gtid_domain_id"));
    }

    /**
     * MariaDB's 1236 "not in the master's binlog" (sql/sql_repl.cc, check_slave_start_position) from
     * a source that did not crash: a bad gtid_slave_pos, not a replica ahead of a truncated source.
     */
    @Test
    void error1236GtidNotInTheSourcesBinlogWithoutACrashIsABadGtidSlavePos() {
        String text = "Got fatal error 1236 from master when reading data from binary log: 'Error: connecting slave "
                + "requested to start from GTID 0-1-500, which is not in the master's binlog'";
        NodeStatus node1 = withGtid(healthy("node1", "10.11.6-MariaDB-log", "node2"), "0-1-320");
        NodeStatus node2 = node("node2", "10.11.6-MariaDB-log", 100_000, row("Master_Host: node1",
                "Slave_IO_Running: No", "Slave_SQL_Running: Yes", "Using_Gtid: Slave_Pos", "Last_IO_Errno: 1236",
                "Last_IO_Error: " + text), binlog("mysql-bin.000010", 900));
        Diagnosis d = diagnoser.diagnose(pair(node1, node2));
        Finding f = only(d, "node2");
        assertEquals(FindingKind.GTID_POSITION_NOT_ON_SOURCE, f.kind());
        assertTrue(f.explanation().contains("0-1-320"), f.explanation());

        // The same text right after the source crashed is the crash's doing.
        NodeStatus crashed = new NodeStatus("node1", node1.readAt(), null, node1.version(), node1.serverId(), 60,
                false, true, "0-1-320", node1.binaryLogs(), node1.ownBinlogHead(), node1.channels());
        assertEquals(FindingKind.REPLICA_AHEAD_OF_SOURCE, only(diagnoser.diagnose(pair(crashed, node2)), "node2").kind());
    }

    /** Unknown errors stay quoted verbatim, whatever else was added. */
    @Test
    void anUnknownErrorIsStillQuotedVerbatim() {
        String text = "Column 2 of table 'demo.orders' cannot be converted from type 'int' to type 'bigint(20)'";
        NodeStatus node2 = node("node2", "8.4.3", 100_000, row("Master_Host: node1", "Slave_IO_Running: Yes",
                "Slave_SQL_Running: No", "Last_SQL_Errno: 1677", "Last_SQL_Error: " + text), binlog("binlog.000010", 900));
        Finding f = only(diagnoser.diagnose(pair(healthy("node1", "8.4.3", "node2"), node2)), "node2");
        assertEquals(FindingKind.UNKNOWN_ERROR, f.kind());
        assertTrue(f.explanation().endsWith(text), f.explanation());
    }

    /**
     * The executor re-reads the nodes before running an approved plan (PlanExecutor): a plan for a
     * named channel is pinned to that channel's state too, not only the default channel's.
     */
    @Test
    void aPlanForANamedChannelIsRefusedWhenThatChannelMovedSinceThePlan() {
        NodeStatus before = nodeWithChannels("node2", "8.0.36", 100_000, List.of(binlog("binlog.000010", 900)),
                row("Channel_Name: ", "Master_Host: node1", "Slave_IO_Running: Yes", "Slave_SQL_Running: Yes"),
                row("Channel_Name: eu", "Master_Host: eu-source", "Relay_Master_Log_File: binlog.000077",
                        "Exec_Master_Log_Pos: 5000", "Slave_IO_Running: Yes", "Slave_SQL_Running: No",
                        "Last_SQL_Errno: 13121", "Last_SQL_Error: Relay log read failure"));
        RecoveryPlan plan = plan(pair(healthy("node1", "8.0.36", "node2"), before));
        NodeExpectation pinned = plan.preconditions().stream().filter(e -> e.node().equals("node2")).findFirst().orElseThrow();
        assertEquals(List.of(), pinned.differencesFrom(before));

        NodeStatus after = nodeWithChannels("node2", "8.0.36", 100_000, List.of(binlog("binlog.000010", 900)),
                row("Channel_Name: ", "Master_Host: node1", "Slave_IO_Running: Yes", "Slave_SQL_Running: Yes"),
                row("Channel_Name: eu", "Master_Host: eu-source", "Relay_Master_Log_File: binlog.000077",
                        "Exec_Master_Log_Pos: 7000", "Slave_IO_Running: Yes", "Slave_SQL_Running: No",
                        "Last_SQL_Errno: 13121", "Last_SQL_Error: Relay log read failure"));
        List<String> diffs = pinned.differencesFrom(after);
        assertEquals(1, diffs.size(), diffs.toString());
        assertTrue(diffs.get(0).startsWith("node2 channel 'eu' changed"), diffs.get(0));
    }
}
