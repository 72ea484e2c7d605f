package io.mysqlresync.bench;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ConfigLoader;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.ServerBinary;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every benchmark needs: percentiles, the machine it ran on, a quiet moment to measure in,
 * and the bot's configuration as the app reads it (through {@link ConfigLoader}, so every value
 * not given is the shipped default).
 *
 * <p>Benchmarks are {@code main} programs in test sources, named *Benchmark so Surefire never
 * runs them; BENCHMARKS.md has the commands.
 */
final class Bench {

    /** Slack IDs used by every benchmark; the approver is not the requester (two-person rule). */
    static final String BOT_TOKEN = "xoxb-bench-bot-token";
    static final String APP_TOKEN = "xapp-bench-app-token";
    static final String INCIDENTS = "C0INCIDENTS";
    static final String OPS = "C0OPS";
    static final String REQUESTER = "U0BOB";
    static final String APPROVER = "U0ALICE";

    private Bench() {
    }

    // ------------------------------------------------------------------ statistics

    /** Nearest-rank percentile of the values (any unit); p in 0..100. */
    static double percentile(Collection<? extends Number> values, double p) {
        List<Double> sorted = new ArrayList<>();
        for (Number v : values) sorted.add(v.doubleValue());
        if (sorted.isEmpty()) return Double.NaN;
        sorted.sort(Double::compare);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, rank - 1)));
    }

    static double median(Collection<? extends Number> values) {
        List<Double> sorted = new ArrayList<>();
        for (Number v : values) sorted.add(v.doubleValue());
        if (sorted.isEmpty()) return Double.NaN;
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double max(Collection<? extends Number> values) {
        return values.stream().mapToDouble(Number::doubleValue).max().orElse(Double.NaN);
    }

    static double millis(long nanos) {
        return nanos / 1e6;
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.2f" : millis < 100 ? "%.1f" : "%.0f", millis);
    }

    // ------------------------------------------------------------------ the machine

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static double loadAverage1m() {
        try {
            return Double.parseDouble(loadAverage().split("\\s+")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * Waits (up to {@code patience}) until the 1-minute load average is below {@code threshold}:
     * the machine is shared with other builds. Returns the load average measuring starts at.
     */
    static String awaitQuietMachine(double threshold, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        double load = loadAverage1m();
        while (!(load < threshold) && System.nanoTime() < deadline) {
            System.out.printf(Locale.ROOT, "# load average %.2f >= %.2f: waiting for a quieter machine%n", load, threshold);
            sleep(Duration.ofSeconds(10));
            load = loadAverage1m();
        }
        String now = loadAverage();
        System.out.println("# load average at start: " + now + (load < threshold ? "" : " (still above " + threshold
                + " after waiting " + patience.toSeconds() + " s: figures taken on a busy machine)"));
        return now;
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** One block saying where the figures come from. */
    static String machine() {
        String server = ServerBinary.find().map(ServerBinary::versionLine).orElse("no server binary");
        return "nproc " + Runtime.getRuntime().availableProcessors() + ", CPU " + cpuModel()
                + ", " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", JVM flags " + ManagementFactory.getRuntimeMXBean().getInputArguments()
                + ", server " + server + ", load average " + loadAverage();
    }

    static void header(String title) {
        System.out.println();
        System.out.println("## " + title);
        System.out.println("# machine: " + machine());
    }

    // ------------------------------------------------------------------ the bot's configuration

    /**
     * The app's configuration for one local pair named {@code cluster}, read by {@link ConfigLoader}
     * from a minimal YAML: everything else (poll interval, timeouts, plan expiry) is the default.
     *
     * @param stateUrl   the state database (H2)
     * @param apiBaseUrl the fake Slack's Web API, or null for the default
     */
    static AppConfig config(String cluster, LocalPair pair, String stateUrl, String apiBaseUrl) {
        return ConfigLoader.load(writeConfig(yaml(cluster, pair)), env(stateUrl, apiBaseUrl));
    }

    static String yaml(String cluster, LocalPair pair) {
        return """
                slack:
                  botToken: ${SLACK_BOT_TOKEN}
                  appToken: ${SLACK_APP_TOKEN}
                  apiBaseUrl: ${SLACK_API_BASE_URL:-https://slack.com/api/}
                  incidentChannel: ${SLACK_INCIDENT_CHANNEL}
                approvals:
                  approvers: ${MYSQL_RESYNC_APPROVERS}
                  twoPersonRule: true
                state:
                  jdbcUrl: ${MYSQL_RESYNC_STATE_URL}
                clusters:
                  - name: %s
                    user: ${MYSQL_RESYNC_USER}
                    password: ${MYSQL_RESYNC_PASSWORD}
                    nodes:
                      - name: node1
                        host: %s
                        port: %d
                      - name: node2
                        host: %s
                        port: %d
                """.formatted(cluster, pair.node1().host(), pair.node1().port(), pair.node2().host(), pair.node2().port());
    }

    /** The environment the YAML above reads: tokens, channel, approver, the bot's MySQL login, state URL. */
    static Map<String, String> env(String stateUrl, String apiBaseUrl) {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", BOT_TOKEN);
        env.put("SLACK_APP_TOKEN", APP_TOKEN);
        if (apiBaseUrl != null) env.put("SLACK_API_BASE_URL", apiBaseUrl);
        env.put("SLACK_INCIDENT_CHANNEL", INCIDENTS);
        env.put("MYSQL_RESYNC_APPROVERS", APPROVER);
        env.put("MYSQL_RESYNC_USER", Account.BOT.user());
        env.put("MYSQL_RESYNC_PASSWORD", Account.BOT.password());
        env.put("MYSQL_RESYNC_STATE_URL", stateUrl);
        return env;
    }

    static Path writeConfig(String yaml) {
        try {
            Path file = Files.createTempFile("mysql-resync-bench-", ".yaml");
            file.toFile().deleteOnExit();
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a temporary config: " + e.getMessage(), e);
        }
    }

    /** A private in-memory H2 state database. */
    static String memoryState(String name) {
        return "jdbc:h2:mem:bench-" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    }

    // ------------------------------------------------------------------ small things

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Polls until the condition holds; false on timeout. */
    static boolean await(Duration timeout, Duration every, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            sleep(every);
        }
        return true;
    }

    /** Sends a signal to a process this benchmark started (a sandbox server), by its pid. */
    static void signal(String signal, long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (p.waitFor() != 0) throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + signal + " " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Seconds the sandbox server has been up (its own Uptime). */
    static long uptime(io.mysqlresync.sandbox.LocalServer server) throws java.sql.SQLException {
        return Long.parseLong(server.query("SHOW GLOBAL STATUS LIKE 'Uptime'").get(0).get("Value"));
    }

    static boolean bothThreadsRunning(Map<String, String> status) {
        return "Yes".equals(status.get("Slave_IO_Running")) && "Yes".equals(status.get("Slave_SQL_Running"))
                || "Yes".equals(status.get("Replica_IO_Running")) && "Yes".equals(status.get("Replica_SQL_Running"));
    }
}
