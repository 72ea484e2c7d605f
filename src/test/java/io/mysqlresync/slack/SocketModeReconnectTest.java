package io.mysqlresync.slack;

import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.slack.ResyncFixtures.RecordingRunner;
import io.mysqlresync.slack.ResyncFixtures.ScriptedReader;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.TestClock;
import io.mysqlresync.testsupport.slack.ApiCall;
import io.mysqlresync.testsupport.slack.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static io.mysqlresync.slack.BotHarness.BOB;
import static io.mysqlresync.slack.BotHarness.OPS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slack's documented disconnects against the real bot (Bolt, our Socket Mode link) and the fake
 * Slack: each one costs at most one {@code apps.connections.open} and leaves exactly one socket
 * open; failures back off; a 429's Retry-After is waited out.
 */
@Timeout(60)
class SocketModeReconnectTest {

    /** Short waits so the test runs in seconds; the shape is the production policy's. */
    static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(200), Duration.ofMillis(300),
            Duration.ofSeconds(2), Duration.ofSeconds(2));
    /** Long enough for any second (wrong) reconnect to show up. */
    static final Duration QUIET = Duration.ofMillis(1500);

    private StateFixture state;
    private BotHarness h;

    @BeforeEach
    void start() throws Exception {
        ScriptedReader reader = new ScriptedReader();
        reader.set("shop", ResyncFixtures.healthy("shop"));
        state = StateFixture.fresh();
        ResyncService service = ResyncFixtures.service(List.of("shop"), reader, new RecordingRunner(), state.store,
                new TestClock());
        h = new BotHarness(service, List.of(), FAST);
        answersHelp(); // one round trip: the socket is fully open on both sides
    }

    @AfterEach
    void stop() {
        if (h != null) h.close();
        if (state != null) state.close();
    }

    private int opens() {
        return h.fake.calls("apps.connections.open").size();
    }

    private void answersHelp() {
        assertTrue(h.command("help", BOB, OPS).payload().path("text").asText().contains("/mysql-resync"));
    }

    /** Over {@link #QUIET}: no further open, and exactly one socket open throughout the end. */
    private void settlesOn(int expectedOpens) {
        await().during(QUIET).atMost(QUIET.plusSeconds(5))
                .until(() -> opens() == expectedOpens && h.fake.openConnectionCount() == 1);
    }

    @Test
    void startingCostsOneConnectionsOpen() {
        assertEquals(1, opens(), "the SDK's SocketModeApp makes two");
        assertEquals(1, h.fake.connectionCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"refresh_requested", "warning"})
    void oneDisconnectOneNewConnectionAndTheOldSocketIsClosed(String reason) {
        int before = opens();
        h.fake.resetPeakConnections();
        long t0 = System.nanoTime();

        // Slack closes the told socket itself a little later, as the real one does (~10 s for warning).
        h.fake.disconnect(reason, Duration.ofMillis(500));
        h.fake.awaitConnections(2, Duration.ofSeconds(3));
        long reconnectMs = (System.nanoTime() - t0) / 1_000_000;
        settlesOn(before + 1);

        assertEquals(2, h.fake.connectionCount());
        assertTrue(h.fake.peakOpenConnections() <= 2, "peak " + h.fake.peakOpenConnections() + " sockets");
        answersHelp();
        System.out.printf("disconnect %s: new socket after %d ms, %d apps.connections.open, peak %d sockets%n",
                reason, reconnectMs, opens() - before, h.fake.peakOpenConnections());
    }

    @Test
    void aBurstOfDisconnectsOnOneSocketStillOpensOnce() {
        int before = opens();
        for (int i = 0; i < 5; i++) {
            h.fake.sendDisconnect("refresh_requested");
        }
        h.fake.awaitConnections(2, Duration.ofSeconds(3));
        // The bot closes the replaced socket itself: nothing is left for Slack to close.
        settlesOn(before + 1);
        answersHelp();
    }

    @Test
    void linkDisabledWaitsBeforeTryingAgainAndThenOpensOnce() {
        int before = opens();
        long t0 = System.nanoTime();
        h.fake.disconnect("link_disabled", Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(2)).until(() -> h.fake.openConnectionCount() == 0);
        // Well inside the 2 s wait; the timing check below covers the rest of it.
        await().during(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(3)).until(() -> opens() == before);

        h.fake.awaitConnections(2, Duration.ofSeconds(5));
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(waitedMs >= FAST.linkDisabled().toMillis(), "tried again after " + waitedMs + " ms");
        settlesOn(before + 1);
        answersHelp();
        System.out.printf("link_disabled: no apps.connections.open for %d ms, then one%n", waitedMs);
    }

    @Test
    void aDroppedTcpConnectionIsReplacedOnceAndAtOnce() {
        int before = opens();
        long t0 = System.nanoTime();
        h.fake.dropConnections();
        h.fake.awaitConnections(2, Duration.ofSeconds(2));
        long reconnectMs = (System.nanoTime() - t0) / 1_000_000;
        settlesOn(before + 1);
        answersHelp();
        System.out.printf("dropped TCP: new socket after %d ms%n", reconnectMs);
    }

    @Test
    void rateLimitedOpensWaitOutRetryAfter() {
        int before = opens();
        h.fake.failNext("apps.connections.open", Fault.rateLimited(1));
        h.fake.failNext("apps.connections.open", Fault.rateLimited(2));
        h.fake.dropConnections();

        h.fake.awaitConnections(2, Duration.ofSeconds(10));
        settlesOn(before + 3);
        List<ApiCall> calls = h.fake.calls("apps.connections.open").subList(before, before + 3);
        long first = gapMillis(calls.get(0), calls.get(1));
        long second = gapMillis(calls.get(1), calls.get(2));
        assertTrue(first >= 1000, "asked again " + first + " ms after Retry-After: 1");
        assertTrue(second >= 2000, "asked again " + second + " ms after Retry-After: 2");
        answersHelp();
        System.out.printf("429 twice: asked again after %d ms (Retry-After 1 s) and %d ms (Retry-After 2 s)%n",
                first, second);
    }

    @Test
    void failedOpensBackOffAndRecoverWhenSlackIsBack() {
        int before = opens();
        h.fake.failAlways("apps.connections.open", Fault.httpStatus(503));
        h.fake.dropConnections();
        await().atMost(Duration.ofSeconds(2)).until(() -> h.fake.openConnectionCount() == 0);
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
        List<ApiCall> failed = h.fake.calls("apps.connections.open").subList(before, opens());
        // 0.3, 0.6, 1.2, 2 s ceilings with equal jitter: at most 5 tries in 4 s, never a storm.
        assertTrue(failed.size() >= 2 && failed.size() <= 6, failed.size() + " tries in 4 s");
        for (int i = 2; i < failed.size(); i++) {
            long gap = gapMillis(failed.get(i - 1), failed.get(i));
            assertTrue(gap >= 140, "try " + i + " only " + gap + " ms after the previous one");
        }
        System.out.printf("503 from apps.connections.open: %d tries in 4 s, gaps %s ms%n", failed.size(),
                java.util.stream.IntStream.range(1, failed.size()).mapToObj(i -> gapMillis(failed.get(i - 1), failed.get(i))).toList());
        h.fake.clearFaults();
        long t0 = System.nanoTime();
        h.fake.awaitConnections(2, Duration.ofSeconds(5));
        System.out.printf("503 cleared: connected %d ms later%n", (System.nanoTime() - t0) / 1_000_000);
        answersHelp();
        assertEquals(1, h.fake.openConnectionCount());
    }

    private static long gapMillis(ApiCall a, ApiCall b) {
        return (b.receivedNanos() - a.receivedNanos()) / 1_000_000;
    }
}
