package io.mysqlresync.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ApprovalSettings;
import io.mysqlresync.config.Secret;
import io.mysqlresync.config.SlackSettings;
import io.mysqlresync.incident.ApprovalPolicy;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.testsupport.slack.Ack;
import io.mysqlresync.testsupport.slack.ApiCall;
import io.mysqlresync.testsupport.slack.Envelope;
import io.mysqlresync.testsupport.slack.FakeSlack;
import io.mysqlresync.testsupport.slack.PostedMessage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real {@link SlackBot} (Bolt, Socket Mode over the Java-WebSocket backend) against an
 * in-process {@link FakeSlack} on 127.0.0.1, with the people of the incident:
 * Bob asks for plans, Alice is a listed approver, Carol approves through the approver group,
 * Mallory may not approve.
 */
final class BotHarness implements AutoCloseable {

    static final String BOT_TOKEN = "xoxb-test-bot-token-do-not-leak";
    static final String APP_TOKEN = "xapp-test-app-token-do-not-leak";
    static final String OPS = "C0OPS";
    static final String INCIDENTS = "C0INCIDENTS";
    static final String APPROVER_GROUP = "S0DBA";
    static final String BOB = "U0BOB";
    static final String ALICE = "U0ALICE";
    static final String CAROL = "U0CAROL";
    static final String MALLORY = "U0MALLORY";
    /** Slack's limit for acks; the bot must be far below it. */
    static final Duration ACK_LIMIT = Duration.ofSeconds(3);

    static final Set<String> LISTED_APPROVERS = Set.of(ALICE);
    static final Duration PLAN_EXPIRY = Duration.ofMinutes(30);

    final FakeSlack fake;
    final ResyncService service;
    final SlackBot bot;
    final List<WatchRequest> watchRequests = new CopyOnWriteArrayList<>();
    final List<Duration> ackLatencies = new CopyOnWriteArrayList<>();

    static ApprovalPolicy policy() {
        return new ApprovalPolicy(LISTED_APPROVERS, true, false);
    }

    BotHarness(ResyncService service, List<String> allowedChannels) throws Exception {
        this(service, allowedChannels, ReconnectPolicy.DEFAULTS);
    }

    BotHarness(ResyncService service, List<String> allowedChannels, ReconnectPolicy reconnect) throws Exception {
        this.fake = FakeSlack.start();
        this.service = service;
        fake.setUsergroupMembers(APPROVER_GROUP, CAROL);
        AppConfig config = new AppConfig(
                new SlackSettings(new Secret(BOT_TOKEN), new Secret(APP_TOKEN), fake.apiBaseUrl(), INCIDENTS,
                        allowedChannels),
                new ApprovalSettings(List.copyOf(LISTED_APPROVERS), APPROVER_GROUP, false, PLAN_EXPIRY),
                null, null, List.of());
        this.bot = new SlackBot(config, service, watchRequests::add,
                new SlackBot.Tuning(Duration.ofSeconds(30), Duration.ofSeconds(5), 8, Duration.ofMinutes(15)), reconnect);
        try {
            bot.start();
            fake.awaitConnections(1);
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    ResyncStore store() {
        return service.store();
    }

    /** Types {@code /mysql-resync text} and returns the ack, checked to be well within Slack's 3 s. */
    Ack command(String text, String user, String channel) {
        Envelope e = fake.slashCommand(SlashCommand.COMMAND, text, user, channel);
        return acked(e);
    }

    Envelope commandEnvelope(String text, String user, String channel) {
        return fake.slashCommand(SlashCommand.COMMAND, text, user, channel);
    }

    Ack acked(Envelope e) {
        Ack ack = fake.awaitAck(e, ACK_LIMIT);
        ackLatencies.add(ack.latency());
        assertTrue(ack.latency().compareTo(ACK_LIMIT) < 0, "ack latency " + ack.latency());
        return ack;
    }

    /** Clicks a button of a message the bot posted, found by its action id. */
    Envelope click(PostedMessage m, String actionId, String user) {
        JsonNode button = button(m, actionId).orElseThrow(() -> new AssertionError("no button " + actionId + " on " + m));
        return fake.blockAction(actionId, button.path("value").asText(), user, m.channel(), m.ts());
    }

    static Optional<JsonNode> button(PostedMessage m, String actionId) {
        for (JsonNode block : m.blocks()) {
            for (JsonNode e : block.path("elements")) {
                if (actionId.equals(e.path("action_id").asText())) return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static boolean hasButtons(PostedMessage m) {
        for (JsonNode block : m.blocks()) if ("actions".equals(block.path("type").asText())) return true;
        return false;
    }

    static String text(PostedMessage m) {
        return m.text() + "\n" + BlockJson.allText(m.blocks());
    }

    /** The plan message the bot posted for this plan, once the store knows where it is. */
    PostedMessage planMessage(String planId) {
        ProposedPlan p = await("plan " + planId + " message stored",
                () -> store().plan(planId).filter(x -> !x.messageTs().isEmpty()));
        return fake.message(p.channel(), p.messageTs()).orElseThrow();
    }

    /** Waits for a message the bot posted whose text contains {@code needle}. */
    PostedMessage awaitMessage(String needle) {
        return await("a message containing '" + needle + "'",
                () -> fake.messages().stream().filter(m -> text(m).contains(needle)).findFirst());
    }

    List<String> ephemeralsTo(String user) {
        return fake.calls("chat.postEphemeral").stream().filter(c -> user.equals(c.param("user")))
                .map(c -> c.param("text")).toList();
    }

    String awaitEphemeral(String user, String needle) {
        return await("an ephemeral message to " + user + " containing '" + needle + "'",
                () -> ephemeralsTo(user).stream().filter(t -> t.contains(needle)).findFirst());
    }

    /** The text of every response_url post for this envelope. */
    String awaitResponse(Envelope e, String needle) {
        return await("a response_url post containing '" + needle + "'", () -> fake.responseUrlPosts(e).stream()
                .map(p -> p.body().toString()).filter(b -> b.contains(needle)).findFirst());
    }

    static <T> T await(String what, Supplier<Optional<T>> probe) {
        return await(what, probe, Duration.ofSeconds(20));
    }

    static <T> T await(String what, Supplier<Optional<T>> probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> r = probe.get();
            if (r.isPresent()) return r.get();
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    static void awaitTrue(String what, BooleanSupplier condition) {
        await(what, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
    }

    /** Nothing the bot sent to Slack carries a token in a parameter or a message. */
    void assertNoSecretLeaked(String... otherSecrets) {
        List<String> secrets = new java.util.ArrayList<>(List.of(BOT_TOKEN, APP_TOKEN));
        secrets.addAll(List.of(otherSecrets));
        for (String secret : secrets) {
            for (ApiCall c : fake.calls()) {
                assertFalse(c.params().toString().contains(secret), c.method() + " carried a secret");
            }
            fake.responseUrlPosts().forEach(p -> assertFalse(p.body().toString().contains(secret)));
        }
        // What the bot itself calls uses the bot token; Socket Mode's own calls use the app token.
        List<String> wrongToken = fake.calls().stream()
                .filter(c -> c.method().startsWith("chat.") || c.method().startsWith("usergroups.")
                        ? !c.token().equals(BOT_TOKEN)
                        : c.method().equals("apps.connections.open") ? !c.token().equals(APP_TOKEN)
                        : !c.token().equals(BOT_TOKEN) && !c.token().equals(APP_TOKEN))
                .map(ApiCall::method).toList();
        assertTrue(wrongToken.isEmpty(), "calls with the wrong token: " + wrongToken);
    }

    void printAckLatencies(String test) {
        System.out.printf("%s: ack latencies (ms): %s%n", test, ackLatencies.stream()
                .map(d -> String.format("%.1f", d.toNanos() / 1e6)).toList());
    }

    @Override
    public void close() {
        try {
            bot.stop();
        } finally {
            fake.close();
        }
    }
}
