package io.mysqlresync.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysqlresync.testsupport.mysqlwire.MySqlVersion;
import io.mysqlresync.testsupport.mysqlwire.ScriptedMySql;
import io.mysqlresync.testsupport.mysqlwire.StandInPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * `diagnose --json` against the MySQL stand-in answering as 8.0 and 8.4 (texts: MySQL 8.0/8.4
 * error reference, ER_REPLICA_RELAY_LOG_READ_FAILURE 13121, ER_SERVER_SOURCE_FATAL_ERROR_READING_BINLOG
 * 13114, CR_AUTH_PLUGIN_ERR 2061): the right findings, and statements each server accepts,
 * checked by sending them to the stand-in of that version, which refuses what it removed.
 */
class DiagnoseOnMySqlStandInTest {

    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private static JsonNode diagnose(StandInPair pair, Path state) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DiagnoseCommand.run(pair.config(state), StandInPair.CLUSTER, true,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(DiagnoseCommand.BROKEN, code, out + " " + err);
        assertTrue(!out.toString(StandardCharsets.UTF_8).contains("standin-secret"), "no password in the output");
        return Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
    }

    private static List<String> kinds(JsonNode doc, String node) {
        List<String> kinds = new ArrayList<>();
        for (JsonNode f : doc.get("findings")) {
            if (f.get("node").asText().equals(node)) kinds.add(f.get("kind").asText());
        }
        return kinds;
    }

    private static JsonNode option(JsonNode doc, String id) {
        for (JsonNode o : doc.get("options")) {
            if (o.get("id").asText().equals(id)) return o;
        }
        throw new AssertionError("no option " + id + " in " + doc.get("options"));
    }

    /** The option's statements per node, in order; each is also sent to that node's stand-in, which must accept it. */
    private static List<String> statementsAcceptedBy(StandInPair pair, JsonNode option, String node) throws SQLException {
        List<String> out = new ArrayList<>();
        for (JsonNode step : option.get("steps")) {
            if (!step.get("node").asText().equals(node)) continue;
            for (JsonNode s : step.get("statements")) out.add(s.asText());
        }
        ScriptedMySql server = pair.node(node);
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.port() + "/?sslMode=PREFERRED"
                + "&allowPublicKeyRetrieval=true", "resync", "standin-secret"); Statement st = c.createStatement()) {
            for (String sql : out) {
                try {
                    st.execute(sql);
                } catch (SQLException e) {
                    fail(server.version() + " refuses " + sql + ": " + e.getErrorCode() + " " + e.getMessage());
                }
            }
        }
        return out;
    }

    private static StandInPair start(MySqlVersion version) throws Exception {
        return StandInPair.start(version);
    }

    @ParameterizedTest
    @EnumSource(value = MySqlVersion.class, names = {"MYSQL_8_0", "MYSQL_8_4"})
    void theSeedCrashOnMysql8(MySqlVersion version, @TempDir Path state) throws Exception {
        try (StandInPair pair = start(version)) {
            pair.node1.uptime(300).binlog("binlog.000233", 1073742000L).binlog("binlog.000234", 173000000L)
                    .binlog("binlog.000235", 2048L)
                    .channel("Source_Host: node2", "Source_User: repl", "Source_Log_File: binlog.000253",
                            "Read_Source_Log_Pos: 569975131", "Relay_Log_File: relay-bin.000198",
                            "Relay_Log_Pos: 179576569", "Relay_Source_Log_File: binlog.000253",
                            "Exec_Source_Log_Pos: 419130498", "Replica_IO_Running: Yes", "Replica_SQL_Running: No",
                            "Last_SQL_Errno: 13121", "Last_SQL_Error: Relay log read failure: Could not parse relay log "
                                    + "event entry. The possible reasons are: the source's binary log is corrupted",
                            "Source_Server_Id: 2");
            pair.node2.uptime(8_000_000).binlog("binlog.000252", 1073742000L).binlog("binlog.000253", 600000000L)
                    .channel("Source_Host: node1", "Source_User: repl", "Source_Log_File: binlog.000234",
                            "Read_Source_Log_Pos: 173841457", "Relay_Source_Log_File: binlog.000234",
                            "Exec_Source_Log_Pos: 173841457", "Relay_Log_File: relay-bin.000197", "Relay_Log_Pos: 101852398",
                            "Replica_IO_Running: No", "Replica_SQL_Running: Yes", "Last_IO_Errno: 13114",
                            "Last_IO_Error: Got fatal error 1236 from source when reading data from binary log: "
                                    + "'Client requested source to start replication from position > file size'",
                            "Source_Server_Id: 1");
            JsonNode doc = diagnose(pair, state);
            assertEquals(List.of("RECENTLY_RESTARTED", "RELAY_LOG_CORRUPT"), kinds(doc, "node1"));
            assertEquals(List.of("SOURCE_BINLOG_TRUNCATED"), kinds(doc, "node2"));
            JsonNode resync = option(doc, "resync");
            assertEquals(List.of("STOP REPLICA",
                    "CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='binlog.000253', SOURCE_LOG_POS=419130498",
                    "START REPLICA"), statementsAcceptedBy(pair, resync, "node1"));
            assertEquals(List.of("STOP REPLICA",
                    "CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='binlog.000235', SOURCE_LOG_POS=4",
                    "START REPLICA"), statementsAcceptedBy(pair, resync, "node2"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = MySqlVersion.class, names = {"MYSQL_8_0", "MYSQL_8_4"})
    void aGtidDuplicateKeyOnMysql8IsSkippedByItsGtid(MySqlVersion version, @TempDir Path state) throws Exception {
        try (StandInPair pair = start(version)) {
            pair.node1.gtid(UUID + ":1-242101390").binlog("binlog.000406", 906640000L)
                    .channel("Source_Host: node2", "Replica_IO_Running: Yes", "Replica_SQL_Running: Yes",
                            "Seconds_Behind_Source: 0", "Auto_Position: 1");
            pair.node2.gtid("aaaaaaaa-71ca-11e1-9e33-c80aa9429562:1-50," + UUID + ":1-242101387")
                    .binlog("binlog.000020", 5000)
                    .channel("Source_Host: node1", "Source_Log_File: binlog.000406", "Read_Source_Log_Pos: 906640000",
                            "Relay_Source_Log_File: binlog.000406", "Exec_Source_Log_Pos: 906634000",
                            "Replica_IO_Running: Yes", "Replica_SQL_Running: No", "Auto_Position: 1", "Last_SQL_Errno: 1062",
                            "Last_SQL_Error: Coordinator stopped because there were error(s) in the worker(s). The most "
                                    + "recent failure being: Worker 2 failed executing transaction '" + UUID
                                    + ":242101388' at source log binlog.000406, end_log_pos 906634781. See error log and/or "
                                    + "performance_schema.replication_applier_status_by_worker table for more details "
                                    + "about this failure or others, if any.")
                    .worker("CHANNEL_NAME: ", "WORKER_ID: 2", "LAST_ERROR_NUMBER: 1062",
                            "LAST_ERROR_MESSAGE: Worker 2 failed executing transaction '" + UUID + ":242101388' at source "
                                    + "log binlog.000406, end_log_pos 906634781; Could not execute Write_rows event on table "
                                    + "shop.orders; Duplicate entry '7' for key 'orders.PRIMARY', Error_code: 1062",
                            "LAST_ERROR_TIMESTAMP: 2026-11-30 03:12:09.100000",
                            "APPLYING_TRANSACTION: " + UUID + ":242101388");
            JsonNode doc = diagnose(pair, state);
            assertEquals(List.of("DUPLICATE_KEY"), kinds(doc, "node2"));
            assertTrue(doc.get("findings").toString().contains("Duplicate entry '7' for key 'orders.PRIMARY'"));
            assertEquals(List.of("STOP REPLICA", "SET GTID_NEXT='" + UUID + ":242101388'", "BEGIN", "COMMIT",
                    "SET GTID_NEXT='AUTOMATIC'", "START REPLICA"),
                    statementsAcceptedBy(pair, option(doc, "skip-event"), "node2"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = MySqlVersion.class, names = {"MYSQL_8_0", "MYSQL_8_4"})
    void error2061IsFixedOnTheReplicasChannel(MySqlVersion version, @TempDir Path state) throws Exception {
        try (StandInPair pair = start(version)) {
            pair.node1.uptime(40).binlog("binlog.000011", 900)
                    .channel("Source_Host: node2", "Replica_IO_Running: Yes", "Replica_SQL_Running: Yes",
                            "Seconds_Behind_Source: 0");
            pair.node2.binlog("binlog.000010", 900)
                    .channel("Source_Host: node1", "Source_User: repl", "Replica_IO_Running: Connecting",
                            "Replica_SQL_Running: Yes", "Last_IO_Errno: 2061",
                            "Last_IO_Error: error connecting to source 'repl@node1:3306' - retry-time: 60 retries: 1 "
                                    + "message: Authentication plugin 'caching_sha2_password' reported error: "
                                    + "Authentication requires secure connection.");
            JsonNode doc = diagnose(pair, state);
            assertEquals(List.of("SOURCE_LOGIN_NEEDS_SECURE_CONNECTION"), kinds(doc, "node2"));
            assertEquals(List.of("STOP REPLICA IO_THREAD", "CHANGE REPLICATION SOURCE TO SOURCE_SSL=1",
                    "START REPLICA IO_THREAD"), statementsAcceptedBy(pair, option(doc, "resync"), "node2"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = MySqlVersion.class, names = {"MYSQL_8_0", "MYSQL_8_4"})
    void aNamedChannelIsDiagnosedAndFixedByName(MySqlVersion version, @TempDir Path state) throws Exception {
        try (StandInPair pair = start(version)) {
            pair.node1.binlog("binlog.000011", 900).channel("Source_Host: node2", "Replica_IO_Running: Yes",
                    "Replica_SQL_Running: Yes", "Seconds_Behind_Source: 0");
            pair.node2.binlog("binlog.000010", 900)
                    .channel("Channel_Name: ", "Source_Host: node1", "Replica_IO_Running: Yes",
                            "Replica_SQL_Running: Yes", "Seconds_Behind_Source: 0")
                    .channel("Channel_Name: eu", "Source_Host: eu-source", "Source_Log_File: binlog.000077",
                            "Read_Source_Log_Pos: 9000", "Relay_Source_Log_File: binlog.000077",
                            "Exec_Source_Log_Pos: 5000", "Relay_Log_File: relay-eu.000003", "Relay_Log_Pos: 300",
                            "Replica_IO_Running: Yes", "Replica_SQL_Running: No", "Last_SQL_Errno: 13121",
                            "Last_SQL_Error: Relay log read failure: Could not parse relay log event entry.");
            JsonNode doc = diagnose(pair, state);
            assertEquals(List.of("HEALTHY", "RELAY_LOG_CORRUPT"), kinds(doc, "node2"));
            JsonNode relay = doc.get("findings").get(doc.get("findings").size() - 1);
            assertEquals("eu", relay.get("channel").asText());
            assertEquals(List.of("STOP REPLICA FOR CHANNEL 'eu'",
                    "CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='binlog.000077', SOURCE_LOG_POS=5000 FOR CHANNEL 'eu'",
                    "START REPLICA FOR CHANNEL 'eu'"), statementsAcceptedBy(pair, option(doc, "resync"), "node2"));
        }
    }

    /**
     * MySQL 5.7 with a multithreaded applier and no commit order (slave_preserve_commit_order=0,
     * its default): the re-point is preceded by filling the gaps, or CHANGE MASTER fails with 1802
     * (MySQL 5.7 manual, 16.4.1.32 "Replication and Transaction Inconsistencies"). 5.7 answers
     * through Connector/J 9 here; see the README on 5.7.
     */
    @Test
    void mysql57WithAMultithreadedApplierFillsItsGapsBeforeTheRepoint(@TempDir Path state) throws Exception {
        try (StandInPair pair = start(MySqlVersion.MYSQL_5_7)) {
            pair.node1.uptime(300).set("slave_parallel_workers", "4").set("slave_preserve_commit_order", "0")
                    .binlog("mysql-bin.000235", 2048L)
                    .channel("Master_Host: node2", "Master_Log_File: mysql-bin.000253", "Read_Master_Log_Pos: 569975131",
                            "Relay_Log_File: relay-bin.000198", "Relay_Log_Pos: 179576569",
                            "Relay_Master_Log_File: mysql-bin.000253", "Exec_Master_Log_Pos: 419130498",
                            "Slave_IO_Running: Yes", "Slave_SQL_Running: No", "Last_SQL_Errno: 1594",
                            "Last_SQL_Error: Relay log read failure: Could not parse relay log event entry.");
            pair.node2.binlog("mysql-bin.000253", 600000000L).channel("Master_Host: node1",
                    "Slave_IO_Running: Yes", "Slave_SQL_Running: Yes", "Seconds_Behind_Master: 0");
            JsonNode doc = diagnose(pair, state);
            assertEquals(List.of("RECENTLY_RESTARTED", "RELAY_LOG_CORRUPT"), kinds(doc, "node1"));
            assertEquals(List.of("STOP SLAVE", "START SLAVE SQL_THREAD UNTIL SQL_AFTER_MTS_GAPS", "STOP SLAVE",
                    "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000253', MASTER_LOG_POS=419130498", "START SLAVE"),
                    statementsAcceptedBy(pair, option(doc, "resync"), "node1"));
        }
    }
}
