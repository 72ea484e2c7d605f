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
 * (the demo's script): alert, plan, approve, recovery, lag watch, back in sync.
 */
@ExtendWith(RealServers.class)
class TerminalModeSeedIncidentTest {

    @Test
    void anOperatorRepairsTheSeedIncidentFromTheTerminal(LocalPair pair, @TempDir Path state) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        int code = Demo.run(pair, state, null, out, true);
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
        assertTrue(transcript.contains("Back in sync"), transcript);
        assertTrue(transcript.contains("console:demo  approve"), "the approval is in the audit trail\n" + transcript);
        pair.awaitInSync();
    }
}
