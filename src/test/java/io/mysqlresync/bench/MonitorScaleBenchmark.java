package io.mysqlresync.bench;

import io.mysqlresync.app.Main;
import io.mysqlresync.app.BotApplication;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.ConfigLoader;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 4: what one bot costs while it monitors 100, 300 and 1,000 nodes polled every 5 s.
 *
 * <p>The parent starts five real pairs (ten mariadbd) and, per size, a separate JVM with a fixed
 * heap ({@code -Xmx256m}) running the bot as {@code run} wires it ({@link BotApplication}: one
 * reader thread per node up to 64, one reused JDBC connection per node, the Quartz monitor job
 * sweeping every cluster on the JDBC job store in an H2 file), minus Slack, which is idle while nothing breaks.
 * Each configured pair of nodes is one of the five real pairs under another cluster name, so a
 * thousand nodes are a thousand connections, a hundred per server, all healthy.
 *
 * <p>The child measures itself over a window after a warm-up: process CPU time over wall time
 * (OperatingSystemMXBean), VmRSS from /proc/self/status (sampled every second), heap used, GC
 * time, threads; and how many node reads the servers actually answered (the sum of their
 * {@code Com_show_binlogs}, one per node read), against the {@code nodes x window / 5 s} due.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) io.mysqlresync.bench.MonitorScaleBenchmark [window-seconds] [sizes]
 * </pre>
 */
public final class MonitorScaleBenchmark {

    static final String HEAP = "-Xmx256m";
    static final Duration POLL = Duration.ofSeconds(5);
    static final double TARGET_CPU = 25;
    static final double TARGET_RSS_MB = 300;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        int window = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        List<Integer> sizes = args.length > 1
                ? java.util.Arrays.stream(args[1].split(",")).map(Integer::parseInt).toList()
                : List.of(100, 300, 1000);
        int warmup = 60; // seconds: the JIT is still busy 30 s in at 100 nodes
        System.setProperty(Main.LOG_LEVEL_PROPERTY, "warn");
        Bench.header("Monitoring scale (benchmark 4)");
        List<Map<String, String>> results = new ArrayList<>();
        List<LocalPair> pairs = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) pairs.add(LocalPair.start());
            StringBuilder servers = new StringBuilder();
            for (LocalPair p : pairs) {
                if (servers.length() > 0) servers.append(',');
                servers.append(p.node1().port()).append(':').append(p.node2().port());
            }
            for (int nodes : sizes) {
                Bench.awaitQuietMachine(1.5, Duration.ofMinutes(3));
                results.add(runChild(nodes, servers.toString(), warmup, window));
            }
        } finally {
            for (LocalPair p : pairs) p.close();
        }
        System.out.println();
        System.out.println("| nodes (clusters) | JVM | CPU % of one core | CPU ms per node read | RSS MB (max / end) | heap used MB (end / after GC) | heap committed MB | non-heap MB | GC ms | threads | node reads done / due | load avg | target (1,000 nodes: < 25 % CPU, < 300 MB RSS) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Map<String, String> r : results) {
            int nodes = Integer.parseInt(r.get("nodes"));
            double cpu = Double.parseDouble(r.get("cpu"));
            double rss = Double.parseDouble(r.get("rssMax"));
            String target = nodes < 1000 ? "-" : cpu < TARGET_CPU && rss < TARGET_RSS_MB ? "met" : "MISSED";
            System.out.printf(Locale.ROOT, "| %d (%d) | %s | %.1f | %.3f | %s / %s | %s / %s | %s | %s | %s | %s | %s / %s | %s | %s |%n",
                    nodes, nodes / 2, r.get("flags"), cpu, Double.parseDouble(r.get("cpuMsPerRead")), r.get("rssMax"),
                    r.get("rssEnd"), r.get("heapEnd"), r.get("heapAfterGc"), r.get("heapCommitted"), r.get("nonHeap"), r.get("gcMs"), r.get("threads"),
                    r.get("reads"), r.get("due"), r.get("load"), target);
        }
        System.exit(0);
    }

    static Map<String, String> runChild(int nodes, String servers, int warmup, int window) throws IOException,
            InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, HEAP));
        // Extra flags for a diagnosis run, e.g. -Dbench.childFlags=-XX:StartFlightRecording=filename=/tmp/scale-%n.jfr
        String extra = System.getProperty("bench.childFlags", "").replace("%n", Integer.toString(nodes));
        if (!extra.isBlank()) cmd.addAll(List.of(extra.trim().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                MonitorScaleBenchmark.class.getName(), "--child", Integer.toString(nodes), servers,
                Integer.toString(warmup), Integer.toString(window)));
        System.out.printf("# %d nodes: child JVM %s%n", nodes, String.join(" ", cmd.subList(1, cmd.indexOf("-cp"))));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, String> result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                System.out.println("#   " + line);
                if (line.startsWith("RESULT ")) {
                    result = new HashMap<>();
                    for (String kv : line.substring(7).split(" ")) {
                        String[] parts = kv.split("=", 2);
                        result.put(parts[0], parts[1]);
                    }
                }
            }
        }
        int code = p.waitFor();
        if (result == null) throw new IllegalStateException("child for " + nodes + " nodes exited " + code + " without a result");
        return result;
    }

    // ------------------------------------------------------------------ the measured JVM

    static void child(int nodes, String servers, int warmup, int window) throws Exception {
        System.setProperty(Main.LOG_LEVEL_PROPERTY, "warn");
        List<int[]> pairs = new ArrayList<>();
        for (String s : servers.split(",")) {
            String[] ports = s.split(":");
            pairs.add(new int[] {Integer.parseInt(ports[0]), Integer.parseInt(ports[1])});
        }
        Path stateDir = Files.createTempDirectory("mysql-resync-bench-scale-");
        AppConfig config = config(nodes, pairs, "jdbc:h2:file:" + stateDir.resolve("state") + ";AUTO_SERVER=TRUE");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        TimedNotifier notifier = TimedNotifier.silent();
        try (BotApplication app = BotApplication.create(config)) {
            // -Dbench.childFlags=-Dbench.metrics=true: the metrics as run mode has them, scraped
            // every 15 s as a Prometheus would; the cost of metrics is this run against one without.
            io.mysqlresync.metrics.PrometheusMetrics metrics = null;
            if (Boolean.getBoolean("bench.metrics")) {
                metrics = new io.mysqlresync.metrics.PrometheusMetrics(java.time.Clock.systemUTC());
                app.measure(metrics);
                io.mysqlresync.metrics.PrometheusMetrics m = metrics;
                Thread scraper = new Thread(() -> {
                    while (true) {
                        Bench.sleep(Duration.ofSeconds(15));
                        String scrape = m.scrape();
                        System.out.println("scrape: " + scrape.length() + " bytes, "
                                + scrape.lines().filter(l -> !l.startsWith("#")).count() + " samples");
                    }
                }, "bench-scraper");
                scraper.setDaemon(true);
                scraper.start();
            }
            String tuning = System.getProperty("bench.quartzTuning", "");
            if (tuning.isBlank()) {
                app.startScheduler(notifier); // as run mode does
            } else if (tuning.equals("ram")) {
                // Diagnosis only: Quartz's in-memory job store (as the console mode uses), the floor
                // of what the monitoring costs without the JDBC job store.
                System.out.println("DIAGNOSIS RUN: Quartz RAMJobStore");
                app.startScheduler(notifier, io.mysqlresync.schedule.ResyncScheduler.inMemory("bench", 4));
            } else {
                // Diagnosis only: the state database's Quartz properties with some overridden.
                java.lang.reflect.Field db = BotApplication.class.getDeclaredField("database");
                db.setAccessible(true);
                java.util.Properties quartz = ((io.mysqlresync.store.StateDatabase) db.get(app)).quartzProperties();
                for (String kv : tuning.split(",")) {
                    String[] parts = kv.split("=", 2);
                    quartz.setProperty(parts[0], parts[1]);
                }
                System.out.println("DIAGNOSIS RUN: Quartz properties overridden: " + tuning);
                app.startScheduler(notifier, quartz);
            }
            Bench.sleep(Duration.ofSeconds(warmup));
            long reads0 = nodeReads(pairs);
            long cpu0 = os.getProcessCpuTime();
            long gc0 = gcMillis();
            long wall0 = System.nanoTime();
            double rssMax = 0;
            long end = wall0 + Duration.ofSeconds(window).toNanos();
            while (System.nanoTime() < end) {
                Bench.sleep(Duration.ofSeconds(1));
                rssMax = Math.max(rssMax, rssMb());
            }
            long cpu = os.getProcessCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            long gc = gcMillis() - gc0;
            long reads = nodeReads(pairs) - reads0;
            double rssEnd = rssMb();
            double heapEnd = memory.getHeapMemoryUsage().getUsed() / 1048576.0;
            double heapCommitted = memory.getHeapMemoryUsage().getCommitted() / 1048576.0;
            double nonHeap = memory.getNonHeapMemoryUsage().getCommitted() / 1048576.0;
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            System.gc();
            double heapAfterGc = memory.getHeapMemoryUsage().getUsed() / 1048576.0;
            if (Boolean.getBoolean("bench.memoryDetail")) {
                printDiagnosticCommand("gcClassHistogram", 28);
                printDiagnosticCommand("vmNativeMemory", 60, "summary");
            }
            long due = (long) nodes * wall / POLL.toNanos();
            String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                    .reduce((a, b) -> a + "+" + b).orElse("?");
            System.out.printf(Locale.ROOT, "RESULT nodes=%d cpu=%.2f cpuMsPerRead=%.4f rssMax=%.0f rssEnd=%.0f heapEnd=%.0f "
                            + "heapAfterGc=%.0f heapCommitted=%.0f nonHeap=%.0f gcMs=%d threads=%d reads=%d due=%d alerts=%d load=%s flags=%s%n",
                    nodes, 100.0 * cpu / wall, reads == 0 ? 0 : cpu / 1e6 / reads, rssMax, rssEnd, heapEnd, heapAfterGc,
                    heapCommitted, nonHeap, gc, threads, reads, due, notifier.opened().size(), Bench.loadAverage().split(" ")[0],
                    String.join(",", ManagementFactory.getRuntimeMXBean().getInputArguments()) + "," + gcs.replace(' ', '_'));
        }
        // Non-daemon threads (Hikari, H2) would keep the JVM alive.
        System.exit(0);
    }

    /**
     * The default configuration (through ConfigLoader) with the poll at 5 s, and {@code nodes/2}
     * clusters, cluster i being real pair i mod 5 under the name c&lt;i&gt;. Built as values:
     * ConfigLoader rightly refuses one host:port configured twice.
     */
    static AppConfig config(int nodes, List<int[]> pairs, String stateUrl) {
        String yaml = """
                monitor:
                  pollInterval: %ds
                state:
                  jdbcUrl: %s
                clusters:
                  - name: template
                    user: %s
                    password: %s
                    nodes:
                      - {name: node1, host: 127.0.0.1, port: %d}
                      - {name: node2, host: 127.0.0.1, port: %d}
                """.formatted(POLL.toSeconds(), stateUrl, Account.BOT.user(), Account.BOT.password(),
                pairs.get(0)[0], pairs.get(0)[1]);
        AppConfig base = new ConfigLoader(name -> null).parse(yaml);
        ClusterConfig t = base.clusters().get(0);
        List<ClusterConfig> clusters = new ArrayList<>();
        for (int i = 0; i < nodes / 2; i++) {
            int[] pair = pairs.get(i % pairs.size());
            clusters.add(new ClusterConfig(String.format("c%04d", i), t.user(), t.password(), t.connectTimeout(),
                    t.readTimeout(), List.of(new NodeConfig("node1", "127.0.0.1", pair[0], null),
                    new NodeConfig("node2", "127.0.0.1", pair[1], null))));
        }
        return new AppConfig(base.slack(), base.approvals(), base.monitor(), base.state(), clusters);
    }

    /** Node reads the servers answered so far: each read runs SHOW BINARY LOGS once. */
    static long nodeReads(List<int[]> pairs) throws SQLException {
        long sum = 0;
        for (int[] pair : pairs) {
            for (int port : pair) {
                String url = "jdbc:mysql://127.0.0.1:" + port + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true";
                try (Connection c = DriverManager.getConnection(url, Account.ROOT.user(), Account.ROOT.password());
                     Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_show_binlogs'")) {
                    rs.next();
                    sum += rs.getLong(2);
                }
            }
        }
        return sum;
    }

    /** A jcmd command run in this JVM (through the DiagnosticCommand MBean); its first lines printed. */
    static void printDiagnosticCommand(String operation, int lines, String... args) {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                    new Object[] {args}, new String[] {String[].class.getName()});
            String[] all = String.valueOf(out).split("\n");
            for (int i = 0; i < Math.min(lines, all.length); i++) System.out.println(operation + ": " + all[i]);
        } catch (Exception e) {
            System.out.println(operation + ": " + e);
        }
    }

    static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return Double.NaN;
    }

    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }
}
