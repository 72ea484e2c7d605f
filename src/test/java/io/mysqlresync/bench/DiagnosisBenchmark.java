package io.mysqlresync.bench;

import io.mysqlresync.app.Main;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.mysql.JdbcClusterReader;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.sandbox.LocalPair;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark 3b: diagnosis time of a pair, {@link JdbcClusterReader#read} plus
 * {@link Diagnoser#diagnose}, as the monitor and every command do it; then with one node
 * blackholed or hung, with the default timeouts (connect 2 s, read 5 s) and with the read
 * timeout lowered.
 *
 * <p>Three ways a node stops answering, each on 127.0.0.1:
 * <ul>
 *   <li><b>blackholed</b> (SYNs dropped): a listening socket whose accept queue is full, so the
 *       kernel drops new SYNs as a firewall or a dead host would; the connect times out;</li>
 *   <li><b>accepts, never speaks</b>: a listening socket never accepted from; the TCP handshake
 *       completes (the kernel does it) and the MySQL greeting never comes;</li>
 *   <li><b>hung mariadbd</b>: {@code kill -STOP} of node2's server, with the bot's connection to
 *       it already open (the monitor's case), then reconnecting (the next read after the failed
 *       one discarded the connection).</li>
 * </ul>
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) io.mysqlresync.bench.DiagnosisBenchmark [healthy-runs] [runs-per-fault]
 * </pre>
 */
public final class DiagnosisBenchmark {

    static final double TARGET_MS = 3000;

    record Row(String what, String timeouts, List<Double> ms, String reason) {
    }

    public static void main(String[] args) throws Exception {
        int healthyRuns = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int faultRuns = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.setProperty(Main.LOG_LEVEL_PROPERTY, "warn");
        Bench.header("Diagnosis time (benchmark 3b)");
        List<Row> rows = new ArrayList<>();
        try (LocalPair pair = LocalPair.start();
             ServerSocket blackhole = fullBacklog();
             ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AppConfig config = Bench.config("shop", pair, Bench.memoryState("diag"), null);
            ClusterConfig cluster = config.clusters().get(0);
            Diagnoser diagnoser = new Diagnoser(new Thresholds(config.monitor().lagThreshold().toSeconds(),
                    config.monitor().recentRestart().toSeconds()));
            Bench.awaitQuietMachine(1.5, Duration.ofMinutes(3));

            // Healthy, connections reused (the monitor's steady state).
            try (Reader r = new Reader(cluster, diagnoser)) {
                for (int i = 0; i < 50; i++) r.diagnose(); // warm-up
                List<Double> warm = new ArrayList<>();
                for (int i = 0; i < healthyRuns; i++) warm.add(r.timed(false));
                rows.add(new Row("healthy pair, connections reused", "defaults", warm, ""));
                List<Double> cold = new ArrayList<>();
                for (int i = 0; i < Math.max(20, healthyRuns / 10); i++) cold.add(r.timed(true));
                rows.add(new Row("healthy pair, fresh connections", "defaults", cold, ""));
            }

            for (Duration read : List.of(cluster.readTimeout(), Duration.ofSeconds(2), Duration.ofSeconds(1))) {
                String timeouts = "connect " + cluster.connectTimeout().toMillis() + " ms, read " + read.toMillis() + " ms"
                        + (read.equals(cluster.readTimeout()) ? " (defaults)" : "");
                ClusterConfig blackholed = withNode2(cluster, blackhole.getLocalPort(), read);
                rows.add(faulty("node2 blackholed (SYNs dropped)", timeouts, blackholed, diagnoser, faultRuns, () -> { }, () -> { }));
                ClusterConfig mute = withNode2(cluster, silent.getLocalPort(), read);
                rows.add(faulty("node2 accepts TCP, never speaks", timeouts, mute, diagnoser, faultRuns, () -> { }, () -> { }));
                ClusterConfig real = withNode2(cluster, pair.node2().port(), read);
                long pid = pair.node2().pid();
                rows.add(hungServer(timeouts, real, diagnoser, faultRuns, pid));
            }
        }
        System.out.println();
        System.out.println("| case | timeouts | runs | p50 ms | p95 ms | p99 ms | max ms | node2 reported as | target < 3000 ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            boolean target = !r.reason().isEmpty();
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s |%n", r.what(), r.timeouts(),
                    r.ms().size(), Bench.ms(Bench.median(r.ms())), Bench.ms(Bench.percentile(r.ms(), 95)),
                    Bench.ms(Bench.percentile(r.ms(), 99)), Bench.ms(Bench.max(r.ms())),
                    shortReason(r.reason()),
                    !target ? "-" : Bench.max(r.ms()) < TARGET_MS ? "met" : "MISSED");
        }
        System.out.println("# load average at end: " + Bench.loadAverage());
        System.exit(0);
    }

    /** The bot's reader and diagnoser on one cluster, as BotApplication wires them. */
    static final class Reader implements AutoCloseable {
        final ClusterConfig cluster;
        final NodeConnections connections;
        final JdbcClusterReader reader;
        final Diagnoser diagnoser;

        Reader(ClusterConfig cluster, Diagnoser diagnoser) {
            this.cluster = cluster;
            this.connections = new NodeConnections(List.of(cluster));
            this.reader = new JdbcClusterReader(connections, 4, Clock.systemUTC());
            this.diagnoser = diagnoser;
        }

        Diagnosis diagnose() {
            return diagnoser.diagnose(reader.read(cluster.name()));
        }

        double timed(boolean fresh) {
            if (fresh) {
                for (NodeConfig n : cluster.nodes()) connections.discard(cluster.name(), n.name());
            }
            long t0 = System.nanoTime();
            Diagnosis d = diagnose();
            long t = System.nanoTime() - t0;
            if (d.status().nodes().stream().anyMatch(n -> !n.reachable())) {
                throw new IllegalStateException("healthy pair read as unreachable: " + d.headline());
            }
            return Bench.millis(t);
        }

        @Override
        public void close() {
            reader.close();
            connections.close();
        }
    }

    static Row faulty(String what, String timeouts, ClusterConfig cluster, Diagnoser diagnoser, int runs,
                      Runnable before, Runnable after) {
        List<Double> ms = new ArrayList<>();
        String reason = "";
        try (Reader r = new Reader(cluster, diagnoser)) {
            for (int i = 0; i < runs; i++) {
                before.run();
                try {
                    long t0 = System.nanoTime();
                    Diagnosis d = r.diagnose();
                    ms.add(Bench.millis(System.nanoTime() - t0));
                    reason = node2(d);
                } finally {
                    after.run();
                }
            }
        }
        System.out.printf(Locale.ROOT, "# %-40s %-40s %s ms; node2: %s%n", what, timeouts, ms.stream().map(Bench::ms).toList(), reason);
        return new Row(what, timeouts, ms, reason);
    }

    /**
     * SIGSTOP of node2's mariadbd, odd runs with the bot's connection open before the stop (the
     * monitor's case), even runs reconnecting to the stopped server.
     */
    static Row hungServer(String timeouts, ClusterConfig cluster, Diagnoser diagnoser, int runs, long pid) {
        List<Double> warm = new ArrayList<>();
        List<Double> reconnect = new ArrayList<>();
        String reason = "";
        try (Reader r = new Reader(cluster, diagnoser)) {
            for (int i = 0; i < runs; i++) {
                r.diagnose(); // connections open and healthy
                Bench.signal("STOP", pid);
                try {
                    long t0 = System.nanoTime();
                    Diagnosis d = r.diagnose();
                    warm.add(Bench.millis(System.nanoTime() - t0));
                    reason = node2(d);
                    t0 = System.nanoTime();
                    d = r.diagnose(); // the failed read discarded node2's connection: this one reconnects
                    reconnect.add(Bench.millis(System.nanoTime() - t0));
                } finally {
                    Bench.signal("CONT", pid);
                }
                Bench.sleep(Duration.ofMillis(200));
            }
        }
        System.out.printf(Locale.ROOT, "# %-40s %-40s open connection %s ms, reconnecting %s ms; node2: %s%n",
                "node2 mariadbd SIGSTOPped", timeouts, warm.stream().map(Bench::ms).toList(),
                reconnect.stream().map(Bench::ms).toList(), reason);
        List<Double> all = new ArrayList<>(warm);
        all.addAll(reconnect);
        return new Row("node2 mariadbd SIGSTOPped (open connection, then reconnecting)", timeouts, all, reason);
    }

    private static String shortReason(String reason) {
        if (reason.isEmpty()) return "-";
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("connect timed out")) return "unreachable (connect timed out)";
        if (r.contains("read timed out")) return "unreachable (read timed out)";
        return reason.replace("|", "/");
    }

    private static String node2(Diagnosis d) {
        return d.status().nodes().stream().filter(n -> n.node().equals("node2")).findFirst()
                .map(n -> n.reachable() ? "reachable" : "unreachable: " + n.unreachableReason())
                .orElse("?");
    }

    /** Held until the JVM exits: a collected socket would be closed and free the accept queue. */
    private static final List<Socket> fillers = new ArrayList<>();

    static ClusterConfig withNode2(ClusterConfig c, int port, Duration readTimeout) {
        NodeConfig n1 = c.nodes().get(0);
        NodeConfig n2 = c.nodes().get(1);
        return new ClusterConfig(c.name(), c.user(), c.password(), c.connectTimeout(), readTimeout,
                List.of(n1, new NodeConfig(n2.name(), n2.host(), port, n2.source())));
    }

    /**
     * A port where SYNs go unanswered: a listener with backlog 1 whose accept queue is filled by
     * connections nobody accepts. Linux drops a SYN for a listener with a full accept queue, so a
     * client's connect() hangs until its own timeout, exactly as with a blackholed host.
     */
    static ServerSocket fullBacklog() throws IOException {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 16; i++) {
            Socket f = new Socket();
            try {
                f.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()), 300);
                fillers.add(f);
            } catch (SocketTimeoutException full) {
                f.close();
                System.out.printf("# blackhole on port %d: accept queue full after %d connections%n",
                        s.getLocalPort(), fillers.size());
                return s;
            }
        }
        throw new IllegalStateException("the accept queue of port " + s.getLocalPort() + " never filled up");
    }
}
