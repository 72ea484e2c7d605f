package io.mysqlresync.testsupport.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.socket_mode.SocketModeClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.asBlocks;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.asElements;
import static com.slack.api.model.block.element.BlockElements.button;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Bolt {@link App} in Socket Mode (Java-WebSocket backend) against {@link FakeSlack}:
 * proves the fake speaks Slack's dialect, and pins down what Bolt itself does with acks, retries
 * and disconnects, which the production Slack adapter has to live with.
 */
@Timeout(30)
class FakeSlackBoltTest {

    private static final String BOT_TOKEN = "xoxb-fake-bot-token";
    private static final String APP_TOKEN = "xapp-fake-app-token";
    private static final String CHANNEL = "C0OPS";
    private static final String ALICE = "U0ALICE";

    /** Every host the SDK's HTTP client (OkHttp) asked to connect to, to prove nothing leaves 127.0.0.1. */
    private static final Set<String> HOSTS_CONTACTED = ConcurrentHashMap.newKeySet();
    private static ProxySelector previousProxySelector;

    private FakeSlack fake;
    private Slack slack;
    private App app;
    private SocketModeApp socketModeApp;

    @BeforeAll
    static void recordEveryHostContacted() {
        previousProxySelector = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                HOSTS_CONTACTED.add(uri.getHost());
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
            }
        });
    }

    @AfterAll
    static void restoreProxySelector() {
        ProxySelector.setDefault(previousProxySelector);
    }

    @BeforeEach
    void startFakeSlackAndBolt() throws IOException {
        fake = FakeSlack.start();
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(fake.apiBaseUrl());
        config.setProxyUrl(null);
        config.setStatsEnabled(false);
        slack = Slack.getInstance(config);
        app = new App(AppConfig.builder().slack(slack).singleTeamBotToken(BOT_TOKEN).build());
        socketModeApp = new SocketModeApp(APP_TOKEN, app, SocketModeClient.Backend.JavaWebSocket);
    }

    @AfterEach
    void stopEverything() throws Exception {
        try {
            SocketModeClient client = socketModeApp.getClient();
            if (client != null) {
                client.close(); // SocketModeApp.stop() leaves the client's executors running
            }
            socketModeApp.stop();
            slack.close();
        } finally {
            fake.close();
        }
        assertTrue(HOSTS_CONTACTED.stream().allMatch("127.0.0.1"::equals),
                "hosts the Slack SDK connected to: " + HOSTS_CONTACTED);
    }

    private void startBolt() throws Exception {
        socketModeApp.startAsync();
        fake.awaitConnections(1);
    }

    @Test
    void startingBoltTalksOnlyToTheFakeWithTheRightTokens() throws Exception {
        startBolt();

        List<ApiCall> calls = fake.calls();
        assertEquals(List.of("auth.test", "apps.connections.open", "apps.connections.open"),
                calls.stream().map(ApiCall::method).toList(),
                "Bolt checks the bot token, then the Socket Mode client asks for a URL twice "
                        + "(once to build the client, once to connect)");
        assertEquals(BOT_TOKEN, calls.get(0).token());
        assertEquals(APP_TOKEN, calls.get(1).token());
        assertEquals(APP_TOKEN, calls.get(2).token());
        assertTrue(calls.get(1).contentType().startsWith("application/x-www-form-urlencoded"), calls.get(1).toString());
        assertEquals(1, fake.connectionCount());
        assertEquals(0, fake.rejectedConnectionCount());
        assertEquals(Set.of("127.0.0.1"), Set.copyOf(HOSTS_CONTACTED), "hosts the Slack SDK connected to");
    }

    @Test
    void withStatsEnabledTheSdkAddsAnAuthTestPerNewTokenPerJvm() throws Exception {
        // The SDK's rate-limit metrics (SlackConfig#statsEnabled, on by default) key calls by team,
        // which it learns by calling auth.test with each token it has not seen before in this JVM
        // (a static cache; failures are not cached, so they are retried on the next call).
        String botToken = "xoxb-fresh-" + UUID.randomUUID();
        String appToken = "xapp-fresh-" + UUID.randomUUID();
        slack.close();
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(fake.apiBaseUrl());
        config.setProxyUrl(null);
        slack = Slack.getInstance(config);
        app = new App(AppConfig.builder().slack(slack).singleTeamBotToken(botToken).build());
        socketModeApp = new SocketModeApp(appToken, app, SocketModeClient.Backend.JavaWebSocket);
        startBolt();

        assertEquals(List.of("auth.test " + botToken, "auth.test " + botToken, "auth.test " + appToken,
                        "apps.connections.open " + appToken, "apps.connections.open " + appToken),
                fake.calls().stream().map(call -> call.method() + " " + call.token()).toList());
    }

    @Test
    void slashCommandIsAckedWithinASecondAndTheAnswerIsPostedWithTheBotToken() throws Exception {
        app.command("/resync", (req, ctx) -> {
            String channel = req.getPayload().getChannelId();
            String text = "Checking " + req.getPayload().getText() + " for <@" + req.getPayload().getUserId() + ">";
            // Slack waits 3 s for the ack, and Bolt sends it only when this handler returns,
            // so the reply goes out on another thread.
            app.executorService().submit(() -> ctx.client().chatPostMessage(r -> r.channel(channel).text(text)));
            return ctx.ack();
        });
        startBolt();

        Envelope command = fake.slashCommand("/resync", "node1", ALICE, CHANNEL);

        Ack ack = fake.awaitAck(command);
        System.out.printf("slash command ack latency: %.1f ms%n", ack.latency().toNanos() / 1e6);
        assertTrue(ack.latency().compareTo(Duration.ofSeconds(1)) < 0, "ack latency " + ack.latency());
        assertFalse(ack.hasPayload(), "a bare ctx.ack() carries no payload: " + ack.raw());

        ApiCall post = fake.awaitCall("chat.postMessage");
        assertEquals(CHANNEL, post.param("channel"));
        assertEquals("Checking node1 for <@" + ALICE + ">", post.param("text"));
        assertEquals(BOT_TOKEN, post.token());
        assertEquals("Checking node1 for <@" + ALICE + ">", fake.messages().get(0).text());

        List<Double> warmMillis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            warmMillis.add(fake.awaitAck(fake.slashCommand("/resync", "node1", ALICE, CHANNEL)).latency().toNanos() / 1e6);
        }
        Collections.sort(warmMillis);
        System.out.printf("warm slash command ack latency over 20: min %.1f ms, median %.1f ms, max %.1f ms; raw ack %s%n",
                warmMillis.get(0), warmMillis.get(10), warmMillis.get(19), ack.raw());
    }

    @Test
    void aFailedAuthTestOnTheFirstRequestIsCachedAndLeavesCommandsUnacked() throws Exception {
        List<String> handled = new CopyOnWriteArrayList<>();
        app.command("/resync", (req, ctx) -> {
            handled.add(req.getPayload().getText());
            return ctx.ack();
        });
        startBolt();
        fake.failNext("auth.test", Fault.error("invalid_auth"));

        Envelope first = fake.slashCommand("/resync", "first", ALICE, CHANNEL);
        fake.assertNotAcked(first, Duration.ofMillis(500));
        Envelope second = fake.slashCommand("/resync", "second", ALICE, CHANNEL);
        fake.assertNotAcked(second, Duration.ofMillis(500));

        // Bolt re-checks the token on the first request (its cache starts out expired), answers
        // 401 when that fails, and keeps the failed answer for authTestCacheExpirationMillis
        // (10 min by default): no handler runs and no ack is sent, so Slack shows an error.
        fake.awaitCalls("auth.test", 2);
        assertEquals(2, fake.calls("auth.test").size(), "one on start, one on the first request");
        assertEquals(List.of(), handled);
    }

    @Test
    void withAPermanentAuthTestCacheOnlyTheStartupCheckIsMade() throws Exception {
        app = new App(AppConfig.builder().slack(slack).singleTeamBotToken(BOT_TOKEN)
                .authTestCacheExpirationMillis(-1).build());
        socketModeApp = new SocketModeApp(APP_TOKEN, app, SocketModeClient.Backend.JavaWebSocket);
        app.command("/resync", (req, ctx) -> ctx.ack());
        startBolt();
        fake.failAlways("auth.test", Fault.error("invalid_auth"));

        fake.awaitAck(fake.slashCommand("/resync", "first", ALICE, CHANNEL));
        fake.awaitAck(fake.slashCommand("/resync", "second", ALICE, CHANNEL));

        assertEquals(1, fake.calls("auth.test").size());
    }

    @Test
    void ackTextAndRespondAreDeliveredToSlack() throws Exception {
        app.command("/resync", (req, ctx) -> {
            app.executorService().submit(() -> ctx.respond("plan ready"));
            return ctx.ack("working on it");
        });
        startBolt();

        Envelope command = fake.slashCommand("/resync", "plan node1", ALICE, CHANNEL);

        Ack ack = fake.awaitAck(command);
        assertEquals("working on it", ack.payload().path("text").asText(), ack.raw());
        ResponseUrlPost respond = fake.awaitResponseUrlPosts(command, 1).get(0);
        assertEquals("plan ready", respond.body().path("text").asText(), respond.body().toString());
    }

    @Test
    void blockActionOnTheAppsMessageIsAckedAndUpdatesThatMessage() throws Exception {
        List<String> blockIds = new CopyOnWriteArrayList<>();
        app.blockAction("approve", (req, ctx) -> {
            var payload = req.getPayload();
            blockIds.add(payload.getActions().get(0).getBlockId());
            ctx.client().chatUpdate(r -> r
                    .channel(payload.getChannel().getId())
                    .ts(payload.getMessage().getTs())
                    .text("Approved by <@" + payload.getUser().getId() + ">: " + payload.getActions().get(0).getValue()));
            return ctx.ack();
        });
        startBolt();
        String planTs = slack.methods(BOT_TOKEN).chatPostMessage(r -> r
                .channel(CHANNEL)
                .text("Plan for node1")
                .blocks(asBlocks(actions(a -> a.blockId("plan-42").elements(asElements(
                        button(b -> b.actionId("approve").value("incident-42").text(plainText("Approve"))))))))
        ).getTs();

        Envelope click = fake.blockAction("approve", "incident-42", ALICE, CHANNEL, planTs);

        Ack ack = fake.awaitAck(click);
        System.out.printf("block action ack latency (chat.update inside the handler): %.1f ms%n",
                ack.latency().toNanos() / 1e6);
        assertEquals(List.of("plan-42"), blockIds, "the click carries the block_id of the app's own message");
        ApiCall update = fake.awaitCall("chat.update");
        assertEquals(CHANNEL, update.param("channel"));
        assertEquals(planTs, update.param("ts"));
        assertEquals(BOT_TOKEN, update.token());
        PostedMessage updated = fake.message(CHANNEL, planTs).orElseThrow();
        assertEquals("Approved by <@" + ALICE + ">: incident-42", updated.text());
        assertEquals("plan-42", updated.blocks().path(0).path("block_id").asText(), "blocks kept: " + updated);
    }

    @Test
    void blockActionOnAMessageTheFakeHasNotSeenStillWorks() throws Exception {
        app.blockAction("approve", (req, ctx) -> {
            ctx.client().chatUpdate(r -> r.channel(CHANNEL).ts(req.getPayload().getMessage().getTs()).text("done"));
            return ctx.ack();
        });
        startBolt();

        fake.awaitAck(fake.blockAction("approve", "incident-7", ALICE, CHANNEL, "1712345678.000100"));

        assertEquals("done", fake.message(CHANNEL, "1712345678.000100").orElseThrow().text());
    }

    @Test
    void ackIsSentOnlyAfterTheHandlerReturns() throws Exception {
        fake.failNext("chat.postMessage", Fault.slow(Duration.ofMillis(1_500)));
        app.command("/resync", (req, ctx) -> {
            ctx.client().chatPostMessage(r -> r.channel(req.getPayload().getChannelId()).text("slow"));
            return ctx.ack();
        });
        startBolt();

        Ack ack = fake.awaitAck(fake.slashCommand("/resync", "status", ALICE, CHANNEL));

        System.out.printf("ack latency behind a 1.5 s chat.postMessage in the handler: %.1f ms%n",
                ack.latency().toNanos() / 1e6);
        assertTrue(ack.latency().compareTo(Duration.ofMillis(1_500)) >= 0, "ack latency " + ack.latency());
    }

    @Test
    void redeliveredEnvelopeRunsTheHandlerAgainSoTheAppMustDedupe() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        app.command("/resync", (req, ctx) -> {
            seen.add(req.getPayload().getTriggerId() + " retry=" + req.getHeaders().getFirstValue("X-Slack-Retry-Num"));
            return ctx.ack();
        });
        startBolt();

        Envelope first = fake.slashCommand("/resync", "approve incident-42", ALICE, CHANNEL);
        fake.awaitAck(first);
        Envelope retry = fake.redeliver(first);
        fake.awaitAck(retry);

        assertEquals(first.envelopeId(), retry.envelopeId());
        assertEquals(2, fake.acks(first).size(), "Bolt acks each delivery: " + fake.acks(first));
        // Bolt has no dedupe: the handler runs per delivery. The envelope_id never reaches the
        // handler; what it can see is the unchanged payload (trigger_id) and the retry number.
        assertEquals(List.of(first.triggerId() + " retry=null", first.triggerId() + " retry=1"), seen);
    }

    @Test
    void refreshRequestedMakesTheClientReconnectAndLaterCommandsWork() throws Exception {
        app.command("/resync", (req, ctx) -> ctx.ack());
        startBolt();

        long before = System.nanoTime();
        fake.requestRefresh();
        fake.awaitConnections(2);
        System.out.printf("reconnect after refresh_requested: %.1f ms%n", (System.nanoTime() - before) / 1e6);
        fake.awaitOpenConnections(1); // the client closes the old connection itself

        assertEquals(2 + 1, fake.calls("apps.connections.open").size(), "two on start, then a fresh URL per reconnect");
        fake.awaitAck(fake.slashCommand("/resync", "status", ALICE, CHANNEL));
    }

    @Test
    void droppedConnectionIsReopenedByTheSessionMonitorAndLaterCommandsWork() throws Exception {
        app.command("/resync", (req, ctx) -> ctx.ack());
        startBolt();
        fake.awaitAck(fake.slashCommand("/resync", "status", ALICE, CHANNEL));

        long before = System.nanoTime();
        fake.dropConnections();
        // No reconnect-on-close by default (SDK >= 1.37); the session monitor checks every 5 s.
        fake.awaitConnections(2, Duration.ofSeconds(15));
        System.out.printf("reconnect after a dropped connection: %.1f ms%n", (System.nanoTime() - before) / 1e6);

        fake.awaitAck(fake.slashCommand("/resync", "status", ALICE, CHANNEL));
    }

    @Test
    void closedConnectionIsReopenedAtOnceWhenReconnectOnCloseIsEnabled() throws Exception {
        app.command("/resync", (req, ctx) -> ctx.ack());
        startBolt();
        socketModeApp.getClient().setAutoReconnectOnCloseEnabled(true);

        long before = System.nanoTime();
        fake.closeConnections(1001, "going away");
        fake.awaitConnections(2, Duration.ofSeconds(2));
        System.out.printf("reconnect after close with reconnect-on-close: %.1f ms%n", (System.nanoTime() - before) / 1e6);

        fake.awaitAck(fake.slashCommand("/resync", "status", ALICE, CHANNEL));
    }

    @Test
    void webApiAnswersAndFaultsReachTheSdkClient() throws Exception {
        MethodsClient client = slack.methods(BOT_TOKEN);
        fake.setUsergroupMembers("S0DBA", "U0ALICE", "U0BOB");
        fake.setChannel(CHANNEL, "db-ops", false);

        assertEquals(List.of("U0ALICE", "U0BOB"), client.usergroupsUsersList(r -> r.usergroup("S0DBA")).getUsers());
        assertEquals("no_such_subteam", client.usergroupsUsersList(r -> r.usergroup("S0NONE")).getError());
        assertEquals("db-ops", client.conversationsInfo(r -> r.channel(CHANNEL)).getChannel().getName());
        ChatPostMessageResponse first = client.chatPostMessage(r -> r.channel(CHANNEL).text("one"));
        ChatPostMessageResponse second = client.chatPostMessage(r -> r.channel(CHANNEL).text("two"));
        assertTrue(first.isOk() && second.isOk());
        assertTrue(first.getTs().compareTo(second.getTs()) < 0, first.getTs() + " then " + second.getTs());
        assertTrue(client.chatPostEphemeral(r -> r.channel(CHANNEL).user(ALICE).text("psst")).isOk());
        assertEquals("message_not_found",
                client.chatUpdate(r -> r.channel(CHANNEL).ts("1.000001").text("x")).getError());

        fake.failNext("chat.postMessage", Fault.rateLimited(7));
        SlackApiException limited = assertThrows(SlackApiException.class,
                () -> client.chatPostMessage(r -> r.channel(CHANNEL).text("three")));
        assertEquals(429, limited.getResponse().code());
        assertEquals("7", limited.getResponse().header("Retry-After"));

        fake.failNext("chat.postMessage", Fault.error("channel_not_found"));
        assertEquals("channel_not_found", client.chatPostMessage(r -> r.channel(CHANNEL).text("four")).getError());
        assertTrue(client.chatPostMessage(r -> r.channel(CHANNEL).text("five")).isOk(), "failNext is one-shot");

        fake.failAlways("conversations.info", Fault.httpStatus(503));
        assertThrows(SlackApiException.class, () -> client.conversationsInfo(r -> r.channel(CHANNEL)));
        assertThrows(SlackApiException.class, () -> client.conversationsInfo(r -> r.channel(CHANNEL)));
        fake.clearFaults();
        assertTrue(client.conversationsInfo(r -> r.channel(CHANNEL)).isOk());

        assertEquals("not_allowed_token_type", client.appsConnectionsOpen(r -> r).getError(),
                "apps.connections.open wants the xapp- token");
        assertEquals(5, fake.calls("chat.postMessage").size());
        assertTrue(fake.calls("chat.postMessage").get(2).fault().isPresent());
    }

    @Test
    void jsonBodiesAreRecordedLikeFormBodies() throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.apiBaseUrl() + "chat.postMessage"))
                .header("Authorization", "Bearer " + BOT_TOKEN)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"channel\":\"" + CHANNEL + "\",\"text\":\"hi\",\"blocks\":[{\"type\":\"divider\"}]}"))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("\"ok\":true"), response.body());
        ApiCall call = fake.awaitCall("chat.postMessage");
        assertEquals(Map.of("channel", CHANNEL, "text", "hi", "blocks", "[{\"type\":\"divider\"}]"), call.params());
        assertEquals("divider", call.jsonParam("blocks").get(0).path("type").asText());
        assertEquals(BOT_TOKEN, call.token());
    }

    @Test
    void urlsNotIssuedByAppsConnectionsOpenAreRefused() throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        var failed = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + fake.webSocketPort() + "/link/?ticket=made-up"),
                        new WebSocket.Listener() {
                        })
                .handle((ws, error) -> error != null)
                .get(5, TimeUnit.SECONDS);

        assertTrue(failed);
        assertEquals(1, fake.rejectedConnectionCount());
        assertEquals(0, fake.connectionCount());
    }
}
