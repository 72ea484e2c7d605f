package io.mysqlresync.app;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ConfigLoader;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.testsupport.RealBot;
import io.mysqlresync.testsupport.RealBot.StateServer;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.slack.ApiCall;
import io.mysqlresync.testsupport.slack.Fault;
import io.mysqlresync.testsupport.slack.FakeSlack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.mysqlresync.testsupport.RealBot.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slack unreachable for a while during an incident (issue 14 item 6), with a bot restart in
 * between: real servers, the real Bolt app and Slack SDK against the fake Slack, which answers
 * 503 to every Web API call and drops the Socket Mode connection; the state database is a real
 * MariaDB. The monitor goes on (the incident opens, changes and clears while Slack is dark), the
 * terminal commands keep working, the outbox gauge shows what waits; the bot is stopped and
 * started again; when Slack is back, what was said arrives in order, each message once: one alert
 * with its newest content, the "went away" reply in its thread after it.
 */
@ExtendWith(RealServers.class)
@Timeout(300)
class SlackOutageTest {

    private static final String INCIDENTS = "C0INCIDENTS";
    private static final Duration DARK = Duration.ofSeconds(Long.getLong("slackOutage.darkSeconds", 20));

    @Test
    void whatTheBotSaysWhileSlackIsDarkArrivesLateInOrderOnceEvenAcrossARestart(LocalPair pair, @TempDir Path dir)
            throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        try (StateServer state = StateServer.start("slack-outage-state", 963);
             FakeSlack slack = FakeSlack.start()) {
            Path config = RealBot.config("slack-outage", slack)
                    .monitor("pollInterval: 1s", "progressInterval: 1s")
                    .section("verify", "afterRecovery: off")
                    .state(state, false)
                    .httpOnAnyPort()
                    .demo(pair)
                    .write(dir.resolve("bot.yaml"));
            AppConfig cfg = ConfigLoader.load(config, Map.of());

            Incident incident;
            long darkAt;
            try (SlackMode bot = SlackMode.start(cfg)) {
                var store = bot.app().service().store();
                slack.awaitConnections(1, Duration.ofSeconds(60));

                // Slack goes dark: every Web API call 503, the socket dropped and not reopened
                for (String method : List.of("chat.postMessage", "chat.update", "apps.connections.open", "auth.test")) {
                    slack.failAlways(method, Fault.httpStatus(503));
                }
                slack.dropConnections();
                darkAt = System.nanoTime();

                pair.stopReplicationByOperator(Node.NODE2);
                incident = await("the monitor opens an incident while Slack is dark",
                        () -> store.openIncident("demo"), dir);
                String metrics = await("the outbox gauge shows the waiting alert", () -> Optional.of(scrape(bot.httpPort()))
                        .filter(m -> gauge(m, "mysql_resync_slack_outbox_messages") >= 1), dir);
                assertTrue(gauge(metrics, "mysql_resync_slack_outbox_oldest_seconds") >= 0, metrics);

                // the terminal commands do not need Slack
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int code = DiagnoseCommand.run(cfg, "demo", false, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                String said = out.toString(StandardCharsets.UTF_8);
                assertTrue(said.contains("node2"), said);
                assertTrue(code != Main.USAGE, "diagnose answered: " + code);

                pair.stopReplicationByOperator(Node.NODE1);
                String firstKey = incident.problemKey();
                await("the incident changes while Slack is dark", () -> store.openIncident("demo")
                        .filter(i -> !i.problemKey().equals(firstKey)), dir);
            }

            // the bot restarts while Slack is still dark; the incident then clears by itself
            try (SlackMode bot = SlackMode.start(cfg)) {
                var store = bot.app().service().store();
                pair.startReplication(Node.NODE1);
                pair.startReplication(Node.NODE2);
                await("the incident clears while Slack is dark", () -> store.openIncident("demo").isEmpty()
                        ? Optional.of(true) : Optional.empty(), dir);
                long checked = System.nanoTime();
                assertTrue(slack.calls("chat.postMessage").stream().filter(c -> c.receivedNanos() > darkAt
                        && c.receivedNanos() < checked).allMatch(c -> c.fault().isPresent()), "nothing reached Slack while dark");

                // dark long enough for the outbox's backoff to reach its ceiling
                long hold = DARK.toNanos() - (System.nanoTime() - darkAt);
                if (hold > 0) Thread.sleep(hold / 1_000_000);
                long back = System.nanoTime();
                long darkMs = (back - darkAt) / 1_000_000;
                slack.clearFaults();
                ApiCall reply = await("the cleared reply arrives", () -> delivered(slack).stream()
                        .filter(c -> String.valueOf(c.param("text")).contains("went away by itself")).findFirst(), dir);
                long deliveredMs = (System.nanoTime() - back) / 1_000_000;

                List<ApiCall> posts = delivered(slack).stream().filter(c -> INCIDENTS.equals(c.param("channel"))).toList();
                List<ApiCall> alerts = posts.stream().filter(c -> c.param("thread_ts") == null)
                        .filter(c -> String.valueOf(c.param("blocks")).contains(incident.id())).toList();
                assertEquals(1, alerts.size(), "one alert for the incident: " + posts);
                String alertTs = slack.messages().stream().filter(m -> m.channel().equals(INCIDENTS)
                        && m.text().equals(alerts.get(0).param("text"))).findFirst().orElseThrow().ts();
                assertTrue(alerts.get(0).param("blocks").contains("Cleared"),
                        "the alert as it ended, not as it began: " + alerts.get(0).param("blocks"));
                assertEquals(alertTs, reply.param("thread_ts"), "the reply in the alert's thread");
                await("the late alert's message is recorded with its incident", () -> store.incident(incident.id())
                        .filter(i -> alertTs.equals(i.messageTs())), dir);
                assertTrue(posts.indexOf(alerts.get(0)) < posts.indexOf(reply), "the alert before its reply");
                assertEquals(1, posts.stream().filter(c -> String.valueOf(c.param("text")).contains("went away"))
                        .count(), "said once");
                await("the outbox is empty", () -> Optional.of(scrape(bot.httpPort()))
                        .filter(m -> gauge(m, "mysql_resync_slack_outbox_messages") == 0), dir);
                slack.awaitConnections(2, Duration.ofSeconds(60));
                System.out.printf("SLACK OUTAGE: dark %d ms across a restart; %d messages delivered %d ms after Slack was"
                        + " back (%d monitoring gap, %d resumed); Web API calls refused while dark: %d%n", darkMs,
                        posts.size(), deliveredMs,
                        posts.stream().filter(c -> String.valueOf(c.param("text")).startsWith("Monitoring gap")).count(),
                        posts.stream().filter(c -> String.valueOf(c.param("text")).startsWith("Monitoring resumed")).count(),
                        slack.calls().stream().filter(c -> c.fault().isPresent()).count());
            }
        }
    }

    private static List<ApiCall> delivered(FakeSlack slack) {
        return slack.calls("chat.postMessage").stream().filter(c -> c.fault().isEmpty()).toList();
    }

    static String scrape(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static double gauge(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
