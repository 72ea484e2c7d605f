package io.mysqlresync.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mysqlresync.util.Threads;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /**
     * One check and the run of it in flight, if any. A probe joins the run in flight instead of
     * starting another: while the state database hangs, probes must not pile up blocked threads.
     */
    private static final class Probe {
        final Check check;
        private CompletableFuture<Optional<String>> running;
        private long startedNanos;

        Probe(Check check) {
            this.check = check;
        }

        synchronized Run current(ExecutorService checks) {
            boolean fresh = running == null || running.isDone();
            if (fresh) {
                startedNanos = System.nanoTime();
                running = CompletableFuture.supplyAsync(check.problem(), checks);
            }
            return new Run(running, startedNanos, fresh);
        }
    }

    private record Run(CompletableFuture<Optional<String>> result, long startedNanos, boolean startedNow) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final ExecutorService checks;
    private final List<Probe> probes;

    private OpsEndpoints(HttpServer server, ExecutorService threads, List<Check> readiness) {
        this.server = server;
        this.threads = threads;
        // One thread per check is enough: a check never has two runs in flight.
        this.checks = Threads.fixedPool("ops-check", readiness.size());
        this.probes = readiness.stream().map(Probe::new).toList();
    }

    /**
     * Binds {@code bindAddress:port} (port 0: any free port) and starts serving.
     *
     * @throws IOException when the port is taken or the address is not this machine's
     */
    public static OpsEndpoints start(String bindAddress, int port, Supplier<String> metrics, List<Check> readiness)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        ExecutorService threads = Threads.fixedPool("ops-http", 2);
        OpsEndpoints endpoints = new OpsEndpoints(server, threads, readiness);
        server.createContext("/metrics", ex -> endpoints.answer(ex, 200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
        server.createContext("/healthz", ex -> endpoints.answer(ex, 200, "text/plain; charset=utf-8", "ok\n"));
        server.createContext("/readyz", ex -> {
            List<String> problems = endpoints.problems();
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

    /**
     * Every check at once, each answering within {@link #CHECK_TIMEOUT} of when its run started;
     * a run still going after that is reported as such, not started again.
     */
    private List<String> problems() {
        List<Run> runs = probes.stream().map(p -> p.current(checks)).toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            String name = probes.get(i).check.name();
            Run run = runs.get(i);
            long until = run.startedNanos() + CHECK_TIMEOUT.toNanos();
            try {
                run.result().get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)
                        .ifPresent(why -> out.add(name + ": " + why));
            } catch (TimeoutException e) {
                out.add(name + ": " + (run.startedNow() ? "no answer within " + CHECK_TIMEOUT.toSeconds() + " s"
                        : "check still running, no answer for "
                        + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - run.startedNanos()) + " s"));
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
}
