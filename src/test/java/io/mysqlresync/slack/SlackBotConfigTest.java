package io.mysqlresync.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import io.mysqlresync.config.SlackSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlackBotConfigTest {

    @Test
    void theWebApiPrefixIsTheConfiguredBaseUrlWithTheTrailingSlashTheSdkNeeds() {
        assertEquals("https://slack-gov.com/api/",
                SlackBot.slackConfig("https://slack-gov.com/api").getMethodsEndpointUrlPrefix());
        assertEquals("https://slack.com/api/", SlackBot.slackConfig("https://slack.com/api/").getMethodsEndpointUrlPrefix());
        assertEquals(SlackSettings.DEFAULT_API_BASE_URL, SlackBot.slackConfig("  ").getMethodsEndpointUrlPrefix());
        assertEquals(SlackSettings.DEFAULT_API_BASE_URL, SlackBot.slackConfig(null).getMethodsEndpointUrlPrefix());
    }

    @Test
    void aLoopbackSlackIsNeverReachedThroughAProxy() {
        SlackConfig local = SlackBot.slackConfig("http://127.0.0.1:8080/api/");
        assertNull(local.getProxyUrl());
        assertNull(SlackBot.slackConfig("http://localhost:8080/api/").getProxyUrl());
    }

    @Test
    void everyCallEndsWithinItsBoundSoTheOutboxClaimOutlivesIt() {
        assertEquals((int) SlackBot.CALL_TIMEOUT.toMillis(), SlackBot.slackConfig(null).getHttpClientCallTimeoutMillis());
        assertTrue(SlackOutbox.CLAIM_TIMEOUT.compareTo(SlackBot.CALL_TIMEOUT.multipliedBy(2)) >= 0,
                "a claim must outlive a send, with room for the state database's write after it");
    }

    @Test
    void aSlackThatTricklesItsAnswerIsCutOffByTheCallTimeout() throws Exception {
        // One byte every 200 ms: no read ever waits its 10 s read timeout, so only the call's own
        // bound can end it. Without it this send would hold its outbox claim for minutes.
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread trickle = new Thread(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[8192]);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 500; i++) {
                        out.write(' ');
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException e) {
                    // the client gave up: what the test wants
                }
            }, "trickling-slack");
            trickle.setDaemon(true);
            trickle.start();
            SlackConfig config = SlackBot.slackConfig("http://127.0.0.1:" + server.getLocalPort() + "/api/",
                    Duration.ofSeconds(1));
            config.setStatsEnabled(false);
            long t0 = System.nanoTime();
            try (Slack client = Slack.getInstance(config)) {
                assertThrows(IOException.class, () -> client.methods("xoxb-test")
                        .chatPostMessage(r -> r.channel("C1").text("hello")));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "the call took " + took);
            trickle.interrupt();
        }
    }
}
