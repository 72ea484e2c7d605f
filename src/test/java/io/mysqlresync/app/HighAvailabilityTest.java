package io.mysqlresync.app;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.Secret;
import io.mysqlresync.config.StateSettings;
import io.mysqlresync.incident.ApprovalOutcome;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bot's own failures: a restart between proposal and approval, and two replicas sharing a
 * MySQL-protocol state database (a sandbox server of its own, not a node being repaired).
 */
@ExtendWith(RealServers.class)
class HighAvailabilityTest {

    private static LocalServer stateServer;

    @BeforeAll
    static void startStateServer() throws Exception {
        RealServers.requireServerBinary();
        stateServer = LocalServer.start("state", 950, 1, 1);
    }

    @AfterAll
    static void stopStateServer() {
        if (stateServer != null) stateServer.close();
    }

    @BeforeEach
    void brokenPair(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        pair.stopReplicationByOperator(Node.NODE2);
    }

    private static AppConfig withState(AppConfig base, StateSettings state) {
        return new AppConfig(base.slack(), base.approvals(), base.monitor(), state, base.clusters());
    }

    private static StateSettings sharedMysqlState() throws Exception {
        String db = "resync_ha_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        stateServer.execute("CREATE DATABASE " + db);
        return new StateSettings("jdbc:mysql://" + stateServer.host() + ":" + stateServer.port() + "/" + db,
                new Secret(Account.ROOT.user()), new Secret(Account.ROOT.password()), true);
    }

    private static long statementsRun(BotApplication app, String planId) {
        return app.service().history(Demo.CLUSTER, 500).stream()
                .filter(e -> e.planId().equals(planId) && e.action().equals("statement")).count();
    }

    @Test
    void aPlanProposedBeforeARestartIsApprovedAfterItAndRunsOnce(LocalPair pair, @TempDir Path dir) throws Exception {
        // The embedded default: an H2 file, as `java -jar ... run` uses out of the box.
        AppConfig config = Demo.config(pair, dir);
        String planId;
        try (BotApplication before = BotApplication.create(config)) {
            ProposedPlan plan = before.service().propose(Demo.CLUSTER, "console:alice", "console");
            planId = plan.id();
        }
        try (BotApplication after = BotApplication.create(config)) {
            ApprovalOutcome first = after.service().approve(planId, Planner.RESYNC, "console:bob", true, o -> { });
            assertEquals(ApprovalOutcome.Kind.EXECUTED, first.kind(), first.message());
            ApprovalOutcome again = after.service().approve(planId, Planner.RESYNC, "console:bob", true, o -> { });
            assertEquals(ApprovalOutcome.Kind.REFUSED_ALREADY_DECIDED, again.kind());
            assertEquals(1, statementsRun(after, planId), "START SLAVE ran exactly once");
        }
        pair.awaitReplica(Node.NODE2, "replication running again", s -> "Yes".equals(s.get("Slave_IO_Running"))
                && "Yes".equals(s.get("Slave_SQL_Running")));
    }

    @Test
    void twoReplicasReceivingTheSameClickExecuteItOnce(LocalPair pair, @TempDir Path dir) throws Exception {
        AppConfig config = withState(Demo.config(pair, dir), sharedMysqlState());
        try (BotApplication replicaA = BotApplication.create(config);
             BotApplication replicaB = BotApplication.create(config)) {
            String planId = replicaA.service().propose(Demo.CLUSTER, "console:alice", "console").id();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<ApprovalOutcome>> clicks = new ArrayList<>();
                for (BotApplication replica : List.of(replicaA, replicaB)) {
                    clicks.add(pool.submit(() -> {
                        go.await();
                        return replica.service().approve(planId, Planner.RESYNC, "console:bob", true, o -> { });
                    }));
                }
                go.countDown();
                List<ApprovalOutcome.Kind> kinds = new ArrayList<>();
                for (Future<ApprovalOutcome> click : clicks) kinds.add(click.get().kind());
                assertEquals(1, kinds.stream().filter(k -> k == ApprovalOutcome.Kind.EXECUTED).count(), kinds.toString());
                assertEquals(1, kinds.stream().filter(k -> k == ApprovalOutcome.Kind.REFUSED_ALREADY_DECIDED).count(),
                        kinds.toString());
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, statementsRun(replicaA, planId));
            List<AuditEntry> approvals = replicaB.service().history(Demo.CLUSTER, 100).stream()
                    .filter(e -> e.planId().equals(planId) && e.action().equals("approve")).toList();
            assertEquals(1, approvals.size(), approvals.toString());
        }
        pair.awaitReplica(Node.NODE2, "replication running again", s -> "Yes".equals(s.get("Slave_IO_Running"))
                && "Yes".equals(s.get("Slave_SQL_Running")));
    }
}
