package io.mysqlresync.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The bot's one HTTP port (the JDK's own server, no framework): {@code /metrics} for Prometheus,
 * {@code /healthz} (the process answers) and {@code /readyz} (Socket Mode connected, state
 * database reachable, scheduler running: 200, else 503 naming what is not). Read-only: nothing
 * here changes the bot, and nothing here shows a secret.
 */
public final class OpsEndpoints implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsEndpoints.class);

    /** A probe answers within this even when a check hangs (a blackholed state database, say). */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

    /**
     * One condition of readiness.
     *
     * @param name    what it is about, in the 503's text ("slack", "state database", "scheduler")
     * @param problem empty when fine, else why not
     */
    public record Check(String name, Supplier<Optional<String>> problem) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final ExecutorService checks;

    private OpsEndpoints(HttpServer server, ExecutorService threads, ExecutorService checks) {
        this.server = server;
        this.threads = threads;
        this.checks = checks;
    }

    /**
     * Binds {@code bindAddress:port} (port 0: any free port) and starts serving.
     *
     * @throws IOException when the port is taken or the address is not this machine's
     */
    public static OpsEndpoints start(String bindAddress, int port, Supplier<String> metrics, List<Check> readiness)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        ExecutorService threads = Executors.newFixedThreadPool(2, daemon("ops-http"));
        ExecutorService checks = Executors.newCachedThreadPool(daemon("ops-check"));
        OpsEndpoints endpoints = new OpsEndpoints(server, threads, checks);
        server.createContext("/metrics", ex -> endpoints.answer(ex, 200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        server.createContext("/healthz", ex -> endpoints.answer(ex, 200, "text/plain; charset=utf-8", "ok\n"));
        server.createContext("/readyz", ex -> {
            List<String> problems = endpoints.problems(readiness);
            endpoints.answer(ex, problems.isEmpty() ? 200 : 503, "text/plain; charset=utf-8",
                    problems.isEmpty() ? "ready\n" : "not ready:\n" + String.join("\n", problems) + "\n");
        });
        server.setExecutor(threads);
        server.start();
        log.info("HTTP endpoints /metrics, /healthz, /readyz on {}:{}", bindAddress, endpoints.port());
        return endpoints;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every check at once, each bounded by {@link #CHECK_TIMEOUT}. */
    private List<String> problems(List<Check> readiness) {
        List<CompletableFuture<Optional<String>>> running = new ArrayList<>();
        for (Check c : readiness) {
            running.add(CompletableFuture.supplyAsync(c.problem(), checks));
        }
        List<String> out = new ArrayList<>();
        long until = System.nanoTime() + CHECK_TIMEOUT.toNanos();
        for (int i = 0; i < readiness.size(); i++) {
            String name = readiness.get(i).name();
            try {
                running.get(i).get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)
                        .ifPresent(why -> out.add(name + ": " + why));
            } catch (TimeoutException e) {
                out.add(name + ": no answer within " + CHECK_TIMEOUT.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.add(name + ": check interrupted");
            } catch (Exception e) {
                out.add(name + ": check failed: " + e.getCause());
            }
        }
        return out;
    }

    private void answer(HttpExchange ex, int status, String type, String body) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        checks.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
