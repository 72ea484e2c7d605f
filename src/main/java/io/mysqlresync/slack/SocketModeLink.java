package io.mysqlresync.slack;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.request.SocketModeRequest;
import com.slack.api.bolt.socket_mode.request.SocketModeRequestParser;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.apps.connections.AppsConnectionsOpenResponse;
import com.slack.api.util.json.GsonFactory;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bot's one Socket Mode connection to Slack, in place of the SDK's {@code SocketModeClient}.
 *
 * <p>Why not the SDK's: there, a {@code disconnect} message opens a new socket and closes the
 * old one, whose close handler (with reconnect-on-close on) opens another, whose predecessor's
 * close opens another... One {@code refresh_requested} made 1 to 15 {@code apps.connections.open}
 * calls and sometimes left a second socket open. Its failed opens are retried every 10 s without
 * jitter and a 429's Retry-After is ignored. Here every reason to reconnect ({@code disconnect}
 * of any kind, the serving socket closing or dropping, the watchdog finding none) goes through
 * one single-flight {@link #reconnect}: while an open is scheduled, in flight or handshaking,
 * further reasons are ignored; only the serving socket's close counts (a replaced one closing
 * is expected); a replacement serves first and the old one is closed after, so a routine refresh
 * loses no envelope; waits follow {@link ReconnectPolicy}.
 *
 * <p>Envelopes are handed to Bolt ({@code App.run}) on a small pool and acknowledged on the
 * socket they came on, as the SDK's {@code SocketModeApp} does.
 */
final class SocketModeLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SocketModeLink.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Java-WebSocket pings this often and drops a socket that stops answering (a silent half-open TCP). */
    private static final int LOST_CONNECTION_SECONDS = 30;
    private static final Duration WATCHDOG = Duration.ofSeconds(10);

    /** Thrown by {@link ConnectionsOpen#open()} when Slack answers 429. */
    static final class RateLimited extends IOException {
        final Duration retryAfter;

        RateLimited(Duration retryAfter) {
            super("apps.connections.open rate limited, Retry-After " + retryAfter.toSeconds() + " s");
            this.retryAfter = retryAfter;
        }
    }

    /** {@code apps.connections.open}: a fresh single-use WebSocket URL. */
    @FunctionalInterface
    interface ConnectionsOpen {
        URI open() throws IOException;
    }

    private final ConnectionsOpen connectionsOpen;
    private final App app;
    private final SocketModeRequestParser parser;
    private final Gson gson;
    private final ReconnectPolicy policy;
    private final ScheduledExecutorService timer;
    private final ExecutorService dispatch;
    private final AtomicInteger sessionNumbers = new AtomicInteger();
    private final AtomicLong opens = new AtomicLong();

    private final Object lock = new Object();
    private Session serving;          // the socket envelopes are taken from and acked on
    private Session replacement;      // opened, handshake not finished yet
    private ScheduledFuture<?> nextOpen;
    private boolean opening;          // apps.connections.open in flight
    private boolean stopped;
    private int failures;             // failed opens in a row
    private long lastOpenNanos = Long.MIN_VALUE / 2;
    private boolean linkDisabled;

    SocketModeLink(MethodsClient appLevelClient, App app, ReconnectPolicy policy) {
        this(() -> openUrl(appLevelClient), app, policy);
    }

    SocketModeLink(ConnectionsOpen connectionsOpen, App app, ReconnectPolicy policy) {
        this.connectionsOpen = connectionsOpen;
        this.app = app;
        this.parser = new SocketModeRequestParser(app.config());
        this.gson = GsonFactory.createSnakeCase(app.slack().getConfig());
        this.policy = policy;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, daemon("slack-socket"));
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.dispatch = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("slack-socket-dispatch"));
    }

    private static URI openUrl(MethodsClient client) throws IOException {
        AppsConnectionsOpenResponse r;
        try {
            r = client.appsConnectionsOpen(req -> req);
        } catch (SlackApiException e) {
            if (e.getResponse().code() == 429) {
                throw new RateLimited(retryAfter(e.getResponse().header("Retry-After")));
            }
            throw new IOException("apps.connections.open answered HTTP " + e.getResponse().code(), e);
        }
        if (!r.isOk()) {
            throw new IOException("apps.connections.open failed: " + r.getError()
                    + ("invalid_auth".equals(r.getError()) || "not_allowed_token_type".equals(r.getError())
                    ? " (check the app-level xapp- token and its connections:write scope)" : ""));
        }
        return URI.create(r.getUrl());
    }

    static Duration retryAfter(String header) {
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(header.trim())));
        } catch (RuntimeException e) {
            return Duration.ofSeconds(1); // Slack's own guidance when the header is missing
        }
    }

    /** Starts connecting; returns at once. */
    void start() {
        synchronized (lock) {
            stopped = false;
        }
        reconnect("start");
        timer.scheduleWithFixedDelay(this::watchdog, WATCHDOG.toMillis(), WATCHDOG.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many times {@code apps.connections.open} was called (for the log and the tests). */
    long opens() {
        return opens.get();
    }

    boolean connected() {
        synchronized (lock) {
            return serving != null && serving.isOpen();
        }
    }

    /** The serving socket's TCP socket, for benchmarks that tune it. */
    Socket tcpSocket() {
        synchronized (lock) {
            return serving == null ? null : serving.getSocket();
        }
    }

    // ------------------------------------------------------------------ reconnecting

    /** The one way to get a new connection: does nothing while one is already on its way. */
    private void reconnect(String why) {
        synchronized (lock) {
            if (stopped || opening || replacement != null || nextOpen != null) {
                log.debug("Socket Mode: {}; a new connection is already on its way", why);
                return;
            }
            Duration wait;
            if (linkDisabled) {
                wait = policy.linkDisabled();
            } else {
                wait = policy.backoff(failures, ThreadLocalRandom.current()::nextDouble);
            }
            long sinceLast = System.nanoTime() - lastOpenNanos;
            Duration spacing = policy.minInterval().minusNanos(sinceLast);
            if (spacing.compareTo(wait) > 0) wait = spacing;
            schedule(why, wait);
        }
    }

    private void schedule(String why, Duration wait) {
        if (!wait.isZero() && !wait.isNegative()) {
            log.info("Socket Mode: {}; opening a new connection in {} ms", why, wait.toMillis());
        } else {
            log.info("Socket Mode: {}; opening a new connection", why);
        }
        nextOpen = timer.schedule(this::open, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void open() {
        synchronized (lock) {
            nextOpen = null;
            if (stopped) return;
            opening = true;
            lastOpenNanos = System.nanoTime();
        }
        URI url;
        try {
            opens.incrementAndGet();
            url = connectionsOpen.open();
        } catch (RateLimited e) {
            synchronized (lock) {
                opening = false;
                failures++;
                if (stopped) return;
                schedule("apps.connections.open rate limited (Retry-After " + e.retryAfter.toSeconds() + " s)",
                        policy.afterRateLimit(e.retryAfter, failures, ThreadLocalRandom.current()::nextDouble));
            }
            return;
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                opening = false;
                failures++;
                if (stopped) return;
                schedule("apps.connections.open failed (" + e.getMessage() + ", " + failures + " in a row)",
                        policy.backoff(failures, ThreadLocalRandom.current()::nextDouble));
            }
            return;
        }
        Session s = new Session(url, sessionNumbers.incrementAndGet());
        synchronized (lock) {
            opening = false;
            if (stopped) return;
            replacement = s;
        }
        s.connect();
    }

    private volatile Runnable onOpen = () -> { };

    /** Run each time a connection opens and starts serving: Slack answers again. */
    void onOpen(Runnable listener) {
        this.onOpen = listener;
    }

    private void opened(Session s) {
        Session old;
        boolean serves = false;
        synchronized (lock) {
            if (s != replacement || stopped) {
                old = s; // stale or stopping: not ours to keep
            } else {
                serves = true;
                old = serving;
                serving = s;
                replacement = null;
                failures = 0;
                linkDisabled = false;
            }
        }
        log.info("Socket Mode connection #{} open", s.number);
        if (old != null) {
            old.retire(Duration.ZERO); // never block a socket's reader thread on another socket
        }
        if (serves) {
            try {
                onOpen.run();
            } catch (RuntimeException e) {
                log.warn("after Socket Mode connection #{} opened: {}", s.number, e.toString());
            }
        }
    }

    private void closed(Session s, int code, String reason) {
        synchronized (lock) {
            if (s == replacement) {
                replacement = null;
                failures++;
                log.warn("Socket Mode connection #{} failed to open (code {}, {})", s.number, code, reason);
            } else if (s == serving) {
                serving = null;
                log.info("Socket Mode connection #{} closed (code {}, {})", s.number, code, reason);
            } else {
                return; // a replaced socket closing, as asked
            }
        }
        reconnect("connection #" + s.number + " closed");
    }

    private void disconnectRequested(Session s, String reason) {
        synchronized (lock) {
            if (s != serving) return; // Slack repeating itself on a socket already being replaced
            if ("link_disabled".equals(reason)) {
                // Socket Mode was turned off in the app's settings: opening again at once only
                // earns an error. Slack closes this socket; the next attempt waits.
                linkDisabled = true;
                log.error("Slack says Socket Mode is turned off for this app (disconnect: link_disabled); "
                        + "turn it on under the app's Socket Mode settings. Trying again every {} s",
                        policy.linkDisabled().toSeconds());
                return;
            }
        }
        // warning (closing in about 10 s), refresh_requested, or any future reason: replace it.
        reconnect("Slack asked to reconnect (disconnect: " + reason + ")");
    }

    private void watchdog() {
        boolean idle;
        synchronized (lock) {
            idle = !stopped && serving == null && replacement == null && !opening && nextOpen == null;
        }
        if (idle) reconnect("no Socket Mode connection");
    }

    // ------------------------------------------------------------------ envelopes

    private void received(Session s, String message) {
        JsonObject frame;
        try {
            JsonElement parsed = JsonParser.parseString(message);
            if (!parsed.isJsonObject()) return;
            frame = parsed.getAsJsonObject();
        } catch (RuntimeException e) {
            log.warn("Socket Mode: unreadable frame ignored");
            return;
        }
        String type = frame.has("type") ? frame.get("type").getAsString() : "";
        switch (type) {
            case "hello" -> {
            }
            case "disconnect" -> disconnectRequested(s,
                    frame.has("reason") ? frame.get("reason").getAsString() : "unknown");
            default -> dispatch.execute(() -> runBolt(s, message));
        }
    }

    private void runBolt(Session s, String message) {
        SocketModeRequest req = parser.parse(message);
        if (req == null) return;
        Response response;
        try {
            response = app.run(req.getBoltRequest());
        } catch (Exception e) {
            log.error("Bolt failed on a {} envelope: {}", req.getEnvelope().getType(), e.toString(), e);
            return;
        }
        if (response.getStatusCode() != 200) {
            log.warn("Bolt answered {} to a {} envelope", response.getStatusCode(), req.getEnvelope().getType());
            return;
        }
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("envelope_id", req.getEnvelope().getEnvelopeId());
        if (response.getBody() != null) {
            ack.put("payload", response.getContentType() != null && response.getContentType().startsWith("application/json")
                    ? gson.fromJson(response.getBody(), JsonElement.class) : Map.of("text", response.getBody()));
        }
        send(s, gson.toJson(ack));
    }

    /** Acks go back on the socket the envelope came on, or on the serving one if that closed meanwhile. */
    private void send(Session s, String frame) {
        Session target = s;
        if (!target.isOpen()) {
            synchronized (lock) {
                target = serving;
            }
        }
        if (target == null || !target.isOpen()) {
            log.warn("Socket Mode: no open connection to ack on; Slack will deliver the envelope again");
            return;
        }
        try {
            target.send(frame);
        } catch (RuntimeException e) {
            log.warn("Socket Mode: ack not sent ({}); Slack will deliver the envelope again", e.toString());
        }
    }

    // ------------------------------------------------------------------ stopping

    /** Closes the sockets and lets envelopes being handled finish (up to 5 s). Idempotent. */
    @Override
    public void close() {
        Session a;
        Session b;
        synchronized (lock) {
            if (stopped && serving == null && replacement == null) return;
            stopped = true;
            if (nextOpen != null) nextOpen.cancel(false);
            nextOpen = null;
            a = serving;
            b = replacement;
            serving = null;
            replacement = null;
        }
        timer.shutdownNow();
        dispatch.shutdown();
        try {
            dispatch.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Session s : new Session[]{a, b}) {
            if (s != null) s.retire(Duration.ofSeconds(2));
        }
        dispatch.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One WebSocket; it reports to the link, which decides whether it still matters. */
    private final class Session extends WebSocketClient {
        final int number;

        Session(URI url, int number) {
            super(url, new Draft_6455(), new HashMap<>(), (int) CONNECT_TIMEOUT.toMillis());
            this.number = number;
            setTcpNoDelay(true); // acks are small frames Slack waits for: no Nagle delay
            setConnectionLostTimeout(LOST_CONNECTION_SECONDS);
        }

        /**
         * Close handshake, then the TCP connection is cut if the peer has not closed it within
         * 2 s (Slack is known to leave it open after the handshake). Waits up to {@code wait}.
         */
        void retire(Duration wait) {
            close(1000, "replaced");
            Runnable cut = () -> {
                if (!isClosed()) closeConnection(1000, "replaced; peer did not close");
            };
            if (wait.isZero()) {
                try {
                    timer.schedule(cut, 2, TimeUnit.SECONDS);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    cut.run();
                }
                return;
            }
            long deadline = System.nanoTime() + wait.toNanos();
            while (!isClosed() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            cut.run();
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            opened(this);
        }

        @Override
        public void onMessage(String message) {
            received(this, message);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closed(this, code, reason);
        }

        @Override
        public void onError(Exception e) {
            log.warn("Socket Mode connection #{}: {}", number, e.toString());
        }
    }
}
