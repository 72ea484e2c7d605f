package io.mysqlresync.app;

import io.mysqlresync.config.ConfigLoader;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.testsupport.RealBot;
import io.mysqlresync.testsupport.RealBot.StateServer;
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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two bot replicas on one MySQL-protocol state database; the one running the lag watch is a
 * real process (`java ... Main run`, Slack through the fake) and is killed with SIGKILL in the
 * middle of the watch. The other replica, in this JVM, finishes the watch.
 */
@ExtendWith(RealServers.class)
@Timeout(240)
class ReplicaKilledMidWatchTest {

    private final List<String> milestones = new CopyOnWriteArrayList<>();

    @Test
    void theSurvivingReplicaFinishesTheWatchOfAKilledOne(LocalPair pair, @TempDir Path dir) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        try (StateServer stateServer = StateServer.start("ha-state", 960);
             FakeSlack slack = FakeSlack.start()) {
            Path config = RealBot.config("replica-test", slack)
                    .monitor("pollInterval: 1s", "progressInterval: 500ms", "lagThreshold: 600s", "inSyncChecks: 3")
                    .state(stateServer, true)
                    .demo(pair)
                    .write(dir.resolve("bot.yaml"));

            // The bot reads what it verifies once replication caught up: SELECT on the data, as README says.
            pair.node1().execute("GRANT SELECT ON demo.* TO '" + Account.BOT.user() + "'@'"
                    + LocalServer.HOST + "'");
            AutoCloseable lag = pair.startLag(Node.NODE2, Duration.ofSeconds(3));
            Process replicaA = RealBot.start(config, dir.resolve("replica-a.log"));
            try (BotApplication replicaB = BotApplication.create(ConfigLoader.load(config, Map.of()))) {
                slack.awaitConnections(1, Duration.ofSeconds(60));
                Envelope watch = slack.slashCommand("/mysql-resync", "watch demo", "U0ALICE", "C0OPS");
                slack.awaitAck(watch, Duration.ofSeconds(10));
                await("replica A posts the progress message", () -> slack.calls("chat.postMessage").stream()
                        .anyMatch(c -> "C0OPS".equals(c.param("channel"))), dir);
                await("the watch is stored", () -> replicaB.service().store().watch("demo").isPresent(), dir);
                assertTrue(replicaB.service().history("demo", 20).stream()
                        .anyMatch(e -> e.action().equals("watch") && e.actor().equals("U0ALICE")), "the request is audited");

                replicaB.startScheduler(recording());
                replicaA.destroyForcibly(); // SIGKILL: no shutdown hook, no goodbye to the job store
                replicaA.waitFor();
                lag.close();

                // Replica B finishes the watch, verifies the data and only then says back in sync.
                await("replica B announces the pair back in sync, data verified",
                        () -> milestones.stream().anyMatch(m -> m.startsWith("Back in sync") && m.contains("identical")),
                        dir);
                await("the finished watch is removed", () -> replicaB.service().store().watch("demo").isEmpty(), dir);
                assertTrue(!replicaA.isAlive());
                String log = Files.readString(dir.resolve("replica-a.log"));
                for (String secret : List.of("xoxb-replica-test", "xapp-replica-test", Account.ROOT.password(),
                        Account.BOT.password())) {
                    assertTrue(!log.contains(secret), "replica A's log shows a secret:\n" + log);
                }
            } finally {
                replicaA.destroyForcibly();
            }
        }
    }

    private void await(String what, BooleanSupplier done, Path dir) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                Path log = dir.resolve("replica-a.log");
                throw new AssertionError("gave up waiting for " + what + "; milestones " + milestones
                        + "\nreplica A log:\n" + (Files.exists(log) ? Files.readString(log) : "(none)"));
            }
            Thread.sleep(100);
        }
    }

    private Notifier recording() {
        return new Notifier() {
            @Override public MessageRef incidentOpened(Incident i, Diagnosis d) { return new MessageRef("C0INCIDENTS", "1"); }
            @Override public void incidentChanged(Incident i, Diagnosis d) { }
            @Override public void incidentCleared(Incident i, Diagnosis d) { }
            @Override public MessageRef progressStarted(LagWatch w, ProgressView v) { return new MessageRef(w.channel(), "2"); }
            @Override public void progressUpdated(LagWatch w, ProgressView v) { }
            @Override public void progressMilestone(LagWatch w, String text) { milestones.add(text); }
        };
    }
}
