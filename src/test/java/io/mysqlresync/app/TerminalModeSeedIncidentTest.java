package io.mysqlresync.app;

import io.mysqlresync.sandbox.LocalPair;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Terminal mode through the seed incident on real servers, typed the way an operator would
 * (the demo's script): alert, plan, approve, recovery, lag watch, the data verified.
 */
@ExtendWith(RealServers.class)
class TerminalModeSeedIncidentTest {

    @Test
    void anOperatorRepairsTheSeedIncidentFromTheTerminal(LocalPair pair, @TempDir Path state) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        // A row node1 lacks on top of what the crash may cost, so the terminal's repair always runs.
        int code = Demo.run(pair, state, null, out, true, p -> {
            long id = Long.parseLong(p.node1().query("SELECT MIN(id) AS id FROM demo.items").get(0).get("id"));
            p.node1().execute("SET sql_log_bin = 0", "DELETE FROM demo.items WHERE id = " + id);
        });
        String transcript = buffer.toString(StandardCharsets.UTF_8);

        assertEquals(0, code, transcript);
        assertTrue(transcript.contains("*** ALERT"), transcript);
        assertTrue(transcript.contains("node1 relay log corrupt; node2 source binlog truncated by a crash"), transcript);
        assertTrue(transcript.matches("(?s).*CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin\\.\\d+', MASTER_LOG_POS=4;.*"),
                "node2 resumes at the start of node1's next binlog\n" + transcript);
        assertTrue(!transcript.contains("the loss ledger was not read"),
                "the bot reads the loss ledger for a plan a person asks for\n" + transcript);
        assertTrue(transcript.contains("EXECUTED: all 6 statements succeeded"), transcript);
        assertTrue(transcript.contains("Lag on demo"), transcript);
        // The run ends with the verification's verdict, and the verdict is true: "identical" only
        // when no row differs, else the number of rows that really differ (the seed crash can cost
        // rows: the torn binlog's tail, a prepared transaction rolled back on node1).
        assertTrue(transcript.contains("verify-start"), "the verification is in the audit trail\n" + transcript);
        int drift = transcript.indexOf(">> demo: Replication is back, but ");
        assertTrue(drift >= 0, "the planted row is found\n" + transcript);
        if (drift < 0) {
            assertTrue(transcript.matches("(?s).*>> demo: Back in sync: replication running, 0 s lag, \\d+ tables? "
                    + "\\([\\d,]+ rows\\) identical\\..*"), transcript);
        } else {
            // The crash cost rows: the demo repairs them from the node that kept them, and only the
            // repaired rows verified identical make it say back in sync.
            System.out.println("demo: drift after the seed incident's recovery, repaired from the terminal");
            assertTrue(transcript.matches("(?s).*>> demo: Replication is back, but \\d+ rows? differs? in demo\\.items.*"),
                    transcript);
            int repair = transcript.indexOf("(typed by the demo)", transcript.indexOf("repair v-"));
            assertTrue(repair > drift, "the demo typed the repair after the verdict\n" + transcript);
            assertTrue(!transcript.substring(0, repair).contains("Back in sync"), transcript);
            int done = transcript.indexOf(">> demo is back in sync with identical data: ");
            assertTrue(done > repair, transcript);
            assertEquals(done, transcript.lastIndexOf(">> demo is back in sync with identical data"), "said once\n" + transcript);
            assertEquals(transcript.indexOf("back in sync with identical data"),
                    transcript.lastIndexOf("back in sync with identical data"), "said once\n" + transcript);
            assertTrue(transcript.contains("Repaired: "), transcript);
        }
        assertTrue(transcript.contains("console:demo  approve"), "the approval is in the audit trail\n" + transcript);
        pair.awaitInSync();
        assertEquals(0, reallyDiffering(pair), "rows equal on both nodes, read as root");
        for (var node : java.util.List.of(pair.node1(), pair.node2())) {
            java.util.Map<String, String> st = node.query("SHOW SLAVE STATUS").get(0);
            assertEquals("Yes", st.get("Slave_IO_Running"), st::toString);
            assertEquals("Yes", st.get("Slave_SQL_Running"), st::toString);
            assertEquals("0", st.get("Last_Errno"), st::toString);
        }
    }

    /** Rows on one node only or with other values, read as root on each node. */
    private static int reallyDiffering(LocalPair pair) throws Exception {
        java.util.Map<String, String> one = new java.util.HashMap<>();
        java.util.Map<String, String> two = new java.util.HashMap<>();
        pair.node1().query("SELECT id, origin, payload FROM demo.items").forEach(r -> one.put(r.get("id"), r.get("origin") + "|" + r.get("payload")));
        pair.node2().query("SELECT id, origin, payload FROM demo.items").forEach(r -> two.put(r.get("id"), r.get("origin") + "|" + r.get("payload")));
        java.util.Set<String> ids = new java.util.HashSet<>(one.keySet());
        ids.addAll(two.keySet());
        ids.removeIf(id -> java.util.Objects.equals(one.get(id), two.get(id)));
        return ids.size();
    }
}
