package io.mysqlresync.bench;

import io.mysqlresync.app.Main;
import io.mysqlresync.app.BotApplication;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.slack.SlackBot;
import io.mysqlresync.testsupport.slack.Ack;
import io.mysqlresync.testsupport.slack.Envelope;
import io.mysqlresync.testsupport.slack.FakeSlack;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 1: Slack acknowledgement latency, envelope sent to ack received, through the real Bolt
 * SocketModeApp that {@link SlackBot} builds, against {@link FakeSlack}, with the bot wired as in
 * {@code run} mode ({@link BotApplication}: a real local pair, state on H2, the monitor polling
 * every 2 s on the JDBC job store).
 *
 * <p>Open loop: envelopes go out at a given mean rate (Poisson) whatever the acks do, alternating
 * {@code /mysql-resync status} (acked at once, the work queued: both nodes read, a message
 * posted) and {@code /mysql-resync help} (answered in the ack itself). Latency is the fake's:
 * from just before it sent the frame to the ack frame's arrival, both {@link System#nanoTime()}.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) io.mysqlresync.bench.AckLatencyBenchmark [seconds-per-rate]
 * </pre>
 */
public final class AckLatencyBenchmark {

    static final String COMMAND = "/mysql-resync";
    static final double TARGET_P99_MS = 50;

    record Sent(Envelope envelope, String text) {
    }

    record Result(double rate, int sent, int acked, double p50, double p95, double p99, double max,
                  double statusP99, double helpP99, double cpuPercent, String load) {
    }

    /**
     * @param args {@code [seconds-per-rate] [--rates 1,10,50] [--tcp-nodelay]}; the last one is a
     *             diagnosis, not a setting of the bot: it turns Nagle's algorithm off on the bot's
     *             Socket Mode socket (see BENCHMARKS.md)
     */
    public static void main(String[] args) throws Exception {
        int seconds = 30;
        List<Double> rates = List.of(1.0, 10.0, 50.0);
        boolean noDelay = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rates" -> rates = java.util.Arrays.stream(args[++i].split(",")).map(Double::parseDouble).toList();
                case "--tcp-nodelay" -> noDelay = true;
                default -> seconds = Integer.parseInt(args[i]);
            }
        }
        System.setProperty(Main.LOG_LEVEL_PROPERTY, "warn");
        Bench.header("Slack ack latency (benchmark 1)");
        List<Result> results = new ArrayList<>();
        try (LocalPair pair = LocalPair.start(); FakeSlack fake = FakeSlack.start()) {
            AppConfig config = Bench.config("shop", pair, Bench.memoryState("ack"), fake.apiBaseUrl());
            try (BotApplication app = BotApplication.create(config)) {
                SlackBot bot = new SlackBot(config, app.service(), watch -> { });
                app.startScheduler(bot.notifier());
                try {
                    bot.start();
                    fake.awaitConnections(1, Duration.ofSeconds(30));
                    if (noDelay) {
                        System.out.println("# DIAGNOSIS RUN: TCP_NODELAY set on the bot's Socket Mode socket");
                        socketModeSocket(bot).setTcpNoDelay(true);
                    }
                    System.out.println("# warm-up: 300 envelopes at 20/s on average (not counted)");
                    run(fake, 20, 300);
                    Bench.awaitQuietMachine(1.5, Duration.ofMinutes(3));
                    for (double rate : rates) {
                        // At least 100 envelopes per rate, so that p99 is not just the maximum.
                        results.add(measure(fake, rate, (int) Math.max(100, rate * seconds)));
                    }
                } finally {
                    bot.stop();
                }
            }
        }
        System.out.println();
        System.out.println("| rate | envelopes | acked | p50 ms | p95 ms | p99 ms | max ms | p99 status | p99 help | bot CPU % of a core | load avg | target p99 < 50 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %.0f/s | %d | %d | %s | %s | %s | %s | %s | %s | %.0f | %s | %s |%n",
                    r.rate(), r.sent(), r.acked(), Bench.ms(r.p50()), Bench.ms(r.p95()), Bench.ms(r.p99()),
                    Bench.ms(r.max()), Bench.ms(r.statusP99()), Bench.ms(r.helpP99()), r.cpuPercent(), r.load(),
                    r.p99() < TARGET_P99_MS && r.acked() == r.sent() ? "met" : "MISSED");
        }
        System.exit(0);
    }

    /** The TCP socket under the bot's current Socket Mode session. */
    static java.net.Socket socketModeSocket(SlackBot bot) {
        return bot.socketModeSocket();
    }

    static Result measure(FakeSlack fake, double rate, int count) {
        System.out.printf(Locale.ROOT, "# %.0f envelopes/s: %d envelopes%n", rate, count);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        List<Sent> sent = run(fake, rate, count);
        long cpu = os.getProcessCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        String load = Bench.loadAverage().split(" ")[0];
        Map<String, Ack> acks = new HashMap<>();
        for (Ack a : fake.acks()) acks.putIfAbsent(a.envelopeId(), a);
        List<Double> all = new ArrayList<>();
        List<Double> status = new ArrayList<>();
        List<Double> help = new ArrayList<>();
        for (Sent s : sent) {
            Ack a = acks.get(s.envelope().envelopeId());
            if (a == null) continue;
            double ms = Bench.millis(a.latency().toNanos());
            all.add(ms);
            (s.text().equals("help") ? help : status).add(ms);
        }
        return new Result(rate, sent.size(), all.size(), Bench.percentile(all, 50), Bench.percentile(all, 95),
                Bench.percentile(all, 99), Bench.max(all), Bench.percentile(status, 99), Bench.percentile(help, 99),
                100.0 * cpu / wall, load);
    }

    /**
     * Sends {@code count} envelopes as a Poisson process of {@code rate} per second (exponential
     * gaps, fixed seed): a fixed period would lock in phase with the SDK's 10 ms message poller
     * and measure one phase of it. Then waits (up to 10 s) for their acks.
     */
    static List<Sent> run(FakeSlack fake, double rate, int count) {
        List<Sent> sent = new ArrayList<>();
        java.util.Random random = new java.util.Random(42 + count);
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            next += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            String text = i % 2 == 0 ? "status" : "help";
            sent.add(new Sent(fake.slashCommand(COMMAND, text, Bench.REQUESTER, Bench.OPS), text));
        }
        Bench.await(Duration.ofSeconds(10), Duration.ofMillis(20), () -> {
            var acked = new java.util.HashSet<String>();
            for (Ack a : fake.acks()) acked.add(a.envelopeId());
            return sent.stream().allMatch(s -> acked.contains(s.envelope().envelopeId()));
        });
        return sent;
    }
}
