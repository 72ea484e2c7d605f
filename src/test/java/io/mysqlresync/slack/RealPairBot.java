package io.mysqlresync.slack;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.IncidentLifecycle.AfterRecovery;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.mysql.JdbcClusterReader;
import io.mysqlresync.mysql.JdbcDataVerifier;
import io.mysqlresync.mysql.JdbcStatementRunner;
import io.mysqlresync.mysql.LogLedgerReader;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.recovery.PlanExecutor;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.SandboxCluster;
import io.mysqlresync.schedule.ResyncScheduler;
import io.mysqlresync.store.JdbcVerificationLog;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.verify.DataVerifier;
import io.mysqlresync.verify.VerifyOptions;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Slack bot on a real pair, wired as Slack mode wires it: the real Bolt app against the fake
 * Slack ({@link BotHarness}), the JDBC reader and runner as the least-privilege bot user on the
 * pair named {@value #CLUSTER}, the state on H2; with {@link #verifying} the data verifier and
 * the verification log, with {@link #startScheduler} the monitor and lag watches speaking
 * through the bot and recoveries followed. Closing it checks that no password reached Slack.
 */
final class RealPairBot implements AutoCloseable {

    static final String CLUSTER = "sandbox";

    final ClusterConfig cluster;
    final NodeConnections connections;
    final JdbcClusterReader reader;
    final StateFixture state;
    final ResyncStore store;
    final ResyncService service;
    final BotHarness h;
    DataVerifier verifier;
    JdbcVerificationLog verifications;
    private ResyncScheduler scheduler;

    private RealPairBot(LocalPair pair) throws Exception {
        cluster = SandboxCluster.of(CLUSTER, pair);
        connections = new NodeConnections(List.of(cluster));
        reader = new JdbcClusterReader(connections, 8, Clock.systemUTC());
        state = StateFixture.fresh();
        store = state.store;
        service = new ResyncService(List.of(CLUSTER), reader, new Diagnoser(Thresholds.DEFAULT),
                new Planner(), new PlanExecutor(reader, new JdbcStatementRunner(connections)), store,
                BotHarness.policy(), BotHarness.PLAN_EXPIRY, Clock.systemUTC());
        try {
            h = new BotHarness(service, List.of());
        } catch (Exception | Error e) {
            reader.close();
            connections.close();
            state.close();
            throw e;
        }
    }

    static RealPairBot on(LocalPair pair) throws Exception {
        return new RealPairBot(pair);
    }

    /** As BotApplication wires it: a plan's diagnosis carries the loss ledger read from the binlogs. */
    RealPairBot readingLedgers() {
        service.readLedgersWith(c -> Optional.of(new LogLedgerReader(cluster, Duration.ofSeconds(10))));
        return this;
    }

    /**
     * {@code /mysql-resync verify}, progress edited at every chunk (a 150,000-row table takes well
     * under a second now, too short for any spacing); the verifier and log for the scheduler too.
     */
    RealPairBot verifying() {
        verifier = new JdbcDataVerifier(connections, VerifyOptions.defaults(), Clock.systemUTC());
        verifications = new JdbcVerificationLog(state.database.dataSource());
        h.bot.verifyWith(verifier, verifications, Duration.ZERO);
        return this;
    }

    /**
     * As the app wires Slack mode: the monitor and lag watches (every 500 ms) speak through the
     * bot, recoveries are followed and, after {@link #verifying}, verified in full.
     */
    RealPairBot startScheduler(String name) throws Exception {
        scheduler = new ResyncScheduler(ResyncScheduler.inMemory(name, 4), List.of(CLUSTER), reader, store,
                h.bot.notifier(), StateFixture.settings(Duration.ofMillis(500), Duration.ofMillis(500)),
                Clock.systemUTC());
        scheduler.followRecoveries(service);
        if (verifier != null) {
            scheduler.verifyWith(verifier, verifications, List.of(), AfterRecovery.FULL, "");
        }
        scheduler.start();
        return this;
    }

    /** {@code /mysql-resync plan} by {@code user}: the new plan once its message is posted. */
    ProposedPlan plan(String user, String channel) {
        Set<String> before = new HashSet<>();
        store.history(null, 1000).forEach(e -> before.add(e.planId()));
        h.command("plan " + CLUSTER, user, channel);
        return BotHarness.await("a new plan", () -> store.history(CLUSTER, 1000).stream()
                .filter(e -> e.action().equals("propose") && !before.contains(e.planId())).findFirst()
                .flatMap(e -> store.plan(e.planId())).filter(x -> !x.messageTs().isEmpty()), Duration.ofSeconds(30));
    }

    @Override
    public void close() throws Exception {
        try {
            if (scheduler != null) scheduler.close();
            try {
                h.assertNoSecretLeaked(Account.BOT.password(), Account.REPLICATION.password(), Account.ROOT.password());
            } finally {
                h.close();
            }
        } finally {
            reader.close();
            connections.close();
            state.close();
        }
    }
}
