package io.mysqlresync.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import io.mysqlresync.verify.DataVerifier;
import io.mysqlresync.verify.VerificationLog;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.SlackSettings;
import io.mysqlresync.incident.BotMetrics;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.RepairService;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.util.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The Slack side of the bot: a Bolt app in Socket Mode (no public HTTP endpoint) serving
 * {@code /mysql-resync} and the plan buttons, plus the {@link SlackNotifier} the monitor and the
 * lag watch speak through.
 *
 * <p>Every Slack HTTP call, including Socket Mode's {@code apps.connections.open}, goes through
 * one {@link Slack} instance whose Web API prefix is {@link SlackSettings#apiBaseUrl()}: GovSlack,
 * a proxy or a test fake are one setting away. Tokens are read from their {@code Secret}s only to
 * hand them to the SDK, and are never logged.
 *
 * <p>Wiring: {@code new SlackBot(config, service, watchHook)}, pass {@link #notifier()} to the
 * monitor and the lag watch, {@link #start()}; on shutdown stop the scheduler first, then
 * {@link #stop()}.
 */
public final class SlackBot implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SlackBot.class);

    /**
     * Knobs with sensible defaults; tests shorten them.
     *
     * @param approverCacheTtl how long approver group membership is trusted before asking Slack again
     * @param maxRetryAfter    the longest Retry-After a rate-limited call waits for (once)
     * @param workerThreads    threads for commands and clicks (reading servers, running plans)
     * @param redeliveryWindow how long a trigger id is remembered to drop Slack's re-sent envelopes
     */
    public record Tuning(Duration approverCacheTtl, Duration maxRetryAfter, int workerThreads,
                         Duration redeliveryWindow) {
        public static final Tuning DEFAULTS = new Tuning(Duration.ofSeconds(60), Duration.ofSeconds(30), 8,
                Duration.ofMinutes(15));
    }

    private final SlackSettings settings;
    private final ResyncService service;
    private final Slack slack;
    private volatile App app;
    private final SlackGateway gateway;
    private final SlackNotifier notifier;
    private final SlackOutbox outbox;
    private final ThreadPoolExecutor work;
    private final ThreadPoolExecutor updates;
    private final ReconnectPolicy reconnectPolicy;
    private volatile SocketModeLink socketMode;
    private final ActionHandler actions;
    private final CommandHandler commands;
    private volatile VerifyConversation verify;
    private volatile BotMetrics metrics = BotMetrics.NONE;

    /**
     * @param watchHook called for {@code /mysql-resync watch <cluster>}; the app starts the lag
     *                  progress watch there. Null answers that watches are not available.
     */
    public SlackBot(AppConfig config, ResyncService service, Consumer<WatchRequest> watchHook) {
        this(config, service, watchHook, Tuning.DEFAULTS);
    }

    public SlackBot(AppConfig config, ResyncService service, Consumer<WatchRequest> watchHook, Tuning tuning) {
        this(config, service, watchHook, tuning, ReconnectPolicy.DEFAULTS);
    }

    public SlackBot(AppConfig config, ResyncService service, Consumer<WatchRequest> watchHook, Tuning tuning,
                    ReconnectPolicy reconnectPolicy) {
        this.reconnectPolicy = reconnectPolicy;
        this.settings = config.slack();
        this.service = service;
        this.slack = Slack.getInstance(slackConfig(settings.apiBaseUrl()));
        this.gateway = new SlackGateway(slack.methods(settings.botToken().reveal()), tuning.maxRetryAfter(),
                d -> Thread.sleep(d.toMillis()));
        this.outbox = new SlackOutbox(null, gateway, replicaName(), Clock.systemUTC());
        this.notifier = new SlackNotifier(gateway, outbox, settings.incidentChannel());
        outbox.onPosted(SlackNotifier.recordingPosts(service::planPosted, service::alertPosted));
        this.work = pool("slack-work", tuning.workerThreads(), 200);
        this.updates = pool("slack-update", 2, 1000);

        this.deliveries = new RecentDeliveries(tuning.redeliveryWindow());
        ApproverGroup approvers = new ApproverGroup(config.approvals().approverGroup(), gateway::usergroupMembers,
                tuning.approverCacheTtl(), Clock.systemUTC());
        this.commands = new CommandHandler(service, gateway, work, deliveries,
                settings.allowedChannels(), watchHook);
        this.actions = new ActionHandler(service, gateway, work, updates, deliveries, approvers);
        actions.speakThrough(outbox);
    }

    private final RecentDeliveries deliveries;

    /**
     * The Bolt app with its handlers. Bolt checks the bot token with auth.test while it is built
     * and refuses to build when that call fails, so it is built in {@link #start()}, once Slack
     * answers: a bot (re)started during a Slack outage must still monitor and keep its messages.
     */
    private App newApp() {
        // Bolt's AppConfig, not ours (imported above): the one inline name left on purpose.
        App app = new App(com.slack.api.bolt.AppConfig.builder()
                .slack(slack)
                .singleTeamBotToken(settings.botToken().reveal())
                // Bolt re-checks the token on the first request and caches a failure for 10 min:
                // one failed auth.test during a Slack blip would leave the bot deaf for the
                // whole outage. The startup check (start()) is enough.
                .authTestCacheExpirationMillis(-1)
                .build());
        // First middleware: in Socket Mode the chain's return is the ack Slack waits for.
        app.use((req, resp, chain) -> {
            long start = System.nanoTime();
            try {
                return chain.next(req);
            } finally {
                metrics.slackAck(Duration.ofNanos(System.nanoTime() - start));
            }
        });
        app.command(SlashCommand.COMMAND, commands);
        app.blockAction(Pattern.compile("^" + Pattern.quote(PlanButton.APPROVE_ACTION_PREFIX) + ".+$"), actions::approve);
        app.blockAction(PlanButton.REJECT_ACTION, actions::reject);
        app.blockAction(PlanButton.PROPOSE_ACTION, actions::propose);
        app.blockAction(Pattern.compile("^" + Pattern.quote(RepairButton.SOURCE_ACTION_PREFIX) + "\\d+:\\d+$"),
                actions::repairSource);
        app.blockAction(RepairButton.APPROVE_ACTION, actions::repairApprove);
        app.blockAction(RepairButton.REJECT_ACTION, actions::repairReject);
        return app;
    }

    /** Repair plans: their buttons, and {@link #postRepairPlan}. */
    public SlackBot repairWith(RepairService repairs) {
        this.repairService = repairs;
        actions.repairWith(repairs);
        commands.repairWith(this::postRepairPlan);
        notifier.repairsWith(this::postRepairPlan);
        return this;
    }

    private volatile RepairService repairService;

    /**
     * Posts a "Repair plan" message for a verification that found differing rows, with a source
     * button per table and Approve/Reject; the id of the repair, or why it could not be made.
     */
    public String postRepairPlan(String verificationId, String channel, String threadTs, String requestedBy) {
        if (repairService == null) {
            throw new IllegalStateException("repairs are not set up in this bot");
        }
        io.mysqlresync.incident.RepairRequest r = repairService.propose(verificationId, null, requestedBy, channel);
        gateway.post(channel, threadTs == null ? "" : threadTs, RepairMessages.plan(r), "repair " + r.id())
                .ifPresent(ts -> repairService.posted(r.id(), channel, ts));
        return r.id();
    }

    /** The longest one Slack Web API call may take, all of it; the SDK's own bounds are 10 s per phase. */
    static final java.time.Duration CALL_TIMEOUT = java.time.Duration.ofSeconds(10);

    /** The Slack SDK configuration: our Web API prefix for every call, Socket Mode's included. */
    static SlackConfig slackConfig(String apiBaseUrl) {
        return slackConfig(apiBaseUrl, CALL_TIMEOUT);
    }

    static SlackConfig slackConfig(String apiBaseUrl, java.time.Duration callTimeout) {
        String prefix = apiBaseUrl == null || apiBaseUrl.isBlank() ? SlackSettings.DEFAULT_API_BASE_URL : apiBaseUrl.trim();
        if (!prefix.endsWith("/")) prefix = prefix + "/"; // the SDK appends the method name as is
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(prefix);
        // One bound on the whole call (connect, write, read): the outbox's claim outlives it, so a
        // slow send is never taken over and posted a second time by another replica.
        config.setHttpClientCallTimeoutMillis((int) callTimeout.toMillis());
        if (isLoopback(prefix)) {
            // SlackConfig picks up HTTPS_PROXY by itself; a proxy cannot reach our own loopback.
            config.setProxyUrl(null);
        }
        return config;
    }

    private static boolean isLoopback(String url) {
        try {
            String host = URI.create(url).getHost();
            return host != null && (host.equals("localhost") || InetAddress.getByName(host).isLoopbackAddress());
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Enables {@code /mysql-resync verify}: the data compared by {@code verifier}, each run stored
     * in {@code verifications} with its audit entry.
     */
    public void verifyWith(DataVerifier verifier, VerificationLog verifications) {
        verifyWith(verifier, verifications, VerifyConversation.PROGRESS_EVERY);
    }

    void verifyWith(DataVerifier verifier, VerificationLog verifications, java.time.Duration progressEvery) {
        this.verify = new VerifyConversation(verifier, verifications, gateway, progressEvery, () -> metrics);
        verify.closesDrift((r, u) -> closesDrift.apply(r, u));
        commands.verifyWith(verify);
    }

    private volatile java.util.function.BiFunction<io.mysqlresync.verify.VerificationResult, String,
            Optional<io.mysqlresync.incident.Incident>> closesDrift = (r, u) -> Optional.empty();

    /**
     * An identical result of {@code /mysql-resync verify} closes the cluster's drift incident when it
     * compared every table the incident names; {@code hook} makes that move (and says which incident).
     */
    public void closesDriftWith(java.util.function.BiFunction<io.mysqlresync.verify.VerificationResult, String,
            Optional<io.mysqlresync.incident.Incident>> hook) {
        this.closesDrift = hook;
    }

    /**
     * Keeps what the monitor and the lag watch say in {@code messages} (the state database) until
     * Slack has it, and delivers it in order from a background thread every {@code every} too:
     * messages left by a Slack outage, or by a replica that stopped, go out when Slack is back.
     */
    public void keepMessagesIn(io.mysqlresync.incident.Outbox messages, Duration every) {
        outbox.use(messages);
        outbox.start(every);
    }

    /** Messages waiting for Slack in the outbox (a gauge; 0 without one). */
    public int messagesWaiting() {
        return outbox.depth();
    }

    /** Seconds the oldest waiting message has waited (a gauge; 0 when none waits). */
    public double oldestMessageWaitSeconds() {
        java.time.Instant oldest = outbox.oldestQueued();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, java.time.Instant.now()).toMillis() / 1000.0);
    }

    private static String replicaName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    /** Where acknowledgement latencies go. */
    public void measure(BotMetrics metrics) {
        this.metrics = metrics;
    }

    /** Whether the Socket Mode connection is open now (readiness, a gauge); never blocks. */
    public boolean connected() {
        SocketModeLink s = socketMode;
        return s != null && s.connected();
    }

    /** For the monitor and the lag watch; usable before {@link #start()} (it only uses the Web API). */
    public SlackNotifier notifier() {
        return notifier;
    }

    /**
     * Connects to Slack (auth.test with the bot token, apps.connections.open with the app token)
     * and returns once the Socket Mode connection is being opened. A token Slack refuses fails
     * here (a configuration error); Slack unreachable does not: the bot starts without Slack,
     * says so, and connects in the background when Slack answers (messages meanwhile wait in the
     * outbox).
     */
    public synchronized void start() throws Exception {
        if (socketMode != null || connecting != null) return;
        SlackGateway.Outcome<?> auth = gateway.attempt("auth.test", "bot token check",
                () -> slack.methods(settings.botToken().reveal()).authTest(r -> r));
        if (auth instanceof SlackGateway.Outcome.Refused<?> refused) {
            throw new IllegalStateException("Slack refused the bot token (slack.botToken): " + refused.error());
        }
        if (auth instanceof SlackGateway.Outcome.Unreachable<?> down) {
            log.warn("Slack unreachable at start ({}); monitoring runs, messages wait in the outbox, and the bot"
                    + " connects when Slack answers", down.why());
            connecting = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Threads.named("slack-connect", true));
            scheduleConnect(0);
            return;
        }
        connect();
    }

    private java.util.concurrent.ScheduledExecutorService connecting;

    private void scheduleConnect(int attempt) {
        // attempt + 1: Slack has already failed once by the time a connect is scheduled (backoff(0) is no wait).
        Duration wait = reconnectPolicy.backoff(attempt + 1, java.util.concurrent.ThreadLocalRandom.current()::nextDouble);
        connecting.schedule(() -> {
            synchronized (this) {
                if (connecting == null || connecting.isShutdown()) return;
                try {
                    connect();
                    log.info("Slack answers again: connected after {} attempt(s)", attempt + 1);
                    connecting.shutdown();
                    connecting = null;
                } catch (Exception e) {
                    scheduleConnect(attempt + 1);
                }
            }
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void connect() throws Exception {
        App built = newApp();
        built.start();
        this.app = built;
        // Our own Socket Mode link, not the SDK's SocketModeApp: see SocketModeLink for the
        // reconnect storm the SDK's client makes of one routine disconnect.
        SocketModeLink link = new SocketModeLink(slack.methods(settings.appToken().reveal()), built, reconnectPolicy);
        // A link that opens again means Slack is back: the outbox need not wait out its backoff.
        link.onOpen(outbox::slackIsBack);
        link.start();
        socketMode = link;
        log.info("Slack bot started: Socket Mode via {}, {} clusters, incident channel {}",
                slack.getConfig().getMethodsEndpointUrlPrefix(), service.clusters().size(), settings.incidentChannel());
    }

    /** How many times the bot asked Slack for a Socket Mode URL since start (0 before start). */
    public synchronized long socketModeOpens() {
        return socketMode == null ? 0 : socketMode.opens();
    }

    /** The current Socket Mode TCP socket, or null; for benchmarks that tune it. */
    public synchronized java.net.Socket socketModeSocket() {
        return socketMode == null ? null : socketMode.tcpSocket();
    }

    /**
     * Re-renders a plan's message from its stored state, e.g. after the scheduler expired it
     * ({@code service.expireOldPlans().forEach(bot::planChanged)}). Never throws.
     */
    public void planChanged(ProposedPlan plan) {
        notifier.redrawPlan(plan);
    }

    /** Stops taking events, lets running plans finish (up to 60 s), then closes the HTTP client. */
    public synchronized void stop() {
        if (verify != null) {
            verify.close();
        }
        if (connecting != null) {
            connecting.shutdownNow();
            connecting = null;
        }
        if (socketMode != null) {
            socketMode.close();
            socketMode = null;
            try {
                app.stop();
            } catch (Exception e) {
                log.warn("stopping the Bolt app: {}", e.toString());
            }
        }
        work.shutdown();
        try {
            if (!work.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("Slack work still running after 60 s; stopping anyway");
                work.shutdownNow();
            }
            updates.shutdown();
            updates.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // What still waits stays in the state database for the next start, or another replica.
        outbox.close();
        try {
            slack.close();
        } catch (Exception e) {
            log.warn("closing the Slack client: {}", e.toString());
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queue) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), Threads.named(name, false));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
