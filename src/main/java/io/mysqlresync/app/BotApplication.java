package io.mysqlresync.app;

import io.mysqlresync.audit.Auditor;
import io.mysqlresync.audit.CrashSafety;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.ConfigException;
import io.mysqlresync.console.ConsoleNotifier;
import io.mysqlresync.console.ConsoleSession;
import io.mysqlresync.console.ConsoleVerify;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.incident.ApprovalPolicy;
import io.mysqlresync.incident.BotMetrics;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.mysql.JdbcDataVerifier;
import io.mysqlresync.store.JdbcVerificationLog;
import io.mysqlresync.verify.DataVerifier;
import io.mysqlresync.verify.VerificationLog;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.metrics.MeasuredClusterReader;
import io.mysqlresync.mysql.CachedSettingsReader;
import io.mysqlresync.mysql.JdbcClusterReader;
import io.mysqlresync.mysql.JdbcGrantReader;
import io.mysqlresync.mysql.JdbcSettingsReader;
import io.mysqlresync.mysql.LogLedgerReader;
import io.mysqlresync.mysql.JdbcStatementRunner;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.recovery.PlanExecutor;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.StatementOutcome;
import io.mysqlresync.schedule.ResyncScheduler;
import io.mysqlresync.store.JdbcAuditReports;
import io.mysqlresync.store.JdbcResyncStore;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.store.StateDatabaseGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;


/**
 * Wiring: one object graph for every mode. The core gets its ports (reader, runner, store,
 * notifier) here and nowhere else.
 */
public final class BotApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BotApplication.class);

    private final AppConfig config;
    private final StateDatabase database;
    private final NodeConnections connections;
    private final JdbcClusterReader reader;
    private final ResyncService service;
    private final ResyncStore store;
    private final CrashSafety crashSafety;
    private ResyncScheduler scheduler;
    private StateOutageWatch outageWatch;
    private volatile BotMetrics metrics = BotMetrics.NONE;

    private BotApplication(AppConfig config) {
        this.config = config;
        StateDatabaseGuard.checkStatic(config);
        this.database = StateDatabase.open(config.state());
        refuseStateOnANode(config, database);
        this.store = new JdbcResyncStore(database.dataSource());
        this.connections = new NodeConnections(config.clusters());
        int nodes = config.clusters().stream().mapToInt(c -> c.nodes().size()).sum();
        // Blocking JDBC reads: one thread per node up to a cap keeps one slow node from delaying others.
        this.reader = new JdbcClusterReader(connections, Math.max(4, Math.min(64, nodes)), Clock.systemUTC());
        ApprovalPolicy policy = new ApprovalPolicy(new HashSet<>(config.approvals().approvers()),
                !config.approvals().approverGroup().isEmpty(), config.approvals().twoPersonRule());
        this.service = new ResyncService(config.clusterNames(), reader, new Diagnoser(Wiring.thresholds(config)),
                new Planner(new JdbcGrantReader(connections)), new PlanExecutor(reader, new JdbcStatementRunner(connections)), store, policy,
                config.approvals().planExpiry(), Clock.systemUTC());
        this.service.readLedgersWith(cluster -> config.cluster(cluster)
                .map(c -> new LogLedgerReader(c, DiagnoseCommand.LEDGER_READ_DEADLINE)));
        this.crashSafety = crashSafety(connections);
        service.explainWith(crashSafety);
    }

    /** Audits read afresh; explanations of alerts and plans from a cache of a minute per node. */
    static CrashSafety crashSafety(NodeConnections connections) {
        Auditor auditor = new Auditor();
        JdbcSettingsReader fresh = new JdbcSettingsReader(connections, auditor.variables());
        return new CrashSafety(fresh, new CachedSettingsReader(fresh, CachedSettingsReader.DEFAULT_TTL), auditor);
    }

    /**
     * The static check compares names; this one asks the servers who they are, catching a node
     * reached under another name. Nothing to ask for an embedded state database.
     */
    private static void refuseStateOnANode(AppConfig config, StateDatabase database) {
        try {
            List<String> unchecked = StateDatabaseGuard.checkConnected(config, database.dataSource(), NodeConnections::open);
            if (!unchecked.isEmpty()) {
                LOG.info("state database: not compared with {} node(s) that did not answer (the name check covers them), "
                        + "e.g. {}", unchecked.size(), unchecked.get(0));
            }
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public static BotApplication create(AppConfig config) {
        return new BotApplication(config);
    }

    /** Repairs of drift, for a channel: the bot's store, nodes and approval policy. */
    public io.mysqlresync.incident.RepairService repairs() {
        io.mysqlresync.incident.RepairService repairs = RepairCommand.service(config, database, connections,
                service.policy(), Clock.systemUTC());
        // The source of truth suggested from the ledger of the plan that recovered the open incident.
        repairs.suggestFrom(cluster -> io.mysqlresync.incident.IncidentLifecycle.recoveryLedger(store, cluster, ""));
        return repairs;
    }

    /** A person's verify found the data identical: the cluster's drift incident closes when it covered its tables. */
    public Optional<io.mysqlresync.incident.Incident> closeDriftIfIdentical(
            io.mysqlresync.verify.VerificationResult r, String user) {
        return io.mysqlresync.incident.IncidentLifecycle.forConversation(store, Clock.systemUTC())
                .closeDriftIfIdentical(r.cluster(), r, false, user);
    }

    public ResyncService service() {
        return service;
    }

    /** Starts the monitor and lag watches on the state database's job store (clustered across replicas). */
    public ResyncScheduler startScheduler(Notifier notifier) {
        return startScheduler(notifier, database.quartzProperties(), config.audit().schedule());
    }

    /** Starts the monitor and lag watches, speaking through {@code notifier}; the scheduled audit is left to the Slack replicas. */
    public ResyncScheduler startScheduler(Notifier notifier, Properties quartz) {
        return startScheduler(notifier, quartz, null);
    }

    /** @param auditSchedule cron of the scheduled audit, "off", or null: not this process's (a terminal must not take Slack's weekly post) */
    private ResyncScheduler startScheduler(Notifier notifier, Properties quartz, String auditSchedule) {
        scheduler = new ResyncScheduler(quartz, config.clusterNames(),
                new MeasuredClusterReader(reader, metrics, Clock.systemUTC()), store, notifier, config.monitor(),
                Clock.systemUTC(), metrics);
        scheduler.auditSettings(crashSafety, new JdbcAuditReports(database.dataSource()), auditSchedule);
        scheduler.followRecoveries(service);
        scheduler.verifyWith(dataVerifier(), verificationLog(), config.verify().include(),
                IncidentLifecycle.AfterRecovery.valueOf(config.verify().afterRecovery().toUpperCase(Locale.ROOT)),
                config.verify().schedule());
        scheduler.start();
        outageWatch = new StateOutageWatch(service, this::stateDatabaseProblem, notifier, config.monitor().pollInterval(),
                Clock.systemUTC());
        return scheduler;
    }

    /** Compares the nodes of a cluster as `verify` does, with the verify settings. */
    public DataVerifier dataVerifier() {
        return new JdbcDataVerifier(connections, VerifyCommand.options(config), Clock.systemUTC());
    }

    /** Verifications kept in the state database, each with its audit entry. */
    public VerificationLog verificationLog() {
        return new JdbcVerificationLog(database.dataSource());
    }

    /** What the bot says in Slack, kept in the state database until Slack has it. */
    public io.mysqlresync.incident.Outbox slackOutbox() {
        return new io.mysqlresync.store.JdbcOutbox(database.dataSource());
    }

    /** Metrics for everything started from now on (call before {@link #startScheduler}). */
    public void measure(BotMetrics metrics) {
        this.metrics = metrics;
        service.measure(metrics);
    }

    /** For readiness: empty when the state database answers a validity check, else why not. */
    public Optional<String> stateDatabaseProblem() {
        try (Connection c = database.dataSource().getConnection()) {
            return c.isValid(2) ? Optional.empty() : Optional.of("state database connection is not valid");
        } catch (SQLException e) {
            return Optional.of("state database unreachable: " + e.getMessage());
        }
    }

    public ResyncScheduler scheduler() {
        return scheduler;
    }

    /** Starts a lag watch tied to the cluster's open incident, if any. */
    public void watch(String cluster, String channel, String threadTs, String requestedBy) {
        MDC.put("cluster", cluster);
        try {
            store.openIncident(cluster).map(Incident::id).ifPresent(id -> MDC.put("incident", id));
            scheduler.watchRequested(cluster, channel, threadTs, requestedBy);
        } finally {
            MDC.remove("cluster");
            MDC.remove("incident");
        }
    }

    /** Terminal mode: the conversation on stdin/stdout, alerts and progress printed in between. */
    static int console(AppConfig config) throws Exception {
        BotApplication app = create(config);
        // SIGTERM or Ctrl-C mid-session: the same orderly stop as at "quit" (a statement being
        // run is a JDBC call on the session's thread and ends before the connections close).
        GracefulStop.install("mysql-resync console", app::close);
        try {
            return app.runConsole(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    System.out, System.getProperty("user.name", "operator"));
        } finally {
            app.close();
        }
    }

    /** Runs a terminal session until quit; the scheduler runs in memory so it never takes jobs from Slack replicas. */
    public int runConsole(BufferedReader in, PrintStream out, String user) throws Exception {
        startScheduler(new ConsoleNotifier(out), ResyncScheduler.inMemory("mysql-resync-console", 4));
        new ConsoleSession(service, in, out, user, (cluster, channel) -> watch(cluster, channel, "",
                ApprovalPolicy.CONSOLE_PREFIX + user))
                .verifyWith(new ConsoleVerify(dataVerifier(), verificationLog()).closesDrift(this::closeDriftIfIdentical))
                .repairWith(repairs())
                .run();
        return 0;
    }

    /** Slack mode: Socket Mode app, monitor and lag progress on the state database's job store. */
    static void slack(AppConfig config) throws Exception {
        requireSlackSettings(config);
        SlackMode running = SlackMode.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM/SIGINT: the whole stop (SlackMode.close: scheduler, bot with its running plans,
        // endpoints, state database) runs before the JVM's hooks, H2's among them.
        GracefulStop.install("mysql-resync", () -> {
            running.close();
            stopped.countDown();
        });
        stopped.await();
        // Stopped by a signal (whose handler exits with 128+signal) or by the JVM exiting: either
        // way the exit status is theirs to set; returning from main now would race it to 0.
        Thread.sleep(Long.MAX_VALUE);
    }

    static void requireSlackSettings(AppConfig config) {
        List<String> missing = new ArrayList<>();
        if (config.slack().botToken().isEmpty()) missing.add("slack.botToken: required to run in Slack (set SLACK_BOT_TOKEN)");
        if (config.slack().appToken().isEmpty()) missing.add("slack.appToken: required for Socket Mode (set SLACK_APP_TOKEN)");
        if (config.slack().incidentChannel().isEmpty()) missing.add("slack.incidentChannel: required for alerts (set SLACK_INCIDENT_CHANNEL)");
        if (config.approvals().approvers().isEmpty() && config.approvals().approverGroup().isEmpty()) {
            missing.add("approvals: nobody could approve a plan; set approvals.approvers or approvals.approverGroup");
        }
        if (!missing.isEmpty()) throw new ConfigException(missing);
    }

    private boolean closed;

    /** Polls run by the outage watch while the state database was away. */
    int outagePolls() {
        return outageWatch == null ? 0 : outageWatch.outagePolls();
    }

    java.util.Map<String, String> outageHeadlines() {
        return outageWatch == null ? java.util.Map.of() : outageWatch.lastHeadlines();
    }

    synchronized void closeScheduler() {
        if (outageWatch != null) {
            outageWatch.close();
            outageWatch = null;
        }
        if (scheduler != null) {
            scheduler.close();
            scheduler = null;
        }
    }

    /** Idempotent: a signal's orderly stop and the end of a console session may both call it. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        closeScheduler();
        reader.close();
        connections.close();
        database.close();
    }

}
