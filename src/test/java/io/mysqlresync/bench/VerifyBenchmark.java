package io.mysqlresync.bench;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.mysql.JdbcDataVerifier;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.sandbox.SandboxCluster;
import io.mysqlresync.sandbox.ShopDrift;
import io.mysqlresync.sandbox.ShopLoad;
import io.mysqlresync.sandbox.ShopSchema;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyOptions;
import io.mysqlresync.verify.VerifyRequest;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Drift verification against pt-table-checksum, side by side in one run on the same pair, the
 * same write load on both masters and the same planted drift: wall time, the load each adds
 * (replication lag, Threads_running, sampled every 100 ms), the bot's memory, and what each found.
 *
 * <pre>java -cp "$CP" io.mysqlresync.bench.VerifyBenchmark [orders=430000] [runs=2] [--no-wait]</pre>
 * {@code orders} sizes {@link ShopSchema}: about 2.33 rows per order over its four tables, so
 * 430,000 orders is about a million rows. Needs pt-table-checksum on the PATH (Debian: percona-toolkit).
 */
public final class VerifyBenchmark {

    private VerifyBenchmark() {
    }

    /** What the sampler saw on both nodes while one tool ran. */
    record Load(long maxLagSeconds, double meanThreadsRunning, int maxThreadsRunning, long maxHeapMb, int samples) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "max lag %d s, Threads_running mean %.1f max %d, peak heap %d MB (%d samples)",
                    maxLagSeconds, meanThreadsRunning, maxThreadsRunning, maxHeapMb, samples);
        }
    }

    /** Samples both nodes' lag and Threads_running, and this JVM's heap, until closed. */
    static final class Sampler implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;
        private long maxLag;
        private long threadsSum;
        private int maxThreads;
        private int samples;
        private long maxHeap;

        Sampler(LocalPair pair) {
            thread = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        for (Node n : Node.values()) {
                            Map<String, String> s = pair.replicaStatus(n).orElse(Map.of());
                            String lag = s.get("Seconds_Behind_Master");
                            synchronized (this) {
                                if (lag != null) maxLag = Math.max(maxLag, Long.parseLong(lag));
                            }
                            int running = Integer.parseInt(pair.server(n)
                                    .query("SHOW GLOBAL STATUS LIKE 'Threads_running'").get(0).get("Value"));
                            synchronized (this) {
                                threadsSum += running;
                                maxThreads = Math.max(maxThreads, running);
                            }
                        }
                        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                        synchronized (this) {
                            samples++;
                            maxHeap = Math.max(maxHeap, heap);
                        }
                        Thread.sleep(100);
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public synchronized void close() {
            stop.set(true);
        }

        synchronized Load load() {
            return new Load(maxLag, samples == 0 ? 0 : (double) threadsSum / (2.0 * samples), maxThreads,
                    maxHeap / (1024 * 1024), samples);
        }
    }

    /** --chunk-ms=N: the chunk time target, to compare targets under load (default: the shipped default). */
    private static long chunkMs = VerifyOptions.defaults().chunkTime().toMillis();

    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 430_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        for (String a : args) {
            if (a.startsWith("--chunk-ms=")) {
                chunkMs = Long.parseLong(a.substring("--chunk-ms=".length()));
            }
        }
        Bench.header("Drift verification: verify against pt-table-checksum, " + orders + " orders, verify chunk time "
                + chunkMs + " ms");
        try (LocalPair pair = LocalPair.start()) {
            long t0 = System.nanoTime();
            ShopSchema.create(pair, orders);
            ShopSchema.grantBotSelect(pair);
            long rows = 0;
            for (String t : List.of("orders", "order_lines", "customers", "audit_log")) {
                rows += Long.parseLong(pair.node1().query("SELECT COUNT(*) AS n FROM shop." + t).get(0).get("n"));
            }
            System.out.printf(Locale.ROOT, "# seeded %,d rows in %.0f s%n", rows, (System.nanoTime() - t0) / 1e9);
            preparePt(pair);
            if (!List.of(args).contains("--no-wait")) {
                Bench.awaitQuietMachine(1.5, Duration.ofMinutes(2));
            }
            try (ShopLoad load = new ShopLoad(pair, orders)) {
                try (Sampler idle = new Sampler(pair)) {
                    Thread.sleep(5000);
                    System.out.println("# write load alone (5 s): " + idle.load());
                }
                // The runs plant drift; one more run plants nothing: false positives show there.
                for (int run = 1; run <= runs + 1; run++) {
                    boolean clean = run > runs;
                    ShopDrift drift = clean ? null : ShopDrift.plant(pair, Node.NODE2, orders, run);
                    Set<String> planted = clean ? Set.of() : drift.keys();
                    Set<String> plantedTables = new TreeSet<>();
                    planted.forEach(k -> plantedTables.add(k.substring(0, k.indexOf(' '))));
                    System.out.println("# run " + run + (clean ? ": nothing planted" : ": " + planted.size() + " rows planted on node2"));
                    System.gc();
                    long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
                    long w0 = load.writes(Node.NODE1) + load.writes(Node.NODE2);
                    long v0 = System.nanoTime();
                    VerificationResult r;
                    Load vLoad;
                    try (Sampler s = new Sampler(pair)) {
                        r = verify(pair);
                        vLoad = s.load();
                    }
                    double vSeconds = (System.nanoTime() - v0) / 1e9;
                    long vWrites = load.writes(Node.NODE1) + load.writes(Node.NODE2) - w0;
                    Set<String> found = new TreeSet<>();
                    for (RowDifference d : r.differences()) {
                        found.add(d.table() + " " + d.key().values());
                    }
                    Set<String> missed = new TreeSet<>(planted);
                    missed.removeAll(found);
                    Set<String> extra = new TreeSet<>(found);
                    extra.removeAll(planted);
                    System.out.printf(Locale.ROOT, "run %d verify: %.1f s, %,d rows (%,.0f rows/s), %d writes meanwhile;"
                                    + " planted %d, found %d, missed %d, false positives %d; verdict %s; %s; heap before %d MB;"
                                    + " VmHWM %s%n", run, vSeconds, r.rowsCompared(), r.rowsCompared() / vSeconds, vWrites,
                            planted.size(), found.size(), missed.size(), extra.size(), r.verdict(), vLoad,
                            heapBefore, vmHwm());
                    for (TableResult t : r.tables()) {
                        System.out.println("#   " + t.summary() + " " + t.notes());
                    }

                    long p0 = System.nanoTime();
                    w0 = load.writes(Node.NODE1) + load.writes(Node.NODE2);
                    PtResult pt;
                    Load pLoad;
                    try (Sampler s = new Sampler(pair)) {
                        pt = ptTableChecksum(pair);
                        pLoad = s.load();
                    }
                    double pSeconds = (System.nanoTime() - p0) / 1e9;
                    long pWrites = load.writes(Node.NODE1) + load.writes(Node.NODE2) - w0;
                    Set<String> ptFlagged = new TreeSet<>();
                    pt.diffs().forEach((table, n) -> {
                        if (n > 0) ptFlagged.add(table);
                    });
                    Set<String> ptFalse = new TreeSet<>(ptFlagged);
                    ptFalse.removeAll(plantedTables);
                    Set<String> ptMissed = new TreeSet<>(plantedTables);
                    ptMissed.removeAll(ptFlagged);
                    System.out.printf(Locale.ROOT, "run %d pt-table-checksum: %.1f s, exit %d, %d writes meanwhile;"
                                    + " tables with planted rows %s, tables it flagged %s (differing chunks %s),"
                                    + " missed tables %s, flagged without drift %s; %s%n", run, pSeconds, pt.exit(), pWrites,
                            plantedTables, ptFlagged, pt.diffs(), ptMissed, ptFalse, pLoad);
                    pt.output().lines().forEach(l -> System.out.println("#   pt: " + l));
                    if (drift != null) {
                        drift.heal();
                    }
                }
                if (load.endedBy(Node.NODE1) != null || load.endedBy(Node.NODE2) != null) {
                    System.out.println("# the write load stopped early: " + load.endedBy(Node.NODE1) + " / "
                            + load.endedBy(Node.NODE2));
                }
            }
        }
    }

    private static VerificationResult verify(LocalPair pair) {
        ClusterConfig cluster = SandboxCluster.of("shop", pair);
        try (NodeConnections connections = new NodeConnections(List.of(cluster))) {
            VerifyOptions d = VerifyOptions.defaults();
            return new JdbcDataVerifier(connections, d.withChunkTime(Duration.ofMillis(chunkMs), d.initialChunkRows()),
                    Clock.systemUTC())
                    .verify("shop", VerifyRequest.of(List.of("shop")), p -> { }, CancelToken.none());
        }
    }

    private static String vmHwm() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .map(l -> l.substring(6).trim()).findFirst().orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }

    record PtResult(int exit, Map<String, Integer> diffs, String output) {
    }

    /**
     * pt-table-checksum finds replicas through a DSN table here: its default (the process list)
     * would try node2 on node1's port. It checksums on node1 and compares on node2 through
     * replication, as designed; root, because it sets binlog_format=STATEMENT for its session.
     */
    private static void preparePt(LocalPair pair) throws Exception {
        LocalServer n2 = pair.node2();
        pair.node1().execute("CREATE DATABASE IF NOT EXISTS percona",
                "CREATE TABLE IF NOT EXISTS percona.dsns (id INT AUTO_INCREMENT PRIMARY KEY, parent_id INT, dsn VARCHAR(255) NOT NULL)",
                "DELETE FROM percona.dsns",
                "INSERT INTO percona.dsns (dsn) VALUES ('h=" + n2.host() + ",P=" + n2.port() + ",u=root,p="
                        + Account.ROOT.password() + "')");
    }

    private static PtResult ptTableChecksum(LocalPair pair) throws Exception {
        LocalServer n1 = pair.node1();
        String dsn = "h=" + n1.host() + ",P=" + n1.port() + ",u=root,p=" + Account.ROOT.password();
        List<String> cmd = new ArrayList<>(List.of("pt-table-checksum", dsn, "--databases", "shop",
                "--recursion-method", "dsn=" + dsn + ",D=percona,t=dsns", "--replicate", "percona.checksums",
                "--no-check-binlog-format", "--no-version-check"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.append(line.replace(Account.ROOT.password(), "***")).append('\n');
            }
        }
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        // TS ERRORS DIFFS ROWS DIFF_ROWS CHUNKS SKIPPED TIME TABLE (3.x); DIFF_ROWS is absent in older ones
        Map<String, Integer> diffs = new TreeMap<>();
        for (String line : out.toString().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 8 && f[f.length - 1].startsWith("shop.") && f[2].matches("\\d+")) {
                diffs.put(f[f.length - 1], Integer.parseInt(f[2]));
            }
        }
        return new PtResult(p.exitValue(), diffs, out.toString());
    }
}
