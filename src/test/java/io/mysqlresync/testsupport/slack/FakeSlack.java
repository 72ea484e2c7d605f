package io.mysqlresync.testsupport.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An in-process Slack on 127.0.0.1 for end-to-end tests of the real Bolt Socket Mode app: the Web
 * API over HTTP, the {@code response_url} endpoints, and the Socket Mode WebSocket. Everything the
 * app sends is recorded; every wait is bounded ({@link #DEFAULT_TIMEOUT} unless given).
 *
 * <h2>Pointing Bolt at it (configuration only)</h2>
 * Bolt 1.51 makes every HTTP call through the {@code Slack} instance held by {@code AppConfig}:
 * Web API calls ({@code ctx.client()}, {@code app.client()}), the {@code auth.test} Bolt makes on
 * {@code App.start()} and again on the first request, {@code apps.connections.open} that the Socket
 * Mode client makes to get its {@code wss://} URL (twice on start, and on every reconnect), and
 * {@code ctx.respond()} posts, which go to the {@code response_url} taken from the payload. The
 * WebSocket URL is whatever {@code apps.connections.open} returned. So one setting moves all of it:
 * <pre>{@code
 * SlackConfig slackConfig = new SlackConfig();
 * slackConfig.setMethodsEndpointUrlPrefix(fake.apiBaseUrl());   // "http://127.0.0.1:<port>/api/", trailing slash required
 * slackConfig.setProxyUrl(null);       // SlackConfig reads HTTP(S)_PROXY / http.proxyHost when constructed
 * slackConfig.setStatsEnabled(false);  // else the SDK adds an auth.test per token new to the JVM (see below)
 * Slack slack = Slack.getInstance(slackConfig);                  // set everything BEFORE this line:
 *                                                                // the HTTP client is built here
 * App app = new App(AppConfig.builder()
 *         .slack(slack)
 *         .singleTeamBotToken("xoxb-...")                      // else read from SLACK_BOT_TOKEN
 *         .build());
 * SocketModeApp socketModeApp =
 *         new SocketModeApp("xapp-...", app, SocketModeClient.Backend.JavaWebSocket); // the default backend is Tyrus
 * socketModeApp.startAsync();          // returns before the WebSocket is open: fake.awaitConnections(1)
 * }</pre>
 * For production the same prefix is the one base-URL setting to expose (default
 * {@code https://slack.com/api/}; GovSlack {@code https://slack-gov.com/api/}); proxies are
 * {@code SlackConfig#setProxyUrl}. No other Slack host is contacted by a Socket Mode Bolt app:
 * the only other hard-coded {@code slack.com} URLs in Bolt are the OAuth install/redirect pages
 * (unused here) and the audit/SCIM/status clients (separate prefixes, never called by Bolt).
 *
 * With {@code statsEnabled} left on (the SDK default), the SDK's rate-limit metrics learn each
 * token's team by calling {@code auth.test} with it before its first call, the app-level token
 * included, and cache the answer in a static, JVM-wide map: recorded calls then depend on which
 * tests ran before, and a {@link #failNext} on {@code auth.test} may be used up by that lookup.
 *
 * <h2>Typical test</h2>
 * <pre>{@code
 * try (FakeSlack fake = FakeSlack.start()) {
 *     ... build and startAsync() the app as above ...
 *     fake.awaitConnections(1);
 *     Envelope command = fake.slashCommand("/resync", "status", "U123", "C123");
 *     Ack ack = fake.awaitAck(command);
 *     ApiCall post = fake.awaitCall("chat.postMessage");
 * }
 * }</pre>
 */
public final class FakeSlack implements AutoCloseable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final String TEAM_ID = "T0FAKETEAM";
    public static final String TEAM_DOMAIN = "fake-team";
    public static final String APP_ID = "A0FAKEAPP";
    public static final String BOT_USER_ID = "U0FAKEBOT";
    public static final String BOT_ID = "B0FAKEBOT";
    /** The key for {@link #failNext}/{@link #failAlways} that targets the response_url endpoints. */
    public static final String RESPONSE_URL = "response_url";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeSocketMode socketMode;
    private final FakeWebApi webApi;
    private final AtomicLong triggerSequence = new AtomicLong();

    private FakeSlack(FakeSocketMode socketMode, FakeWebApi webApi) {
        this.socketMode = socketMode;
        this.webApi = webApi;
    }

    /** Starts both servers on ephemeral loopback ports; close it when done. */
    public static FakeSlack start() throws IOException {
        FakeSocketMode socketMode = new FakeSocketMode();
        socketMode.startAndWait();
        try {
            return new FakeSlack(socketMode, new FakeWebApi(socketMode::issueUrl));
        } catch (IOException | RuntimeException e) {
            stopQuietly(socketMode);
            throw e;
        }
    }

    // ================================================================ addresses

    /** For {@code SlackConfig#setMethodsEndpointUrlPrefix}: {@code http://127.0.0.1:<port>/api/}. */
    public String apiBaseUrl() {
        return baseUrl() + "api/";
    }

    /** {@code http://127.0.0.1:<port>/} */
    public String baseUrl() {
        return "http://127.0.0.1:" + webApi.port() + "/";
    }

    public int httpPort() {
        return webApi.port();
    }

    public int webSocketPort() {
        return socketMode.getPort();
    }

    // ================================================================ Web API: behaviour

    /** The next call of {@code method} (or {@link #RESPONSE_URL}) gets this fault; queued faults apply in order. */
    public void failNext(String method, Fault fault) {
        webApi.failNext(method, fault);
    }

    /** Every call of {@code method} gets this fault (after any queued {@link #failNext} ones), until cleared. */
    public void failAlways(String method, Fault fault) {
        webApi.failAlways(method, fault);
    }

    public void clearFaults() {
        webApi.clearFaults();
    }

    /** Who {@code usergroups.users.list?usergroup=<id>} returns; unknown groups get {@code no_such_subteam}. */
    public void setUsergroupMembers(String usergroupId, String... userIds) {
        setUsergroupMembers(usergroupId, Arrays.asList(userIds));
    }

    public void setUsergroupMembers(String usergroupId, Collection<String> userIds) {
        webApi.setUsergroupMembers(usergroupId, userIds);
    }

    /** What {@code conversations.info} and envelopes say about a channel; unknown ids are public, named after the id. */
    public void setChannel(String channelId, String name, boolean isPrivate) {
        webApi.setChannel(channelId, name, isPrivate);
    }

    // ================================================================ Web API: recordings

    /** All Web API calls so far, in arrival order (response_url posts are separate). */
    public List<ApiCall> calls() {
        return webApi.calls();
    }

    public List<ApiCall> calls(String method) {
        return webApi.calls().stream().filter(call -> call.method().equals(method)).toList();
    }

    /** The first call of {@code method}, waiting for it if need be. */
    public ApiCall awaitCall(String method) {
        return awaitCalls(method, 1, DEFAULT_TIMEOUT).get(0);
    }

    /** Waits until at least {@code count} calls of {@code method} were received; returns all of them. */
    public List<ApiCall> awaitCalls(String method, int count) {
        return awaitCalls(method, count, DEFAULT_TIMEOUT);
    }

    public List<ApiCall> awaitCalls(String method, int count, Duration timeout) {
        return Await.until(timeout, count + " x " + method,
                () -> Optional.of(calls(method)).filter(calls -> calls.size() >= count),
                () -> webApi.calls().stream().map(ApiCall::method).toList());
    }

    /** Messages as they now stand, after posts and updates, in posting order. */
    public List<PostedMessage> messages() {
        return webApi.messages();
    }

    public Optional<PostedMessage> message(String channel, String ts) {
        return webApi.message(channel, ts);
    }

    public List<ResponseUrlPost> responseUrlPosts() {
        return webApi.responseUrlPosts();
    }

    /** Waits until at least {@code count} posts were made to the response_url of {@code envelope}. */
    public List<ResponseUrlPost> awaitResponseUrlPosts(Envelope envelope, int count) {
        return Await.until(DEFAULT_TIMEOUT, count + " response_url post(s) for envelope " + envelope.envelopeId(),
                () -> Optional.of(responseUrlPosts(envelope)).filter(posts -> posts.size() >= count),
                webApi::responseUrlPosts);
    }

    public List<ResponseUrlPost> responseUrlPosts(Envelope envelope) {
        return webApi.responseUrlPosts().stream()
                .filter(post -> post.envelopeId().equals(envelope.envelopeId())).toList();
    }

    // ================================================================ Socket Mode: sending

    /**
     * A user runs {@code command text} in a channel: a {@code slash_commands} envelope, with a
     * response_url on this fake and a fresh trigger_id, sent on the newest open connection
     * (waiting up to {@link #DEFAULT_TIMEOUT} for one).
     */
    public Envelope slashCommand(String command, String text, String userId, String channelId) {
        ObjectNode payload = JSON.createObjectNode()
                .put("token", "fake-verification-token")
                .put("team_id", TEAM_ID)
                .put("team_domain", TEAM_DOMAIN)
                .put("channel_id", channelId)
                .put("channel_name", webApi.channelName(channelId))
                .put("user_id", userId)
                .put("user_name", userName(userId))
                .put("command", command)
                .put("text", text)
                .put("api_app_id", APP_ID)
                .put("is_enterprise_install", "false");
        return sendEnvelope("slash_commands", payload, true);
    }

    /**
     * A user clicks a button: an {@code interactive} envelope with a {@code block_actions} payload.
     * The clicked message is the one this fake holds for {@code (channelId, messageTs)} (posted by
     * the app), else one is made up holding just that button, and remembered so that
     * {@code chat.update} on it succeeds.
     */
    public Envelope blockAction(String actionId, String value, String userId, String channelId, String messageTs) {
        PostedMessage clicked = webApi.messageOrCreate(channelId, messageTs,
                () -> new PostedMessage(channelId, messageTs, "", buttonBlocks(actionId, value)));
        String blockId = blockIdOf(clicked.blocks(), actionId).orElse("actions");
        ObjectNode payload = JSON.createObjectNode().put("type", "block_actions");
        payload.putObject("user")
                .put("id", userId)
                .put("username", userName(userId))
                .put("name", userName(userId))
                .put("team_id", TEAM_ID);
        payload.put("api_app_id", APP_ID).put("token", "fake-verification-token");
        payload.putObject("container")
                .put("type", "message")
                .put("message_ts", messageTs)
                .put("channel_id", channelId)
                .put("is_ephemeral", false);
        payload.put("trigger_id", nextTriggerId());
        payload.putObject("team").put("id", TEAM_ID).put("domain", TEAM_DOMAIN);
        payload.putNull("enterprise");
        payload.put("is_enterprise_install", false);
        payload.putObject("channel").put("id", channelId).put("name", webApi.channelName(channelId));
        payload.set("message", FakeWebApi.messageObject(clicked));
        payload.putObject("state").putObject("values");
        ObjectNode action = payload.putArray("actions").addObject()
                .put("action_id", actionId)
                .put("block_id", blockId)
                .put("value", value)
                .put("type", "button")
                .put("action_ts", webApi.nextTs());
        action.putObject("text").put("type", "plain_text").put("text", value).put("emoji", true);
        return sendEnvelope("interactive", payload, false);
    }

    /**
     * Sends any envelope. A {@code response_url} on this fake is added to payloads that lack one,
     * and a {@code trigger_id} to slash command and interactive payloads.
     */
    public Envelope sendEnvelope(String type, ObjectNode payload, boolean acceptsResponsePayload) {
        String envelopeId = UUID.randomUUID().toString();
        ObjectNode body = payload.deepCopy();
        if (!body.has("response_url") && !type.equals("events_api")) {
            body.put("response_url", baseUrl() + "response/" + envelopeId);
        }
        if (!body.has("trigger_id") && !type.equals("events_api")) {
            body.put("trigger_id", nextTriggerId());
        }
        return deliver(envelopeId, type, 0, body, acceptsResponsePayload);
    }

    /**
     * Slack's retry: the SAME envelope (same envelope_id and payload) again, with
     * {@code retry_attempt} one higher and {@code retry_reason} "timeout".
     */
    public Envelope redeliver(Envelope envelope) {
        JsonNode original = readTree(envelope.json());
        return deliver(envelope.envelopeId(), envelope.type(), envelope.retryAttempt() + 1,
                (ObjectNode) envelope.payload().deepCopy(),
                original.path("accepts_response_payload").asBoolean(false));
    }

    private Envelope deliver(String envelopeId, String type, int retryAttempt, ObjectNode payload,
                             boolean acceptsResponsePayload) {
        ObjectNode frame = JSON.createObjectNode().put("envelope_id", envelopeId);
        frame.set("payload", payload);
        frame.put("type", type).put("accepts_response_payload", acceptsResponsePayload);
        if (retryAttempt > 0 || type.equals("events_api")) {
            frame.put("retry_attempt", retryAttempt).put("retry_reason", retryAttempt > 0 ? "timeout" : "");
        }
        Envelope envelope = new Envelope(envelopeId, type, retryAttempt, payload, frame.toString());
        socketMode.deliver(envelope, DEFAULT_TIMEOUT);
        return envelope;
    }

    // ================================================================ Socket Mode: acks

    public List<Ack> acks() {
        return socketMode.acks();
    }

    public List<Ack> acks(Envelope envelope) {
        return socketMode.acks().stream().filter(ack -> ack.envelopeId().equals(envelope.envelopeId())).toList();
    }

    /** The ack of this delivery of {@code envelope} (matched by envelope id and retry attempt). */
    public Ack awaitAck(Envelope envelope) {
        return awaitAck(envelope, DEFAULT_TIMEOUT);
    }

    public Ack awaitAck(Envelope envelope, Duration timeout) {
        return Await.until(timeout, "ack for " + envelope.type() + " envelope " + envelope.envelopeId()
                        + " (retry_attempt " + envelope.retryAttempt() + ")",
                () -> acks(envelope).stream().filter(ack -> ack.retryAttempt() == envelope.retryAttempt()).findFirst(),
                socketMode::acks);
    }

    /** Waits until at least {@code count} acks carry this envelope's id (one per delivery). */
    public List<Ack> awaitAcks(Envelope envelope, int count) {
        return Await.until(DEFAULT_TIMEOUT, count + " ack(s) for envelope " + envelope.envelopeId(),
                () -> Optional.of(acks(envelope)).filter(acks -> acks.size() >= count),
                socketMode::acks);
    }

    /**
     * Fails if any delivery of {@code envelope} is acked within {@code window}; always waits the
     * whole window. For faults where the app must not (or cannot) ack.
     */
    public void assertNotAcked(Envelope envelope, Duration window) {
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() - deadline < 0) {
            List<Ack> acks = acks(envelope);
            if (!acks.isEmpty()) {
                throw new AssertionError("FakeSlack: envelope " + envelope.envelopeId() + " was acked: " + acks);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
        if (!acks(envelope).isEmpty()) {
            throw new AssertionError("FakeSlack: envelope " + envelope.envelopeId() + " was acked: " + acks(envelope));
        }
    }

    /** Everything sent so far, redeliveries included, in sending order. */
    public List<Envelope> deliveredEnvelopes() {
        return socketMode.delivered();
    }

    /** Frames from the app that were not acks of an envelope this fake sent. */
    public List<String> unexpectedClientFrames() {
        return socketMode.otherClientFrames();
    }

    // ================================================================ Socket Mode: connections

    /** WebSocket connections opened since start (reconnects count). */
    public int connectionCount() {
        return socketMode.connectionsOpened();
    }

    public int openConnectionCount() {
        return socketMode.openConnectionCount();
    }

    /** Handshakes refused because the URL's ticket was not issued by apps.connections.open or was reused. */
    public int rejectedConnectionCount() {
        return socketMode.rejectedHandshakes();
    }

    /** Waits until at least {@code total} connections were opened since start, and one is open now. */
    public void awaitConnections(int total) {
        awaitConnections(total, DEFAULT_TIMEOUT);
    }

    public void awaitConnections(int total, Duration timeout) {
        Await.until(timeout, total + " Socket Mode connection(s) with one open",
                () -> Optional.of(socketMode.connectionsOpened())
                        .filter(opened -> opened >= total && socketMode.openConnectionCount() > 0),
                () -> socketMode.connectionsOpened() + " opened, " + socketMode.openConnectionCount() + " open");
    }

    /** Waits until exactly {@code count} connections are open (e.g. the client closed the old one). */
    public void awaitOpenConnections(int count) {
        Await.until(DEFAULT_TIMEOUT, count + " open Socket Mode connection(s)",
                () -> Optional.of(socketMode.openConnectionCount()).filter(open -> open == count),
                () -> socketMode.openConnectionCount() + " open");
    }

    /**
     * Slack's polite disconnect: {@code {"type":"disconnect","reason":"refresh_requested"}} on every
     * open connection, which stays open; the client is expected to open a new one and close the old.
     */
    public void requestRefresh() {
        sendDisconnect("refresh_requested");
    }

    /** A {@code disconnect} message with the given reason (e.g. "warning", "link_disabled"). */
    public void sendDisconnect(String reason) {
        ObjectNode message = JSON.createObjectNode().put("type", "disconnect").put("reason", reason);
        message.putObject("debug_info").put("host", "fake-applink");
        socketMode.sendToAllOpen(message.toString());
    }

    /**
     * A {@code disconnect} with this reason on every open connection, which Slack then closes
     * itself {@code closeAfter} later, as the real one does (the client should have moved on).
     * Slack's reasons: {@code warning} (closing in about 10 s), {@code refresh_requested}
     * (routine), {@code link_disabled} (Socket Mode turned off in the app's settings); see
     * Slack's "Using Socket Mode" page, section "Disconnects".
     */
    public void disconnect(String reason, Duration closeAfter) {
        ObjectNode message = JSON.createObjectNode().put("type", "disconnect").put("reason", reason);
        message.putObject("debug_info").put("host", "fake-applink");
        socketMode.sendToAllOpenThenClose(message.toString(), closeAfter);
    }

    /** The most Socket Mode connections open at once since the last {@link #resetPeakConnections()}. */
    public int peakOpenConnections() {
        return socketMode.peakOpenConnections();
    }

    public void resetPeakConnections() {
        socketMode.resetPeak();
    }

    /** Closes every open connection with a close handshake. */
    public void closeConnections(int code, String reason) {
        socketMode.closeAll(code, reason);
    }

    /** Cuts every open connection without a close handshake, as a network failure would. */
    public void dropConnections() {
        socketMode.dropAll();
    }

    // ================================================================ lifecycle

    @Override
    public void close() {
        webApi.close();
        stopQuietly(socketMode);
    }

    private static void stopQuietly(FakeSocketMode socketMode) {
        try {
            socketMode.stop(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ================================================================ helpers

    private String nextTriggerId() {
        long n = triggerSequence.incrementAndGet();
        return n + "." + Math.abs(ThreadLocalRandom.current().nextLong()) + ".fake" + Long.toHexString(System.nanoTime());
    }

    private static String userName(String userId) {
        return "user-" + userId.toLowerCase();
    }

    private static ArrayNode buttonBlocks(String actionId, String value) {
        ArrayNode blocks = JSON.createArrayNode();
        ObjectNode button = blocks.addObject().put("type", "actions").put("block_id", "actions")
                .putArray("elements").addObject()
                .put("type", "button")
                .put("action_id", actionId)
                .put("value", value);
        button.putObject("text").put("type", "plain_text").put("text", value);
        return blocks;
    }

    private static Optional<String> blockIdOf(JsonNode blocks, String actionId) {
        for (JsonNode block : blocks) {
            JsonNode elements = block.has("elements") ? block.get("elements")
                    : block.has("accessory") ? JSON.createArrayNode().add(block.get("accessory")) : JSON.createArrayNode();
            for (JsonNode element : elements) {
                if (actionId.equals(element.path("action_id").asText())) {
                    return Optional.of(block.path("block_id").asText("actions"));
                }
            }
        }
        return Optional.empty();
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("FakeSlack produced invalid JSON: " + json, e);
        }
    }
}
