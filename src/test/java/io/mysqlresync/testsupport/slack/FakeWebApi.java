package io.mysqlresync.testsupport.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The HTTP half of the fake: Web API methods under {@code /api/<method>} and the
 * {@code /response/<envelopeId>} endpoints handed out as {@code response_url}.
 */
final class FakeWebApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<String> socketModeUrlIssuer;

    private final List<ApiCall> calls = new CopyOnWriteArrayList<>();
    private final List<ResponseUrlPost> responseUrlPosts = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Fault>> nextFaults = new ConcurrentHashMap<>();
    private final Map<String, Fault> standingFaults = new ConcurrentHashMap<>();
    private final Map<String, List<String>> usergroupMembers = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> channels = new ConcurrentHashMap<>();
    // channel + "/" + ts -> message; insertion ordered so tests see messages in posting order
    private final Map<String, PostedMessage> messages = new LinkedHashMap<>();
    private final AtomicLong lastTsMicros = new AtomicLong();

    FakeWebApi(Supplier<String> socketModeUrlIssuer) throws IOException {
        this.socketModeUrlIssuer = socketModeUrlIssuer;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Cached pool: a Fault.slow on one call must not hold up the others.
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-slack-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/api/", this::handleApi);
        server.createContext("/response/", this::handleResponseUrl);
        server.createContext("/", exchange -> {
            try (exchange) {
                respond(exchange, 404, "{\"ok\":false,\"error\":\"unknown_path\"}", null);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    // ---------------------------------------------------------------- configuration

    void failNext(String method, Fault fault) {
        nextFaults.computeIfAbsent(method, m -> new ConcurrentLinkedDeque<>()).add(fault);
    }

    void failAlways(String method, Fault fault) {
        standingFaults.put(method, fault);
    }

    void clearFaults() {
        nextFaults.clear();
        standingFaults.clear();
    }

    void setUsergroupMembers(String usergroupId, Collection<String> userIds) {
        usergroupMembers.put(usergroupId, List.copyOf(userIds));
    }

    void setChannel(String channelId, String name, boolean isPrivate) {
        channels.put(channelId, channelObject(channelId, name, isPrivate));
    }

    String channelName(String channelId) {
        ObjectNode known = channels.get(channelId);
        return known != null ? known.get("name").asText() : channelId.toLowerCase();
    }

    // ---------------------------------------------------------------- recordings

    List<ApiCall> calls() {
        return List.copyOf(calls);
    }

    List<ResponseUrlPost> responseUrlPosts() {
        return List.copyOf(responseUrlPosts);
    }

    synchronized List<PostedMessage> messages() {
        return List.copyOf(messages.values());
    }

    synchronized Optional<PostedMessage> message(String channel, String ts) {
        return Optional.ofNullable(messages.get(channel + "/" + ts));
    }

    /** A message the user can click on must exist, so a block action on an unknown ts creates it. */
    synchronized PostedMessage messageOrCreate(String channel, String ts, Supplier<PostedMessage> creator) {
        return messages.computeIfAbsent(channel + "/" + ts, key -> creator.get());
    }

    // ---------------------------------------------------------------- HTTP handling

    private void handleApi(HttpExchange exchange) throws IOException {
        try (exchange) {
            long receivedNanos = System.nanoTime();
            Instant receivedAt = Instant.now();
            String method = exchange.getRequestURI().getPath().substring("/api/".length());
            String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
            Map<String, String> params = new LinkedHashMap<>();
            parseForm(exchange.getRequestURI().getRawQuery(), params);
            String body = readBody(exchange);
            if (contentType.startsWith("application/json")) {
                parseJsonObject(body, params);
            } else {
                parseForm(body, params);
            }
            String token = bearerToken(exchange).orElse(params.getOrDefault("token", ""));
            Optional<Fault> fault = takeFault(method);
            ApiCall call = new ApiCall(method, params, token, contentType, receivedAt, receivedNanos, fault);
            if (fault.isPresent()) {
                calls.add(call);
                if (applyFault(exchange, fault.get())) {
                    return;
                }
                respond(exchange, 200, JSON.writeValueAsString(answer(method, params, token)), null);
                return;
            }
            // Answer (which stores a posted message) before recording the call: a test that saw
            // the call must also see its message.
            String answer = JSON.writeValueAsString(answer(method, params, token));
            calls.add(call);
            respond(exchange, 200, answer, null);
        }
    }

    private void handleResponseUrl(HttpExchange exchange) throws IOException {
        try (exchange) {
            long receivedNanos = System.nanoTime();
            Instant receivedAt = Instant.now();
            String envelopeId = exchange.getRequestURI().getPath().substring("/response/".length());
            String body = readBody(exchange);
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                json = TextNode.valueOf(body);
            }
            responseUrlPosts.add(new ResponseUrlPost(envelopeId, json, receivedAt, receivedNanos));
            Optional<Fault> fault = takeFault(FakeSlack.RESPONSE_URL);
            if (fault.isPresent() && applyFault(exchange, fault.get())) {
                return;
            }
            respond(exchange, 200, "{\"ok\":true}", null);
        }
    }

    private Optional<Fault> takeFault(String method) {
        Deque<Fault> queued = nextFaults.get(method);
        Fault next = queued != null ? queued.poll() : null;
        return Optional.ofNullable(next != null ? next : standingFaults.get(method));
    }

    /** Returns true if the fault replaced the answer. */
    private boolean applyFault(HttpExchange exchange, Fault fault) throws IOException {
        if (!fault.delay().isZero()) {
            try {
                Thread.sleep(fault.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!fault.replacesResponse()) {
            return false;
        }
        ObjectNode body = JSON.createObjectNode().put("ok", false);
        if (fault.error() != null) {
            body.put("error", fault.error());
        }
        String retryAfter = fault.retryAfterSeconds().isPresent()
                ? String.valueOf(fault.retryAfterSeconds().getAsInt()) : null;
        respond(exchange, fault.httpStatus(), JSON.writeValueAsString(body), retryAfter);
        return true;
    }

    // ---------------------------------------------------------------- Web API answers

    private ObjectNode answer(String method, Map<String, String> params, String token) {
        if (token.isEmpty()) {
            return error("not_authed");
        }
        switch (method) {
            case "auth.test":
                return ok()
                        .put("url", "https://fake-team.slack.com/")
                        .put("team", "Fake Team")
                        .put("user", "mysql-resync")
                        .put("team_id", FakeSlack.TEAM_ID)
                        .put("user_id", FakeSlack.BOT_USER_ID)
                        .put("bot_id", FakeSlack.BOT_ID)
                        .put("is_enterprise_install", false);
            case "apps.connections.open":
                // Slack only accepts the app-level token here; a bot token is a configuration mistake.
                if (!token.startsWith("xapp-")) {
                    return error("not_allowed_token_type");
                }
                return ok().put("url", socketModeUrlIssuer.get());
            case "chat.postMessage":
                return postMessage(params);
            case "chat.update":
                return updateMessage(params);
            case "chat.postEphemeral":
                if (isBlank(params.get("channel")) || isBlank(params.get("user"))) {
                    return error(isBlank(params.get("channel")) ? "channel_not_found" : "user_not_in_channel");
                }
                return ok().put("message_ts", nextTs());
            case "usergroups.users.list": {
                List<String> members = usergroupMembers.get(String.valueOf(params.get("usergroup")));
                if (members == null) {
                    return error("no_such_subteam");
                }
                ObjectNode answer = ok();
                ArrayNode users = answer.putArray("users");
                members.forEach(users::add);
                return answer;
            }
            case "conversations.info": {
                String channel = params.get("channel");
                if (isBlank(channel)) {
                    return error("channel_not_found");
                }
                ObjectNode info = channels.getOrDefault(channel, channelObject(channel, channelName(channel), false));
                ObjectNode answer = ok();
                answer.set("channel", info.deepCopy());
                return answer;
            }
            default:
                return ok();
        }
    }

    private ObjectNode postMessage(Map<String, String> params) {
        String channel = params.get("channel");
        if (isBlank(channel)) {
            return error("channel_not_found");
        }
        if (isBlank(params.get("text")) && isBlank(params.get("blocks")) && isBlank(params.get("attachments"))) {
            return error("no_text");
        }
        String ts = nextTs();
        PostedMessage message = new PostedMessage(channel, ts, params.getOrDefault("text", ""), blocks(params));
        synchronized (this) {
            messages.put(channel + "/" + ts, message);
        }
        ObjectNode answer = ok().put("channel", channel).put("ts", ts);
        answer.set("message", messageObject(message));
        return answer;
    }

    private ObjectNode updateMessage(Map<String, String> params) {
        String channel = params.get("channel");
        String ts = params.get("ts");
        if (isBlank(channel)) {
            return error("channel_not_found");
        }
        PostedMessage updated;
        synchronized (this) {
            PostedMessage current = messages.get(channel + "/" + ts);
            if (current == null) {
                return error("message_not_found");
            }
            // chat.update replaces only what it is given, as Slack does.
            updated = new PostedMessage(channel, ts,
                    params.containsKey("text") ? params.get("text") : current.text(),
                    params.containsKey("blocks") ? blocks(params) : current.blocks());
            messages.put(channel + "/" + ts, updated);
        }
        ObjectNode answer = ok().put("channel", channel).put("ts", ts).put("text", updated.text());
        answer.set("message", messageObject(updated));
        return answer;
    }

    /** Unique, increasing, Slack-shaped ("seconds.micros") message timestamps. */
    String nextTs() {
        long nowMicros = System.currentTimeMillis() * 1000;
        long micros = lastTsMicros.updateAndGet(last -> Math.max(last + 1, nowMicros));
        return String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    static ObjectNode messageObject(PostedMessage message) {
        ObjectNode node = JSON.createObjectNode()
                .put("type", "message")
                .put("user", FakeSlack.BOT_USER_ID)
                .put("bot_id", FakeSlack.BOT_ID)
                .put("app_id", FakeSlack.APP_ID)
                .put("team", FakeSlack.TEAM_ID)
                .put("text", message.text())
                .put("ts", message.ts());
        node.set("blocks", message.blocks().deepCopy());
        return node;
    }

    private static JsonNode blocks(Map<String, String> params) {
        String blocks = params.get("blocks");
        if (isBlank(blocks)) {
            return JSON.createArrayNode();
        }
        try {
            return JSON.readTree(blocks);
        } catch (JsonProcessingException e) {
            return JSON.createArrayNode();
        }
    }

    private static ObjectNode channelObject(String id, String name, boolean isPrivate) {
        return JSON.createObjectNode()
                .put("id", id)
                .put("name", name)
                .put("is_channel", !isPrivate)
                .put("is_group", isPrivate)
                .put("is_private", isPrivate)
                .put("is_archived", false)
                .put("is_member", true);
    }

    private static ObjectNode ok() {
        return JSON.createObjectNode().put("ok", true);
    }

    private static ObjectNode error(String error) {
        return JSON.createObjectNode().put("ok", false).put("error", error);
    }

    // ---------------------------------------------------------------- plumbing

    private static Optional<String> bearerToken(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).trim());
        }
        return Optional.empty();
    }

    private static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void parseForm(String encoded, Map<String, String> into) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            into.put(name, value);
        }
    }

    private static void parseJsonObject(String body, Map<String, String> into) {
        if (body.isBlank()) {
            return;
        }
        try {
            for (Map.Entry<String, JsonNode> field : JSON.readTree(body).properties()) {
                JsonNode value = field.getValue();
                into.put(field.getKey(), value.isTextual() ? value.asText() : value.toString());
            }
        } catch (JsonProcessingException e) {
            into.put("_unparseable_json", body);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body, String retryAfter)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
