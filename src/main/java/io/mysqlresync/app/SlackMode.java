package io.mysqlresync.app;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.metrics.OpsEndpoints;
import io.mysqlresync.metrics.PrometheusMetrics;
import io.mysqlresync.slack.SlackBot;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What {@code run} starts, in order: the bot's core on the state database, the metrics, the
 * Slack app, the scheduler, the HTTP endpoints, then the Socket Mode connection. {@link #close()}
 * stops it the other way round. One place, so the acceptance test starts exactly this.
 */
final class SlackMode implements AutoCloseable {

    /** How often each replica looks for messages waiting for Slack (its own backoffs, or a dead replica's). */
    static final java.time.Duration OUTBOX_TICK = java.time.Duration.ofSeconds(1);

    private final BotApplication app;
    private final SlackBot bot;
    private final PrometheusMetrics metrics;
    private final OpsEndpoints endpoints;

    private SlackMode(BotApplication app, SlackBot bot, PrometheusMetrics metrics, OpsEndpoints endpoints) {
        this.app = app;
        this.bot = bot;
        this.metrics = metrics;
        this.endpoints = endpoints;
    }

    static SlackMode start(AppConfig config) throws Exception {
        return start(config, SlackBot.Tuning.DEFAULTS);
    }

    static SlackMode start(AppConfig config, SlackBot.Tuning tuning) throws Exception {
        BotApplication app = BotApplication.create(config);
        PrometheusMetrics metrics = new PrometheusMetrics(Clock.systemUTC());
        SlackBot bot = null;
        OpsEndpoints endpoints = null;
        try {
            app.measure(metrics);
            AtomicReference<BotApplication> self = new AtomicReference<>(app);
            bot = new SlackBot(config, app.service(), req -> self.get().watch(req.cluster(), req.channel(),
                    req.threadTs(), req.requestedBy()), tuning);
            bot.measure(metrics);
            bot.verifyWith(app.dataVerifier(), app.verificationLog());
            bot.repairWith(app.repairs());
            bot.closesDriftWith(app::closeDriftIfIdentical);
            bot.keepMessagesIn(app.slackOutbox(), OUTBOX_TICK);
            metrics.socketModeConnected(bot::connected);
            metrics.slackOutbox(bot::messagesWaiting, bot::oldestMessageWaitSeconds);
            app.startScheduler(bot.notifier());
            SlackBot b = bot;
            endpoints = OpsEndpoints.start(config.http().bindAddress(), config.http().port(), metrics::scrape, List.of(
                    new OpsEndpoints.Check("slack", () -> b.connected() ? Optional.empty()
                            : Optional.of("Socket Mode not connected")),
                    new OpsEndpoints.Check("state database", app::stateDatabaseProblem),
                    new OpsEndpoints.Check("scheduler", () -> app.scheduler() == null
                            ? Optional.of("scheduler not started") : app.scheduler().notRunning())));
            bot.start();
            return new SlackMode(app, bot, metrics, endpoints);
        } catch (Exception | Error e) {
            new SlackMode(app, bot, metrics, endpoints).close();
            throw e;
        }
    }

    BotApplication app() {
        return app;
    }

    int httpPort() {
        return endpoints.port();
    }

    @Override
    public void close() {
        // Scheduler first: its jobs speak through the bot, which must still be up.
        app.closeScheduler();
        if (bot != null) bot.close();
        if (endpoints != null) endpoints.close();
        app.close();
        metrics.close();
    }
}
