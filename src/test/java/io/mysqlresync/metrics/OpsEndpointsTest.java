package io.mysqlresync.metrics;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpsEndpointsTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<Optional<String>> slack = new AtomicReference<>(Optional.empty());
    private final CountDownLatch never = new CountDownLatch(1);
    private OpsEndpoints endpoints;

    @AfterEach
    void stop() {
        never.countDown();
        if (endpoints != null) endpoints.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyzNamesWhatIsNotReadyAndHealthzOnlyAsksIfTheProcessAnswers() throws Exception {
        endpoints = OpsEndpoints.start("127.0.0.1", 0, () -> "# metrics\n", List.of(
                new OpsEndpoints.Check("slack", slack::get),
                new OpsEndpoints.Check("scheduler", Optional::empty)));
        assertEquals(200, get("/readyz").statusCode());

        slack.set(Optional.of("Socket Mode not connected"));
        HttpResponse<String> notReady = get("/readyz");
        assertEquals(503, notReady.statusCode());
        assertEquals("not ready:\nslack: Socket Mode not connected\n", notReady.body());
        assertEquals(200, get("/healthz").statusCode(), "alive even when not ready");

        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertEquals("# metrics\n", metrics.body());
        assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + endpoints.port() + "/readyz"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode(), "nothing here changes the bot");
    }

    @Test
    void aCheckThatHangsMakesTheProbeAnswer503InTime() throws Exception {
        endpoints = OpsEndpoints.start("127.0.0.1", 0, () -> "", List.of(
                new OpsEndpoints.Check("state database", () -> {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Optional.empty();
                })));
        long start = System.nanoTime();
        HttpResponse<String> r = get("/readyz");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(503, r.statusCode());
        assertEquals("not ready:\nstate database: no answer within 3 s\n", r.body());
        assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, took.toString());
    }

    @Test
    void fiftyProbesWhileTheStateDatabaseHangsShareOneCheckThread() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        endpoints = OpsEndpoints.start("127.0.0.1", 0, () -> "", List.of(
                new OpsEndpoints.Check("state database", () -> {
                    runs.incrementAndGet();
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Optional.empty();
                })));
        List<CompletableFuture<HttpResponse<String>>> probes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            probes.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + "/readyz"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> p : probes) {
            HttpResponse<String> r = p.get(30, TimeUnit.SECONDS);
            assertEquals(503, r.statusCode());
            assertTrue(r.body().startsWith("not ready:\nstate database: "), r.body());
        }
        assertEquals(1, runs.get(), "one run of the hanging check, joined by every probe");
        long checkThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ops-check")).count();
        assertTrue(checkThreads <= 1, checkThreads + " check threads");
        assertTrue(get("/readyz").body().contains("check still running, no answer for "));
    }
}
