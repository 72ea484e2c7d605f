package io.mysqlresync.app;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ApprovalSettings;
import io.mysqlresync.config.HttpSettings;
import io.mysqlresync.config.Secret;
import io.mysqlresync.config.SlackSettings;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.slack.FakeSlack;
import io.mysqlresync.testsupport.slack.Fault;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bot as {@code run} starts it (SlackMode), against the fake Slack and a real pair, seen
 * from outside the way Prometheus and the kubelet see it: over HTTP.
 */
@ExtendWith(RealServers.class)
class OpsEndpointsAcceptanceTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void healthyPair(LocalPair pair) throws Exception {
        pair.reset();
    }

    private static AppConfig config(LocalPair pair, Path dir, FakeSlack fake) {
        AppConfig demo = Demo.config(pair, dir);
        return new AppConfig(
                new SlackSettings(new Secret("xoxb-ops-test"), new Secret("xapp-ops-test"), fake.apiBaseUrl(),
                        "C0INCIDENTS", List.of()),
                new ApprovalSettings(List.of("U0ALICE"), "", true, Duration.ofMinutes(15)),
                demo.monitor(), demo.state(), demo.clusters(), demo.verify(), new HttpSettings("127.0.0.1", 0));
    }

    private HttpResponse<String> get(SlackMode bot, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.httpPort() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + path + ": " + e, e);
        }
    }

    private static Optional<Double> sample(String scrape, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(scrape);
        while (m.find()) {
            String got = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) all &= got.contains(label);
            if (all) return Optional.of(Double.parseDouble(m.group(2)));
        }
        return Optional.empty();
    }

    @Test
    void prometheusSeesTheLaggingNodeAndTheIncidentAndReadinessFollowsTheSocket(LocalPair pair, @TempDir Path dir)
            throws Exception {
        try (FakeSlack fake = FakeSlack.start();
             SlackMode bot = SlackMode.start(config(pair, dir, fake))) {
            fake.awaitConnections(1);
            await("ready once Socket Mode is connected").atMost(Duration.ofSeconds(20))
                    .until(() -> get(bot, "/readyz").statusCode() == 200);
            assertEquals("ok\n", get(bot, "/healthz").body());

            // node1's SQL thread waits on a row lock while node2's changes queue: real lag, past
            // the demo's 5 s threshold, so the monitor opens an incident.
            try (AutoCloseable hold = pair.startLag(Node.NODE1, Duration.ofSeconds(8))) {
                String[] last = {""};
                await("the lag and the incident on /metrics").atMost(Duration.ofSeconds(30)).until(() -> {
                    last[0] = get(bot, "/metrics").body();
                    return sample(last[0], "mysql_resync_replica_lag_seconds", "cluster=\"demo\"", "node=\"node1\"")
                            .filter(lag -> lag >= 8).isPresent()
                            && sample(last[0], "mysql_resync_open_incidents", "cluster=\"demo\"")
                            .filter(open -> open == 1.0).isPresent();
                });
                String scrape = last[0];
                assertEquals(0.0, sample(scrape, "mysql_resync_replica_lag_seconds", "node=\"node2\"").orElseThrow(),
                        "node2 is not behind");
                assertEquals(1.0, sample(scrape, "mysql_resync_replica_sql_thread_running", "node=\"node1\"")
                        .orElseThrow(), "lagging, not broken: both threads run");
                assertEquals(1.0, sample(scrape, "mysql_resync_slack_socket_connected").orElseThrow());
                assertTrue(sample(scrape, "mysql_resync_monitor_sweep_duration_seconds_count").orElseThrow() > 0);
                assertTrue(sample(scrape, "jvm_memory_used_bytes", "area=\"heap\"").orElseThrow() > 0);
                assertTrue(fake.messages().stream().anyMatch(m -> m.channel().equals("C0INCIDENTS")),
                        "the incident was alerted in Slack too");
            }

            // Slack goes away: the socket drops and reconnecting fails.
            fake.failAlways("apps.connections.open", Fault.httpStatus(503));
            fake.dropConnections();
            await("not ready while the socket is down").atMost(Duration.ofSeconds(20))
                    .until(() -> get(bot, "/readyz").statusCode() == 503);
            HttpResponse<String> down = get(bot, "/readyz");
            assertTrue(down.body().contains("slack: Socket Mode not connected"), down.body());
            assertEquals(0.0, sample(get(bot, "/metrics").body(), "mysql_resync_slack_socket_connected").orElseThrow());
            assertEquals(200, get(bot, "/healthz").statusCode(), "alive all along: no restart for a Slack outage");

            // Slack is back: the SDK reconnects by itself and the bot is ready again.
            fake.clearFaults();
            await("ready again once Slack is back").atMost(Duration.ofSeconds(60))
                    .until(() -> get(bot, "/readyz").statusCode() == 200);
            assertEquals(1.0, sample(get(bot, "/metrics").body(), "mysql_resync_slack_socket_connected").orElseThrow());
        }
    }
}
