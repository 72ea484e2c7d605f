package io.mysqlresync.bench;

import io.mysqlresync.app.Main;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.testsupport.slack.FakeSlack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 5: startup to connected, and resident memory at idle, of the real thing:
 * {@code java -jar target/mysql-resync.jar run} in its own process, configured through the
 * environment as in production (tokens, incident channel, approvers, SLACK_API_BASE_URL pointed at
 * {@link FakeSlack}), monitoring a real local pair, state in an H2 file.
 *
 * <p>Measured from just before the process is started to the fake accepting its first Socket
 * Mode WebSocket connection (polled every millisecond). The first start of each JVM variant
 * creates the state database (Flyway migrations); the next ones restart on it. After each start
 * the bot idles 30 s (the monitor polling the pair every 2 s), then its VmRSS and CPU time are read
 * from /proc/&lt;pid&gt;, and it is stopped with SIGTERM as a container runtime would.
 *
 * <pre>
 * mvn -q -B -DskipTests package   # builds target/mysql-resync.jar
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) io.mysqlresync.bench.StartupBenchmark [starts-per-variant] [idle-seconds]
 * </pre>
 */
public final class StartupBenchmark {

    record Start(String flags, boolean fresh, double connectedMs, double rssMb, double hwmMb, double idleCpuPercent,
                 double stopMs) {
    }

    public static void main(String[] args) throws Exception {
        int starts = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int idleSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path jar = Path.of("target/mysql-resync.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: build it first with mvn -q -B -DskipTests package");
        }
        System.setProperty(Main.LOG_LEVEL_PROPERTY, "warn");
        Bench.header("Startup to connected, memory at idle (benchmark 5)");
        // JVM flag variants, ';'-separated, e.g. -Dbench.variants=';-Xmx256m' (the default: none, then -Xmx256m)
        List<List<String>> variants = java.util.Arrays.stream(System.getProperty("bench.variants", ";-Xmx256m").split(";", -1))
                .map(v -> v.isBlank() ? List.<String>of() : List.of(v.trim().split("\\s+"))).toList();
        List<Start> results = new ArrayList<>();
        try (LocalPair pair = LocalPair.start(); FakeSlack fake = FakeSlack.start()) {
            Path config = Bench.writeConfig(Bench.yaml("shop", pair));
            for (List<String> flags : variants) {
                Path stateDir = Files.createTempDirectory("mysql-resync-bench-startup-");
                String stateUrl = "jdbc:h2:file:" + stateDir.resolve("mysql-resync") + ";AUTO_SERVER=TRUE";
                for (int i = 0; i < starts; i++) {
                    Bench.awaitQuietMachine(1.5, Duration.ofMinutes(2));
                    Start s = start(jar, config, flags, stateUrl, fake, i == 0, idleSeconds, stateDir.resolve("run-" + i + ".log"));
                    results.add(s);
                    System.out.printf(Locale.ROOT, "# %-12s %-7s connected after %5.0f ms; after %d s idle: RSS %4.0f MB (peak %4.0f MB), CPU %.1f %% of a core; SIGTERM to exit %4.0f ms%n",
                            flags.isEmpty() ? "(no flags)" : String.join(" ", flags), s.fresh() ? "fresh" : "restart",
                            s.connectedMs(), idleSeconds, s.rssMb(), s.hwmMb(), s.idleCpuPercent(), s.stopMs());
                }
            }
        }
        System.out.println();
        System.out.println("| JVM flags | first start (creates state) ms | restarts: p50 ms | max ms | RSS after " + idleSeconds
                + " s idle p50 MB | peak RSS (VmHWM) p50 MB | idle CPU % of a core | SIGTERM to exit p50 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (List<String> flags : variants) {
            String f = flags.isEmpty() ? "(none)" : String.join(" ", flags);
            List<Start> mine = results.stream().filter(s -> s.flags().equals(f)).toList();
            List<Double> restarts = mine.stream().filter(s -> !s.fresh()).map(Start::connectedMs).toList();
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f | %.0f |%n", f,
                    mine.stream().filter(Start::fresh).mapToDouble(Start::connectedMs).findFirst().orElse(Double.NaN),
                    Bench.median(restarts), Bench.max(restarts),
                    Bench.median(mine.stream().map(Start::rssMb).toList()),
                    Bench.median(mine.stream().map(Start::hwmMb).toList()),
                    Bench.median(mine.stream().map(Start::idleCpuPercent).toList()),
                    Bench.median(mine.stream().map(Start::stopMs).toList()));
        }
        System.out.println("# load average at end: " + Bench.loadAverage());
        System.exit(0);
    }

    static Start start(Path jar, Path config, List<String> flags, String stateUrl, FakeSlack fake, boolean fresh,
                       int idleSeconds, Path log) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-jar", jar.toString(), "--config", config.toString(), "run"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.putAll(Bench.env(stateUrl, fake.apiBaseUrl()));
        env.remove("JAVA_TOOL_OPTIONS");
        int before = fake.connectionCount();
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            long deadline = t0 + Duration.ofSeconds(90).toNanos();
            while (fake.connectionCount() <= before) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the bot did not connect (alive: " + p.isAlive() + "); its log "
                            + log + ":\n" + Files.readString(log));
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            double connectedMs = Bench.millis(System.nanoTime() - t0);
            long cpu0 = cpuTicks(p.pid());
            long idle0 = System.nanoTime();
            Bench.sleep(Duration.ofSeconds(idleSeconds));
            double idleCpu = 100.0 * (cpuTicks(p.pid()) - cpu0) * (1e9 / 100) / (System.nanoTime() - idle0);
            double rss = statusKb(p.pid(), "VmRSS") / 1024.0;
            double hwm = statusKb(p.pid(), "VmHWM") / 1024.0;
            long s0 = System.nanoTime();
            p.destroy(); // SIGTERM: the shutdown hook stops Slack and the scheduler
            if (!p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("the bot did not exit within 90 s of SIGTERM");
            }
            return new Start(flags.isEmpty() ? "(none)" : String.join(" ", flags), fresh, connectedMs, rss, hwm, idleCpu,
                    Bench.millis(System.nanoTime() - s0));
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }

    /** utime + stime of a process, in clock ticks (USER_HZ, 100 on Linux). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static long statusKb(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }
}
