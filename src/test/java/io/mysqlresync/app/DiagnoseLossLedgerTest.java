package io.mysqlresync.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.sandbox.CrashWithLoss;
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
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `diagnose` after a crash that lost transactions: the ledger in the JSON for scripts and in the plan text. */
@ExtendWith(RealServers.class)
class DiagnoseLossLedgerTest {

    @Test
    void diagnoseNamesTheLostRowsInJsonAndThePlanStatesTheLedgerNotTheBytes(LocalPair pair, @TempDir Path state)
            throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        CrashWithLoss.grantLedgerPrivileges(pair);
        CrashWithLoss.Result crash = CrashWithLoss.crash(pair, Duration.ofMillis(1500), Node.NODE1);
        Set<Long> lost = crash.of(Node.NODE1).lostKeys();
        AppConfig config = Demo.config(pair, state);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = DiagnoseCommand.run(config, Demo.CLUSTER, true, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        assertEquals(DiagnoseCommand.BROKEN, code);
        JsonNode ledger = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8)).get("lossLedger");
        assertTrue(ledger.get("read").asBoolean());
        // innodb_flush_log_at_trx_commit=0 on node1: commits its InnoDB forgot and its binlog kept are in no log.
        assertTrue(ledger.get("needsFullCheck").asBoolean());
        assertEquals("[\"id\"]", ledger.get("keyColumns").get("demo.items").toString());
        Set<Long> keys = new TreeSet<>();
        ledger.get("keysAtRisk").get("demo.items").forEach(k -> keys.add(k.get(0).asLong()));
        assertTrue(keys.containsAll(lost), "lost " + lost.size() + ", named " + keys.size());
        JsonNode direction = ledger.get("directions").get(0);
        assertEquals("node1", direction.get("origin").asText());
        assertEquals("node2", direction.get("mayExistOnlyOn").asText());
        assertEquals("PARTIAL", direction.get("completeness").asText());
        assertEquals("UNSUPPORTED", direction.get("couldNotRead").get(0).get("reason").asText());
        assertEquals(direction.get("expectedTransactions").asLong(), direction.get("transactions").size());

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        DiagnoseCommand.run(config, Demo.CLUSTER, false, new PrintStream(text, true, StandardCharsets.UTF_8), System.err);
        String plan = text.toString(StandardCharsets.UTF_8);
        String line = keys.size() + " transactions on demo.items, " + keys.size() + " rows, ids ";
        assertTrue(plan.contains("Loss ledger: " + line), plan);
        String loss = plan.substring(plan.indexOf("Estimated data loss:"));
        assertTrue(loss.replaceAll("\\s+", " ").contains("- " + line), loss);
        assertTrue(loss.replaceAll("\\s+", " ").contains("(Evidence: node1's " + crash.of(Node.NODE1).binlog()), loss);
        System.out.println("diagnose after a crash: node1 lost " + lost.size() + ", --json names " + keys.size()
                + " keys; plan text:\n" + plan);
    }
}
