package io.mysqlresync.bench;

import io.mysqlresync.testsupport.RealBot;
import io.mysqlresync.testsupport.ReplicaProbes.ShardPoll;
import io.mysqlresync.app.Main;
import io.mysqlresync.incident.MonitorShards;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.testsupport.slack.FakeSlack;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.mysqlresync.testsupport.ReplicaProbes.alerts;
import static io.mysqlresync.testsupport.ReplicaProbes.alertsRecorded;
import static io.mysqlresync.testsupport.ReplicaProbes.clears;
import static io.mysqlresync.testsupport.ReplicaProbes.cpuTicks;
import static io.mysqlresync.testsupport.ReplicaProbes.rssMb;
import static io.mysqlresync.testsupport.ReplicaProbes.shardPolls;
import java.util.stream.Collectors;

/**
 * Benchmark 7: the monitor's shards over three replicas at 3,000 nodes.
 *
 * <p>Three real bot processes ({@code java -Xmx512m … Main --config … run}, as
 * {@code ShardedReplicasTest} starts them, Slack through {@link FakeSlack}) share one sandbox
 * MariaDB state database (clustered Quartz job store). 1,500 clusters of two nodes are spread,
 * as benchmark 4 does it, over five real pairs (ten {@code mariadbd}) under many cluster names;
 * twelve more clusters (the "canary" clusters) are a sixth pair, which is broken at the end to
 * count alerts. The configuration goes through {@code ConfigLoader}, which refuses one host:port
 * twice, so each server's 127.0.0.1 is spelled differently per cluster (leading zeros, which
 * Java reads as decimal: 127.0.00.001 is 127.0.0.1).
 *
 * <p>After a warm-up it measures over a window: shard polls per replica (sampled from the state
 * database's {@code resync_shard_poll}), node reads per replica (each replica's own
 * {@code /metrics}: {@code mysql_resync_node_read_duration_seconds_count}, which run mode always
 * has), node reads the servers answered ({@code Com_show_binlogs}, one per read) against those
 * due, CPU and RSS per replica (/proc), connections per monitored server (the bot user's rows in
 * the process list) and per replica (its sockets to the servers, /proc), the state database's
 * statements per second ({@code Questions} and {@code Com_*}, less this program's own). Then it
 * breaks the canary pair, waits until every canary alert is posted and recorded, SIGKILLs the
 * replica holding the most shards and measures the time until its shards, then every shard, are
 * polled again by the survivors; heals the pair and counts alerts and all-clears per canary
 * cluster (exactly one each) and the "monitoring gap" messages.
 *
 * <pre>
 * java -cp "$CP" io.mysqlresync.bench.ShardScaleBenchmark [nodes=3000] [shards=12] [window-s=60] [warmup-s=90]
 * </pre>
 * {@code -Dbench.replicaFlags="-Xmx512m"} sets the replicas' JVM flags (default {@code -Xmx512m}).
 */
public final class ShardScaleBenchmark {

    static final Duration POLL = Duration.ofSeconds(5);
    static final int REPLICAS = 3;
    static final int PAIRS = 5;
    static final int CANARIES = 12;
    static final String METRIC_READS = "mysql_resync_node_read_duration_seconds_count";

    record Replica(String name, Process process, int httpPort, Path log) {
        long pid() {
            return process.pid();
        }
    }


    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int shards = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 90;
        String replicaFlags = System.getProperty("bench.replicaFlags", "-Xmx512m");
        System.setProperty(Main.LOG_LEVEL_PROPERTY, "warn");
        Bench.header("Monitor shards over three replicas (benchmark 7)");
        System.out.printf("# %d nodes (%d clusters + %d canary clusters), %d shards, poll %d s, replicas: java %s%n",
                nodes, nodes / 2 - CANARIES, CANARIES, shards, POLL.toSeconds(), replicaFlags);
        List<LocalPair> pairs = new ArrayList<>();
        List<Replica> replicas = new ArrayList<>();
        Path dir = Files.createTempDirectory("mysql-resync-bench-shards-");
        try (LocalServer state = LocalServer.start("shard-state", 990, 1, 1, List.of("--max-connections=500"));
             FakeSlack slack = FakeSlack.start()) {
            try {
                run(state, slack, pairs, replicas, dir, nodes, shards, window, warmup, replicaFlags);
            } finally {
                // Before the state database and Slack go: a replica without them only logs errors.
                for (Replica r : replicas) {
                    r.process().destroyForcibly();
                    r.process().waitFor();
                }
            }
        } finally {
            for (LocalPair p : pairs) {
                p.close();
            }
        }
        System.exit(0);
    }

    static void run(LocalServer state, FakeSlack slack, List<LocalPair> pairs, List<Replica> replicas, Path dir, int nodes,
                    int shards, int window, int warmup, String replicaFlags) throws Exception {
        // Every replica may hold a connection to every node (shards move): the servers' default 151 is too few.
        List<String> serverOptions = List.of("--max-connections=" + (nodes * REPLICAS / PAIRS + 200));
        long t = System.nanoTime();
        for (int i = 0; i <= PAIRS; i++) {
            pairs.add(LocalPair.start(ReplicationMode.FILE_POS, serverOptions, serverOptions));
        }
        System.out.printf("# %d pairs started in %.0f s%n", pairs.size(), Bench.millis(System.nanoTime() - t) / 1000);
        LocalPair canary = pairs.get(PAIRS);
        String db = "resync_bench";
        state.execute("CREATE DATABASE " + db);
        String stateUrl = "jdbc:mysql://" + state.host() + ":" + state.port() + "/" + db;
        List<String> clusters = new ArrayList<>();
        List<String> canaries = new ArrayList<>();
        String clusterYaml = clusters(nodes / 2, pairs, clusters, canaries);
        String load = Bench.awaitQuietMachine(1.5, Duration.ofSeconds(Long.getLong("bench.quietWaitSeconds", 180)));

        for (String name : List.of("a", "b", "c")) {
            int http = freePort();
            Path config = dir.resolve("replica-" + name + ".yaml");
            Files.writeString(config, yaml(slack, shards, http, state, db) + clusterYaml);
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(List.of(replicaFlags.trim().split("\\s+")));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "--config", config.toString(), "run"));
            Path log = dir.resolve("replica-" + name + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            replicas.add(new Replica(name, p, http, log));
        }
        System.out.println("# replicas' logs in " + dir);
        // Each replica first opens and closes a connection to every node, one after the other (the
        // state database guard): a minute or more at 3,000 nodes on a busy machine.
        slack.awaitConnections(REPLICAS, Duration.ofSeconds(360));
        if (!Bench.await(Duration.ofSeconds(300), Duration.ofMillis(500), () -> {
            Map<Integer, ShardPoll> now = shardPolls(stateUrl);
            return now.size() == shards && now.values().stream().allMatch(p -> p.polls() >= 2);
        })) {
            throw new IllegalStateException("not every shard polled twice within 5 min: " + new TreeMap<>(shardPolls(stateUrl))
                    + "; see " + dir);
        }
        System.out.printf("# every shard polled; warm-up %d s%n", warmup);
        long warmEnd = System.nanoTime() + Duration.ofSeconds(warmup).toNanos();
        while (System.nanoTime() < warmEnd) {
            Bench.sleep(Duration.ofSeconds(15));
            System.out.printf("#   warm-up: bot connections per server %s, load %s%n", botConnections(pairs),
                    Bench.loadAverage());
        }

        // ---------------------------------------------------------------- the window
        Map<String, String> result = new LinkedHashMap<>();
        String loadStart = Bench.loadAverage();
        Window w = measure(replicas, pairs, state, stateUrl, window, shards, clusters);
        String loadEnd = Bench.loadAverage();

        // ---------------------------------------------------------------- kill one replica
        canary.stopSqlThread(Node.NODE1);
        boolean alerted = Bench.await(Duration.ofSeconds(60), Duration.ofMillis(200),
                () -> alertsRecorded(stateUrl) == canaries.size() && alerts(slack, Bench.INCIDENTS, canaries).size() == canaries.size());
        Map<Integer, ShardPoll> atKill = shardPolls(stateUrl);
        String victim = atKill.values().stream().collect(Collectors.groupingBy(ShardPoll::instance,
                Collectors.counting())).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        long victimPid = Long.parseLong(victim.substring(victim.indexOf('/') + 1));
        Set<Integer> orphaned = atKill.entrySet().stream().filter(e -> e.getValue().instance().equals(victim))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(java.util.TreeSet::new));
        Instant killedAt = Instant.now();
        long k0 = System.nanoTime();
        Bench.signal("KILL", victimPid);
        Bench.await(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
            Map<Integer, ShardPoll> now = shardPolls(stateUrl);
            return orphaned.stream().allMatch(s -> now.get(s).start().isAfter(killedAt)
                    && !now.get(s).instance().equals(victim));
        });
        long orphanedMs = (System.nanoTime() - k0) / 1_000_000;
        boolean all = Bench.await(Duration.ofSeconds(60), Duration.ofMillis(100), () -> shardPolls(stateUrl).values()
                .stream().allMatch(p -> p.start().isAfter(killedAt) && !p.instance().equals(victim)));
        long allMs = (System.nanoTime() - k0) / 1_000_000;
        System.out.printf("# replica %s SIGKILLed holding shards %s (canary alerts posted and recorded first: %s): "
                + "its shards polled again by the others after %d ms, every shard after %d ms%s%n", victim, orphaned,
                alerted, orphanedMs, allMs, all ? "" : " (NOT within 60 s)");
        canary.startSqlThread(Node.NODE1);
        boolean cleared = Bench.await(Duration.ofSeconds(60), Duration.ofMillis(200),
                () -> canaries.stream().allMatch(c -> clears(slack, c) >= 1));
        Bench.sleep(POLL.multipliedBy(3));
        Map<String, Long> alerts = alerts(slack, Bench.INCIDENTS, canaries);
        long doubles = alerts.values().stream().filter(n -> n > 1).count();
        long gapMessages = slack.calls("chat.postMessage").stream()
                .filter(c -> String.valueOf(c.param("text")).startsWith("Monitoring gap")).count();
        System.out.printf("# canary alerts per cluster %s; all-clears %s (all within 60 s: %s); monitoring gap messages %d%n",
                alerts, canaries.stream().collect(Collectors.toMap(c -> c, c -> clears(slack, c), (a, b) -> a, TreeMap::new)),
                cleared, gapMessages);

        // ---------------------------------------------------------------- the table
        double seconds = w.wallNanos / 1e9;
        long due = Math.round(nodes * seconds / POLL.toSeconds());
        System.out.println();
        System.out.println("| replica | shard polls (share) | nodes of the shards polled (share) | node reads/s by its /metrics | CPU % of one core | RSS MB max / end | heap used MB (end) | sockets to monitored servers |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        long allPolls = w.pollsByInstance.values().stream().mapToLong(Long::longValue).sum();
        long allReads = w.nodesByInstance.values().stream().mapToLong(Long::longValue).sum();
        double metricReads = replicas.stream().mapToDouble(r -> w.readsByReplica.get(r.name()) / w.scrapeSeconds.get(r.name())).sum();
        for (Replica r : replicas) {
            String instance = w.instanceOf(r);
            long polls = w.pollsByInstance.getOrDefault(instance, 0L);
            long reads = w.nodesByInstance.getOrDefault(instance, 0L);
            System.out.printf(Locale.ROOT, "| %s%s | %d (%.0f %%) | %d (%.0f %%) | %.1f | %.1f | %.0f / %.0f | %.0f | %d |%n",
                    r.name(), r.pid() == victimPid ? " (killed after the window)" : "", polls, 100.0 * polls / allPolls,
                    reads, 100.0 * reads / allReads, w.readsByReplica.get(r.name()) / w.scrapeSeconds.get(r.name()), w.cpu.get(r.name()), w.rssMax.get(r.name()), w.rssEnd.get(r.name()),
                    w.heap.get(r.name()), w.sockets.get(r.name()));
        }
        System.out.println();
        System.out.println("| figure | measured |");
        System.out.println("|---|---|");
        row("nodes (clusters), shards, poll", "%d (%d), %d, %d s", nodes, nodes / 2, shards, POLL.toSeconds());
        row("window; load average at start / end", "%.0f s; %s / %s (before the replicas started: %s)", seconds,
                loadStart, loadEnd, load);
        row("node reads: answered by the servers (Com_show_binlogs) / due / nodes of the shards polled", "%d / %d / %d",
                w.serverReads, due, allReads);
        row("node reads/s: servers / the replicas' /metrics together", "%.1f / %.1f", w.serverReads / seconds, metricReads);
        row("CPU of the three replicas together, % of one core", "%.1f (%.2f ms per node read polled)",
                w.cpu.values().stream().mapToDouble(Double::doubleValue).sum(),
                w.cpu.values().stream().mapToDouble(Double::doubleValue).sum() * 10 * seconds / Math.max(1, w.serverReads));
        row("CPU of the ten monitored servers together, % of one core", "%.1f", w.serversCpu);
        row("bot connections per monitored server (process list) at the end", "%s (configured nodes per server: %s)",
                w.connections, nodesPerServer(pairs));
        row("connections opened to the monitored servers per second (servers' Connections)", "%.1f",
                w.connectsOpened / seconds);
        row("state database: statements/s (Questions, less this program's own)", "%.1f", w.stateQuestions / seconds);
        row("state database: Com_select / insert / update / delete / commit per s", "%s", w.stateCom.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%.1f", e.getValue() / seconds)).collect(Collectors.joining(" / ")));
        row("state database: mariadbd CPU, % of one core; connections", "%.1f; %d", w.stateCpu, w.stateConnections);
        row("SIGKILL to the killed replica's shards polled again by the others", "%d ms (shards %s)", orphanedMs, orphaned);
        row("SIGKILL to every shard polled again", "%d ms", allMs);
        row("canary incident alerts per cluster (12 clusters); double alerts", "%s; %d",
                alerts.values().stream().map(String::valueOf).collect(Collectors.joining(",")), doubles);
        row("monitoring gap messages", "%d", gapMessages);
    }

    private static void row(String figure, String format, Object... args) {
        System.out.println("| " + figure + " | " + String.format(Locale.ROOT, format, args) + " |");
    }

    // ------------------------------------------------------------------ the window

    static final class Window {
        long wallNanos;
        final Map<String, Long> pollsByInstance = new TreeMap<>();
        /** Nodes of the shards each instance polled: the node reads it started. */
        final Map<String, Long> nodesByInstance = new TreeMap<>();
        /** Node reads by the replica's own metrics, and the seconds between its two scrapes. */
        final Map<String, Long> readsByReplica = new TreeMap<>();
        final Map<String, Double> scrapeSeconds = new TreeMap<>();
        final Map<String, Double> cpu = new TreeMap<>();
        final Map<String, Double> rssMax = new TreeMap<>();
        final Map<String, Double> rssEnd = new TreeMap<>();
        final Map<String, Double> heap = new TreeMap<>();
        final Map<String, Integer> sockets = new TreeMap<>();
        final Map<String, Long> stateCom = new LinkedHashMap<>();
        long serverReads;
        long connectsOpened;
        double serversCpu;
        double stateCpu;
        long stateQuestions;
        int stateConnections;
        List<Integer> connections;

        String instanceOf(Replica r) {
            return pollsByInstance.keySet().stream().filter(i -> i.endsWith("/" + r.pid())).findFirst().orElse("?/" + r.pid());
        }
    }

    static final List<String> COM = List.of("Com_select", "Com_insert", "Com_update", "Com_delete", "Com_commit");

    static Window measure(List<Replica> replicas, List<LocalPair> pairs, LocalServer state, String stateUrl, int window,
                          int shards, List<String> clusters) throws Exception {
        Window w = new Window();
        List<LocalServer> servers = servers(pairs);
        try (Connection sc = DriverManager.getConnection(stateUrl, Account.ROOT.user(), Account.ROOT.password())) {
            long own = 0;
            Map<Integer, Integer> nodesOfShard = new HashMap<>();
            clusters.forEach(c -> nodesOfShard.merge(MonitorShards.of(c, shards), 2, Integer::sum));
            Map<String, Long> reads0 = new HashMap<>();
            Map<String, Long> scraped0 = new HashMap<>();
            for (Replica r : replicas) {
                reads0.put(r.name(), sum(scrape(r), METRIC_READS));
                scraped0.put(r.name(), System.nanoTime());
            }
            long served0 = serverReads(servers);
            long connects0 = serverStatus(servers, "Connections");
            Map<String, Long> status0 = status(sc);
            own++;
            Map<Integer, ShardPoll> last = shardPolls(sc);
            own++;
            Map<String, Long> cpu0 = new HashMap<>();
            replicas.forEach(r -> cpu0.put(r.name(), cpuTicks(r.pid())));
            long serversCpu0 = servers.stream().mapToLong(s -> cpuTicks(s.pid())).sum();
            long stateCpu0 = cpuTicks(state.pid());
            long t0 = System.nanoTime();
            long end = t0 + Duration.ofSeconds(window).toNanos();
            long nextRss = t0;
            while (System.nanoTime() < end) {
                Bench.sleep(Duration.ofMillis(250));
                // A shard is polled once per interval (5 s): sampled every 250 ms, each poll is seen with its replica.
                Map<Integer, ShardPoll> now = shardPolls(sc);
                own++;
                for (Map.Entry<Integer, ShardPoll> e : now.entrySet()) {
                    ShardPoll before = last.get(e.getKey());
                    long polls = e.getValue().polls() - (before == null ? 0 : before.polls());
                    if (polls > 0) {
                        w.pollsByInstance.merge(e.getValue().instance(), polls, Long::sum);
                        w.nodesByInstance.merge(e.getValue().instance(), polls * nodesOfShard.get(e.getKey()), Long::sum);
                    }
                }
                last = now;
                if (System.nanoTime() >= nextRss) {
                    for (Replica r : replicas) {
                        w.rssMax.merge(r.name(), rssMb(r.pid()), Math::max);
                    }
                    nextRss += 1_000_000_000L;
                }
            }
            w.wallNanos = System.nanoTime() - t0;
            double ticksPerCore = w.wallNanos / 1e9 * 100; // clock ticks: 100 a second
            replicas.forEach(r -> w.cpu.put(r.name(), (cpuTicks(r.pid()) - cpu0.get(r.name())) * 100.0 / ticksPerCore));
            w.serversCpu = (servers.stream().mapToLong(s -> cpuTicks(s.pid())).sum() - serversCpu0) * 100.0 / ticksPerCore;
            w.stateCpu = (cpuTicks(state.pid()) - stateCpu0) * 100.0 / ticksPerCore;
            w.serverReads = serverReads(servers) - served0;
            // Less this program's own: one connection per server for each of these two reads.
            w.connectsOpened = serverStatus(servers, "Connections") - connects0 - 2L * servers.size();
            Map<String, Long> status1 = status(sc);
            w.stateQuestions = status1.get("Questions") - status0.get("Questions") - own;
            // Our own SELECTs of resync_shard_poll, less the first (before the window).
            for (String com : COM) {
                w.stateCom.put(com, status1.get(com) - status0.get(com) - (com.equals("Com_select") ? own - 1 : 0));
            }
            w.stateConnections = status1.get("Threads_connected").intValue();
            // Last: a scrape of 3,000 nodes' meters takes seconds on a busy machine.
            for (Replica r : replicas) {
                w.readsByReplica.put(r.name(), sum(scrape(r), METRIC_READS) - reads0.get(r.name()));
                w.scrapeSeconds.put(r.name(), (System.nanoTime() - scraped0.get(r.name())) / 1e9);
            }
            Map<Long, Integer> socketsByPid = socketsTo(replicas, servers);
            for (Replica r : replicas) {
                w.rssEnd.put(r.name(), rssMb(r.pid()));
                w.sockets.put(r.name(), socketsByPid.getOrDefault(r.pid(), 0));
                String metrics = scrape(r);
                w.heap.put(r.name(), sum(metrics, "jvm_memory_used_bytes{area=\"heap\"") / 1048576.0);
            }
            w.connections = botConnections(pairs);
        }
        for (Replica r : replicas) {
            System.out.printf(Locale.ROOT, "# replica %s (pid %d, %s): shard polls %d (%d nodes), node reads by its metrics %d "
                            + "in %.1f s between scrapes (%.1f/s), CPU %.1f %%, RSS max %.0f MB%n",
                    r.name(), r.pid(), w.instanceOf(r), w.pollsByInstance.getOrDefault(w.instanceOf(r), 0L),
                    w.nodesByInstance.getOrDefault(w.instanceOf(r), 0L), w.readsByReplica.get(r.name()),
                    w.scrapeSeconds.get(r.name()), w.readsByReplica.get(r.name()) / w.scrapeSeconds.get(r.name()),
                    w.cpu.get(r.name()), w.rssMax.get(r.name()));
        }
        Map<Integer, Integer> perShard = new TreeMap<>();
        clusters.forEach(c -> perShard.merge(MonitorShards.of(c, shards), 2, Integer::sum));
        System.out.println("# nodes per shard: " + perShard.values());
        return w;
    }

    // ------------------------------------------------------------------ configuration

    /**
     * The clusters' YAML: cluster i is pair i mod 5 under the name c&lt;i&gt;, except every
     * 125th, a canary on the sixth pair. Each server's address is spelled once per cluster.
     */
    static String clusters(int count, List<LocalPair> pairs, List<String> names, List<String> canaries) {
        Map<Integer, Integer> spellings = new HashMap<>();
        StringBuilder yaml = new StringBuilder();
        int every = count / CANARIES;
        for (int i = 0; i < count; i++) {
            String name = String.format("c%04d", i);
            boolean canary = i % every == 0 && canaries.size() < CANARIES;
            LocalPair pair = canary ? pairs.get(PAIRS) : pairs.get(i % PAIRS);
            (canary ? canaries : names).add(name);
            int p1 = pair.node1().port();
            int p2 = pair.node2().port();
            yaml.append(RealBot.Config.cluster(name, loopback(spellings.merge(p1, 1, Integer::sum) - 1), p1,
                    loopback(spellings.merge(p2, 1, Integer::sum) - 1), p2));
        }
        names.addAll(canaries);
        NODES_PER_PORT.putAll(spellings);
        return yaml.toString();
    }

    /**
     * Spellings of 127.0.0.1 that Java reads as that address: the dotted forms with four, three
     * and two parts and the plain number, with leading zeros (decimal to Java), at most 15
     * characters (a longer one is no IPv4 literal to Java; the system resolver would then read a
     * leading 0 as octal: 0127 is 87). 447 of them, each checked.
     */
    static final List<String> LOOPBACK = loopbackSpellings();

    static String loopback(int j) {
        if (j >= LOOPBACK.size()) {
            throw new IllegalArgumentException("more than " + LOOPBACK.size() + " nodes on one server: add pairs");
        }
        return LOOPBACK.get(j);
    }

    private static List<String> loopbackSpellings() {
        List<String> out = new ArrayList<>();
        for (String[] form : List.of(new String[] {"127", "0", "0", "1"}, new String[] {"127", "0", "1"},
                new String[] {"127", "1"}, new String[] {"2130706433"})) {
            int room = 15 - String.join(".", form).length();
            // Leading zeros per part, as the digits of j in base room + 1.
            for (int j = 0; j < Math.pow(room + 1, form.length); j++) {
                StringBuilder spelled = new StringBuilder();
                int zeros = 0;
                for (int k = 0, x = j; k < form.length; k++, x /= room + 1) {
                    int z = x % (room + 1);
                    zeros += z;
                    spelled.append(k == 0 ? "" : ".").append("0".repeat(z)).append(form[k]);
                }
                if (zeros <= room) {
                    out.add(spelled.toString());
                }
            }
        }
        for (String host : out) {
            try {
                if (!java.net.InetAddress.getByName(host).getHostAddress().equals("127.0.0.1")) {
                    throw new IllegalStateException(host + " is not 127.0.0.1 to Java");
                }
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(host + " is not 127.0.0.1 to Java", e);
            }
        }
        return List.copyOf(out);
    }

    static String yaml(FakeSlack slack, int shards, int httpPort, LocalServer state, String db) {
        return """
                slack:
                  botToken: %s
                  appToken: %s
                  apiBaseUrl: %s
                  incidentChannel: %s
                approvals:
                  approvers: [%s]
                monitor:
                  pollInterval: %ds
                  shards: %d
                http:
                  port: %d
                state:
                  jdbcUrl: jdbc:mysql://%s:%d/%s
                  user: %s
                  password: %s
                  clustered: true
                clusters:
                """.formatted(Bench.BOT_TOKEN, Bench.APP_TOKEN, slack.apiBaseUrl(), Bench.INCIDENTS, Bench.APPROVER,
                POLL.toSeconds(), shards, httpPort, state.host(), state.port(), db, Account.ROOT.user(),
                Account.ROOT.password());
    }

    /** Configured nodes per server, in server order (what {@link #clusters} spelled per port). */
    static final Map<Integer, Integer> NODES_PER_PORT = new HashMap<>();

    static List<Integer> nodesPerServer(List<LocalPair> pairs) {
        return servers(pairs).stream().map(s -> NODES_PER_PORT.getOrDefault(s.port(), 0)).toList();
    }

    /** Lines of a log that contain the text. */
    static long count(Path log, String text) {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(text)).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    // ------------------------------------------------------------------ what is measured

    static List<LocalServer> servers(List<LocalPair> pairs) {
        List<LocalServer> out = new ArrayList<>();
        for (LocalPair p : pairs) {
            out.add(p.node1());
            out.add(p.node2());
        }
        return out;
    }

    /** The bot user's connections on each server (the process list), in server order. */
    static List<Integer> botConnections(List<LocalPair> pairs) {
        List<Integer> out = new ArrayList<>();
        for (LocalServer s : servers(pairs)) {
            try {
                out.add(Integer.parseInt(s.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = '"
                        + Account.BOT.user() + "'").get(0).get("n")));
            } catch (SQLException e) {
                out.add(-1);
            }
        }
        return out;
    }

    /** Node reads the servers answered so far: each read runs SHOW BINARY LOGS once. */
    static long serverReads(List<LocalServer> servers) throws SQLException {
        return serverStatus(servers, "Com_show_binlogs");
    }

    /** A global status counter summed over the servers (each read on a connection of its own). */
    static long serverStatus(List<LocalServer> servers, String variable) throws SQLException {
        long sum = 0;
        for (LocalServer s : servers) {
            sum += Long.parseLong(s.query("SHOW GLOBAL STATUS LIKE '" + variable + "'").get(0).get("Value"));
        }
        return sum;
    }

    static Map<String, Long> status(Connection c) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN "
                + "('Questions', 'Threads_connected', 'Com_select', 'Com_insert', 'Com_update', 'Com_delete', 'Com_commit')")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    static String scrape(Replica r) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + r.httpPort() + "/metrics").toURL()
                .openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        try (var in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** The sum of every sample of a metric (all label sets); {@code prefix} may include the start of the labels. */
    static long sum(String scrape, String prefix) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(prefix) && (line.charAt(prefix.length()) == '{' || line.charAt(prefix.length()) == ' '
                    || prefix.endsWith("\""))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Math.round(sum);
    }

    /**
     * Per replica, its TCP sockets whose remote end is one of the monitored servers: the socket
     * inodes in /proc/&lt;pid&gt;/fd matched with /proc/net/tcp{,6}.
     */
    static Map<Long, Integer> socketsTo(List<Replica> replicas, List<LocalServer> servers) {
        Set<Integer> ports = servers.stream().map(LocalServer::port).collect(Collectors.toSet());
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || !f[2].contains(":")) continue;
                    int remotePort = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                    if (ports.contains(remotePort)) inodes.add(f[9]);
                }
            } catch (IOException | RuntimeException e) {
                // no IPv6, say
            }
        }
        Map<Long, Integer> out = new HashMap<>();
        for (Replica r : replicas) {
            int n = 0;
            try (var fds = Files.list(Path.of("/proc/" + r.pid() + "/fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) n++;
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            } catch (IOException e) {
                // gone
            }
            out.put(r.pid(), n);
        }
        return out;
    }
}
