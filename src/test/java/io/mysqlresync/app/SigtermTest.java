package io.mysqlresync.app;

import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.testsupport.RealBot;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.slack.Envelope;
import io.mysqlresync.testsupport.slack.FakeSlack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM (systemd stop, docker stop, Kubernetes) on a real {@code run} process against real
 * servers and the fake Slack: it stops within seconds, with exit status 143, no stack trace, the
 * Socket Mode connection closed and the state database usable by the next start.
 */
@ExtendWith(RealServers.class)
@Timeout(180)
class SigtermTest {

    @Test
    void sigtermStopsTheBotCleanly(LocalPair pair, @TempDir Path dir) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        try (FakeSlack slack = FakeSlack.start()) {
            Path config = RealBot.config("sigterm-test", slack)
                    .monitor("pollInterval: 1s", "progressInterval: 500ms")
                    .stateInH2(dir.resolve("state/bot"))
                    .demo(pair)
                    .write(dir.resolve("bot.yaml"));
            Path logFile = dir.resolve("bot.log");

            Process bot = RealBot.start(config, logFile);
            try {
                slack.awaitConnections(1, Duration.ofSeconds(60));
                // work in flight when the signal comes: a lag watch (Quartz job) and monitor polls.
                // node2 is held behind, so the watch cannot end before the signal however fast the machine.
                long stopMs;
                try (AutoCloseable lag = pair.startLag(Node.NODE2, Duration.ofSeconds(1))) {
                    Envelope watch = slack.slashCommand("/mysql-resync", "watch demo", "U0ALICE", "C0OPS");
                    slack.awaitAck(watch, Duration.ofSeconds(10));
                    slack.awaitCall("chat.postMessage");
                    Thread.sleep(1500); // let a few monitor polls and watch updates run

                    long t0 = System.nanoTime();
                    bot.destroy(); // SIGTERM
                    assertTrue(bot.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIGTERM:\n"
                            + Files.readString(logFile));
                    stopMs = (System.nanoTime() - t0) / 1_000_000;
                }
                String log = Files.readString(logFile);
                assertEquals(143, bot.exitValue(), log);
                List<String> traces = log.lines().filter(l -> l.startsWith("\tat ") || l.contains("Exception")).toList();
                assertTrue(traces.isEmpty(), "stack traces or exceptions in the log at stop:\n" + log);
                assertTrue(log.contains("stopped"), "says it stopped:\n" + log);
                slack.awaitOpenConnections(0);
                System.out.printf("SIGTERM: stopped in %d ms%n", stopMs);
            } finally {
                bot.destroyForcibly();
            }

            // the state database was closed properly: the next start works and keeps the watch
            Process again = RealBot.start(config, dir.resolve("bot2.log"));
            try {
                slack.awaitConnections(2, Duration.ofSeconds(60));
                again.destroy();
                assertTrue(again.waitFor(30, TimeUnit.SECONDS));
            } finally {
                again.destroyForcibly();
            }
        }
    }
}
