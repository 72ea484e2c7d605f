package io.mysqlresync.schedule;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.config.Secret;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.ApprovalPolicy;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.mysql.JdbcClusterReader;
import io.mysqlresync.mysql.JdbcStatementRunner;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.recovery.PlanExecutor;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.StateFixture;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One bot replica as the app wires it, minus Slack: the state database and store, the JDBC
 * reader on a real pair (as the bot's least-privileged user), and the scheduler on the state
 * database's Quartz job store.
 */
final class Bot implements AutoCloseable {

    static final String CLUSTER = "shop";

    final StateDatabase db;
    final ResyncStore store;
    final ResyncScheduler scheduler;
    private final NodeConnections connections;
    private final JdbcClusterReader reader;

    /**
     * @param database  H2 database name: bots given the same name share their state, as replicas do
     * @param clustered Quartz's clustered JDBC job store
     * @param replica   Quartz instance id, distinct per replica
     */
    Bot(LocalPair pair, String database, boolean clustered, String replica, RecordingNotifier notifier,
        MonitorSettings settings) {
        this.db = StateFixture.open(database, clustered);
        this.store = StateFixture.store(db);
        this.connections = new NodeConnections(List.of(cluster(pair)));
        this.reader = new JdbcClusterReader(connections, 4, Clock.systemUTC());
        this.scheduler = new ResyncScheduler(StateFixture.quartz(db, replica), List.of(CLUSTER), reader, store,
                notifier, settings, Clock.systemUTC());
    }

    /** The conversation service of this replica, its recoveries followed by lag watches, as the app wires it. */
    ResyncService service() {
        ResyncService service = new ResyncService(List.of(CLUSTER), reader, new Diagnoser(Thresholds.DEFAULT),
                new Planner(), new PlanExecutor(reader, new JdbcStatementRunner(connections)), store,
                new ApprovalPolicy(Set.of(APPROVER), false, true), Duration.ofMinutes(15), Clock.systemUTC());
        scheduler.followRecoveries(service);
        return service;
    }

    static final String APPROVER = "U0APPROVER";

    Bot start() {
        scheduler.start();
        return this;
    }

    /** The pair as configured in the bot's YAML: short timeouts, so a dead node is seen at once. */
    static ClusterConfig cluster(LocalPair pair) {
        return new ClusterConfig(CLUSTER, new Secret(Account.BOT.user()), new Secret(Account.BOT.password()),
                Duration.ofSeconds(1), Duration.ofSeconds(2),
                List.of(new NodeConfig("node1", pair.node1().host(), pair.node1().port(), null),
                        new NodeConfig("node2", pair.node2().host(), pair.node2().port(), null)));
    }

    /**
     * A restart is a start time that moved later by more than {@link RestartDetector#TOLERANCE};
     * a node restarted moments after it started (as a fresh sandbox node can be) would not show it.
     */
    static void upLongerThanTheRestartTolerance(LocalPair pair) throws Exception {
        for (LocalPair.Node node : LocalPair.Node.values()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Long.parseLong(pair.server(node).query("SHOW GLOBAL STATUS LIKE 'Uptime'").get(0).get("Value"))
                    <= RestartDetector.TOLERANCE.toSeconds() + 1) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(node.label() + " did not stay up for "
                            + (RestartDetector.TOLERANCE.toSeconds() + 1) + " s");
                }
                Waits.sleep(Duration.ofMillis(200));
            }
        }
    }

    @Override
    public void close() {
        scheduler.close();
        reader.close();
        connections.close();
        db.close();
    }
}
