package io.mysqlresync.bench;

import io.mysqlresync.app.Main;
import io.mysqlresync.app.BotApplication;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.slack.SlackBot;
import io.mysqlresync.testsupport.slack.ApiCall;
import io.mysqlresync.testsupport.slack.FakeSlack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Benchmark 2: crash-to-alert on real servers, with the monitor at its default poll interval
 * (2 s, MonitorSettings as ConfigLoader fills it in) and the bot wired as {@code run} wires it:
 * {@link BotApplication} (reader, H2 file state, Quartz JDBC job store) speaking through the real
 * SlackNotifier to {@link FakeSlack}.
 *
 * <p>Each run: a healthy pair, a fresh bot polling it for three intervals in silence, a random
 * phase, then the fault; measured from just before the fault to (a) the monitor's call to
 * {@code incidentOpened} and (b) the alert's {@code chat.postMessage} arriving at the fake.
 * Faults rotate: kill -9 node1, STOP SLAVE on node2 (operator), kill -9 node2, duplicate key
 * (1062) on node1. Then a few runs of a hung node (SIGSTOP of node2's mariadbd), reported apart.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) io.mysqlresync.bench.CrashToAlertBenchmark [runs] [hung-runs]
 * </pre>
 */
public final class CrashToAlertBenchmark {

    static final double TARGET_P95_MS = 3000;
    static final Duration ALERT_TIMEOUT = Duration.ofSeconds(40);

    private interface Fault {
        void inject(LocalPair pair) throws Exception;
    }

    private record Kind(String name, Fault fault) {
    }

    record Run(String fault, double alertMs, double slackMs, String headline) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int hungRuns = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.setProperty(Main.LOG_LEVEL_PROPERTY, "warn");
        Bench.header("Crash-to-alert (benchmark 2)");
        List<Kind> kinds = List.of(
                new Kind("kill -9 node1", p -> p.killHard(Node.NODE1)),
                new Kind("STOP SLAVE on node2", p -> p.stopReplicationByOperator(Node.NODE2)),
                new Kind("kill -9 node2", p -> p.killHard(Node.NODE2)),
                new Kind("duplicate key on node1", p -> p.causeDuplicateKey(Node.NODE1)));
        List<Run> results = new ArrayList<>();
        List<Run> hung = new ArrayList<>();
        Path stateDir = Files.createTempDirectory("mysql-resync-bench-state-");
        Random random = new Random(7);
        try (LocalPair pair = LocalPair.start(); FakeSlack fake = FakeSlack.start()) {
            Bench.awaitQuietMachine(1.5, Duration.ofMinutes(3));
            for (int i = 0; i < runs; i++) {
                Kind k = kinds.get(i % kinds.size());
                results.add(run(pair, fake, stateDir, i, k, random));
            }
            for (int i = 0; i < hungRuns; i++) {
                long pid = pair.node2().pid();
                Kind k = new Kind("SIGSTOP node2 (hung)", p -> Bench.signal("STOP", pid));
                try {
                    hung.add(run(pair, fake, stateDir, runs + i, k, random));
                } finally {
                    Bench.signal("CONT", pid);
                }
            }
        }
        System.out.println();
        System.out.println("| fault | runs | alert decided p50 ms | p95 ms | max ms | alert in Slack p50 ms | p95 ms | max ms | target p95 < 3000 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        row("all kill -9 / replication breaks", results);
        Map<String, List<Run>> byFault = new LinkedHashMap<>();
        for (Run r : results) byFault.computeIfAbsent(r.fault(), f -> new ArrayList<>()).add(r);
        byFault.forEach(CrashToAlertBenchmark::row);
        if (!hung.isEmpty()) row("SIGSTOP node2 (hung, not a target)", hung);
        System.out.println("# load average at end: " + Bench.loadAverage());
        System.exit(0);
    }

    static void row(String name, List<Run> runs) {
        List<Double> alert = runs.stream().map(Run::alertMs).toList();
        List<Double> slack = runs.stream().map(Run::slackMs).toList();
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %s |%n", name, runs.size(),
                Bench.median(alert), Bench.percentile(alert, 95), Bench.max(alert), Bench.median(slack),
                Bench.percentile(slack, 95), Bench.max(slack),
                Bench.percentile(slack, 95) < TARGET_P95_MS ? "met" : "MISSED");
    }

    static Run run(LocalPair pair, FakeSlack fake, Path stateDir, int n, Kind kind, Random random) throws Exception {
        pair.reset();
        // A node started moments ago would be reported as restarted; wait past the restart tolerance.
        Bench.await(Duration.ofSeconds(15), Duration.ofMillis(200), () -> {
            try {
                return Bench.uptime(pair.node1()) > 3 && Bench.uptime(pair.node2()) > 3;
            } catch (Exception e) {
                return false;
            }
        });
        String state = "jdbc:h2:file:" + stateDir.resolve("run-" + n) + ";AUTO_SERVER=TRUE";
        AppConfig config = Bench.config("shop", pair, state, fake.apiBaseUrl());
        BotApplication app = BotApplication.create(config);
        SlackBot bot = null;
        try {
            bot = new SlackBot(config, app.service(), w -> { });
            TimedNotifier notifier = new TimedNotifier(bot.notifier());
            app.startScheduler(notifier);
            Duration poll = config.monitor().pollInterval();
            Bench.sleep(poll.multipliedBy(3));
            if (!notifier.opened().isEmpty()) {
                throw new IllegalStateException("the healthy pair was alerted: " + notifier.opened());
            }
            Bench.sleep(Duration.ofMillis(random.nextInt((int) poll.toMillis())));
            int postsBefore = fake.calls("chat.postMessage").size();
            long t0 = System.nanoTime();
            kind.fault().inject(pair);
            if (!Bench.await(ALERT_TIMEOUT, Duration.ofMillis(5), () -> !notifier.opened().isEmpty())) {
                throw new IllegalStateException(kind.name() + ": no alert within " + ALERT_TIMEOUT);
            }
            TimedNotifier.Opened opened = notifier.opened().get(0);
            Bench.await(Duration.ofSeconds(10), Duration.ofMillis(5), () -> slackAlert(fake, postsBefore).isPresent());
            double slackMs = slackAlert(fake, postsBefore).map(c -> Bench.millis(c.receivedNanos() - t0))
                    .orElse(Double.NaN);
            Run r = new Run(kind.name(), Bench.millis(opened.atNanos() - t0), slackMs, opened.incident().headline());
            System.out.printf(Locale.ROOT, "# run %2d %-24s alert %5.0f ms, in Slack %5.0f ms: %s%n", n + 1,
                    r.fault(), r.alertMs(), r.slackMs(), r.headline());
            return r;
        } finally {
            // As the app shuts down: the scheduler first, then Slack.
            app.close();
            if (bot != null) bot.stop();
        }
    }

    private static Optional<ApiCall> slackAlert(FakeSlack fake, int postsBefore) {
        List<ApiCall> posts = fake.calls("chat.postMessage");
        return posts.subList(postsBefore, posts.size()).stream()
                .filter(c -> Bench.INCIDENTS.equals(c.param("channel"))).findFirst();
    }
}
