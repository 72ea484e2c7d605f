package io.mysqlresync.sandbox;

import static io.mysqlresync.sandbox.LocalPair.Node.NODE1;
import static io.mysqlresync.sandbox.LocalPair.Node.NODE2;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.testsupport.RealServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Regenerates src/test/resources/status-samples: the real status of both nodes in each broken
 * state, read with the bot's account, for the diagnosis unit tests. Not a test: surefire's
 * default includes skip the name, and the property keeps a {@code -Dtest=} wildcard from
 * rewriting the committed samples. Run it on purpose:
 *
 * <pre>mvn -B -q test -Dtest=CaptureStatusSamples -DcaptureStatusSamples=true</pre>
 */
@ExtendWith(RealServers.class)
@EnabledIfSystemProperty(named = "captureStatusSamples", matches = "true")
class CaptureStatusSamples {

    private static final Path OUT = Path.of("src/test/resources/status-samples");
    private static final String VARIABLES = "SELECT @@version, @@server_id, @@read_only, @@gtid_current_pos,"
            + " @@gtid_slave_pos, @@gtid_binlog_pos";

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void capture(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        writeBothWays(pair);
        save(pair, "healthy", "Both nodes replicate each other by file and position, in sync.");

        pair.reset(ReplicationMode.GTID);
        writeBothWays(pair);
        save(pair, "gtid-healthy", "Both nodes replicate each other with MASTER_USE_GTID=slave_pos, in sync;"
                + " gtid_domain_id = server_id.");

        pair.reset(ReplicationMode.FILE_POS);
        SeedIncident seed = pair.reproduceSeedIncident();
        save(pair, "seed-incident", "The seed incident: node1 was killed -9 under writes with unexecuted relay log;"
                + " its relay log got corrupt bytes at " + seed.corruptedRelayLog() + ":" + seed.corruptedEventAt()
                + " and " + seed.truncatedBinlog() + " was cut from " + seed.binlogSizeAtCrash() + " to "
                + seed.binlogTruncatedTo() + " bytes, below node2's Read_Master_Log_Pos " + seed.node2ReadPosition()
                + ". node1: SQL thread stopped with 1594 (relay log read failure); node2: IO thread stopped with"
                + " 1236 (impossible position); node1 now writes " + seed.node1NewBinlog() + ".");

        pair.reset(ReplicationMode.FILE_POS);
        writeBothWays(pair);
        pair.causeDuplicateKey(NODE2);
        save(pair, "duplicate-key", "node2 had a row node1 then inserted: node2's SQL thread stopped with 1062.");

        pair.reset(ReplicationMode.FILE_POS);
        writeBothWays(pair);
        pair.causeRowNotFound(NODE2);
        save(pair, "row-not-found", "node2 lost a row node1 then updated: node2's SQL thread stopped with 1032.");

        pair.reset(ReplicationMode.FILE_POS);
        writeBothWays(pair);
        pair.breakReplicationAuth(NODE2);
        save(pair, "replication-auth", "node1 changed the repl password: node2's IO thread is Connecting with 1045.");

        pair.reset(ReplicationMode.FILE_POS);
        writeBothWays(pair);
        pair.stopReplicationByOperator(NODE1);
        pair.writeRows(NODE2, 10);
        save(pair, "operator-stopped", "An operator ran STOP SLAVE on node1: both threads No, no error;"
                + " node2 has written 10 rows since.");

        pair.reset(ReplicationMode.FILE_POS);
        writeBothWays(pair);
        pair.stopSqlThread(NODE1);
        pair.writeRows(NODE2, 30);
        long node2Head = Long.parseLong(pair.node2().binlogHead().get("Position"));
        pair.awaitReplica(NODE1, "node2's writes are relayed", s -> Long.parseLong(s.get("Read_Master_Log_Pos")) == node2Head);
        save(pair, "sql-thread-stopped", "STOP SLAVE SQL_THREAD on node1, then 30 writes on node2: relayed, not"
                + " executed (Read_Master_Log_Pos ahead of Exec_Master_Log_Pos), no error.");

        pair.reset(ReplicationMode.FILE_POS);
        writeBothWays(pair);
        try (AutoCloseable lag = pair.startLag(NODE2, Duration.ofSeconds(3))) {
            save(pair, "lagging", "node2's SQL thread waits on a row lock while node1's newer writes queue behind:"
                    + " both threads Yes, Seconds_Behind_Master >= 3.");
        }

        pair.reset(ReplicationMode.FILE_POS);
        writeBothWays(pair);
        pair.makeSourceUnreachable(NODE1);
        save(pair, "source-unreachable", "node2 was killed -9: node1's IO thread is Connecting with 2003;"
                + " node2 cannot be reached at all.");

        pair.reset(ReplicationMode.FILE_POS);
    }

    private static void writeBothWays(LocalPair pair) throws SQLException {
        pair.writeRows(NODE1, 10);
        pair.writeRows(NODE2, 10);
        pair.awaitInSync();
    }

    private void save(LocalPair pair, String state, String description) throws Exception {
        Path dir = OUT.resolve(state);
        Files.createDirectories(dir);
        for (Node node : Node.values()) {
            Map<String, Object> sample = new LinkedHashMap<>();
            sample.put("state", state);
            sample.put("node", node.label());
            sample.put("description", description);
            sample.put("replicaQuery", "SHOW ALL SLAVES STATUS");
            sample.putAll(read(pair.server(node)));
            json.writeValue(dir.resolve(node.label() + ".json").toFile(), sample);
        }
    }

    /** What the bot reads, with the bot's own account: proof its grants suffice. */
    private static Map<String, Object> read(LocalServer server) {
        Map<String, Object> sections = new LinkedHashMap<>();
        try (Connection c = server.connect(Account.BOT)) {
            List<Map<String, String>> replica = LocalServer.query(c, "SHOW ALL SLAVES STATUS");
            sections.put("replica", replica.isEmpty() ? null : replica.get(0));
            sections.put("binaryLogs", LocalServer.query(c, "SHOW BINARY LOGS"));
            sections.put("binlogStatus", LocalServer.query(c, "SHOW MASTER STATUS").get(0));
            Map<String, String> variables = new LinkedHashMap<>(LocalServer.query(c, VARIABLES).get(0));
            variables.put("Uptime", LocalServer.query(c, "SHOW GLOBAL STATUS LIKE 'Uptime'").get(0).get("Value"));
            sections.put("variables", variables);
        } catch (SQLException e) {
            sections.put("unreachable", e.getMessage());
            sections.put("replica", null);
            sections.put("binaryLogs", List.of());
            sections.put("binlogStatus", null);
            sections.put("variables", Map.of());
        }
        return sections;
    }
}
