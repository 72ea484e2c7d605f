package io.mysqlresync.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlresync.testsupport.RealServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The process side of the sandbox: exactly the processes it starts, and nothing left behind. */
@ExtendWith(RealServers.class)
class LocalServerTest {

    @Test
    void aHardKillLosesNoCommittedRowAndTheRestartOpensANewBinlog() throws Exception {
        try (LocalServer server = LocalServer.start("solo", 7, 1, 1)) {
            server.execute("INSERT INTO demo.items (origin, payload) VALUES ('solo', 'committed before the crash')");
            long pid = server.pid();

            server.killHard();
            assertFalse(server.isRunning());
            assertFalse(alive(pid));

            server.start();
            assertTrue(server.pid() != pid);
            assertEquals("1", server.query("SELECT COUNT(*) AS n FROM demo.items").get(0).get("n"));
            assertEquals(List.of("mysql-bin.000001", "mysql-bin.000002"),
                    server.binaryLogs().stream().map(b -> b.get("Log_name")).toList());
            assertEquals("7", server.query("SELECT @@server_id AS id").get(0).get("id"));
        }
    }

    @Test
    void aGracefulStopShutsDownCleanlyAndRestartKeepsPortAndData() throws Exception {
        try (LocalServer server = LocalServer.start("solo", 8, 1, 1)) {
            int port = server.port();
            server.execute("INSERT INTO demo.items (origin, payload) VALUES ('solo', 'kept')");

            server.stop();
            assertFalse(server.isRunning());
            assertTrue(server.errorLogTail(5).contains("Shutdown complete"), server.errorLogTail(5));

            server.restart();
            assertEquals(port, server.port());
            assertEquals("1", server.query("SELECT COUNT(*) AS n FROM demo.items").get(0).get("n"));
        }
    }

    @Test
    void closingAPairKillsItsTwoServersAndDeletesTheirFiles() throws Exception {
        int before = LocalServer.runningServers();
        LocalPair pair = LocalPair.start();
        long pid1 = pair.node1().pid();
        long pid2 = pair.node2().pid();
        Path dir1 = pair.node1().directory();
        Path dir2 = pair.node2().directory();
        assertTrue(alive(pid1) && alive(pid2));
        assertEquals(before + 2, LocalServer.runningServers());

        pair.close();

        assertFalse(alive(pid1));
        assertFalse(alive(pid2));
        assertFalse(Files.exists(dir1));
        assertFalse(Files.exists(dir2));
        assertEquals(before, LocalServer.runningServers());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
