package io.mysqlresync.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(RealServers.class)
class DiagnoseCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run diagnose(AppConfig config, String cluster, boolean json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DiagnoseCommand.run(config, cluster, json, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aHealthyPairExitsZeroAndABrokenOneExitsTwoWithThePlan(LocalPair pair, @TempDir Path state) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        pair.awaitInSync();
        AppConfig config = Demo.config(pair, state);
        Run healthy = diagnose(config, Demo.CLUSTER, false);
        assertEquals(DiagnoseCommand.IN_SYNC, healthy.code(), healthy.out());
        assertTrue(healthy.out().contains("replication healthy on every node"), healthy.out());

        pair.stopReplicationByOperator(Node.NODE2);
        Run broken = diagnose(config, Demo.CLUSTER, true);
        assertEquals(DiagnoseCommand.BROKEN, broken.code());
        JsonNode doc = Json.MAPPER.readTree(broken.out());
        assertTrue(doc.get("broken").asBoolean());
        JsonNode node2 = null;
        for (JsonNode f : doc.get("findings")) {
            if (f.get("node").asText().equals("node2")) node2 = f;
        }
        assertEquals("THREADS_STOPPED_BY_OPERATOR", node2.get("kind").asText(), broken.out());
        assertEquals("START SLAVE", doc.get("options").get(0).get("steps").get(0).get("statements").get(0).asText());
        assertFalse(broken.out().contains("sandbox-resync"), "the bot's password never appears in output");
        pair.startReplication(Node.NODE2);
    }

    @Test
    void anUnknownClusterIsAUsageErrorListingTheValidOnes(LocalPair pair, @TempDir Path state) throws Exception {
        Run run = diagnose(Demo.config(pair, state), "prod", false);
        assertEquals(Main.USAGE, run.code());
        assertEquals("unknown cluster 'prod'; configured clusters: demo\n", run.err());
    }
}
