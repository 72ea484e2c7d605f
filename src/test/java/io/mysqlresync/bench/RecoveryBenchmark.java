package io.mysqlresync.bench;

import io.mysqlresync.app.Main;
import io.mysqlresync.app.BotApplication;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.incident.ApprovalOutcome;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark 3a: Approve to replication running again, on a real broken pair, through
 * {@link ResyncService#approve} as the Approve button calls it (the bot wired by
 * {@link BotApplication}: plan re-checked against the servers, statements run, audit written to
 * H2). Measured from the call to both nodes showing {@code Slave_IO_Running: Yes} and
 * {@code Slave_SQL_Running: Yes}, watched on a held root connection per node every 2 ms.
 *
 * <p>Two breaks: the seed incident (node1's relay log torn, node1's binlog tail lost: 6
 * statements) and an operator's STOP SLAVE on both nodes (2 statements).
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) io.mysqlresync.bench.RecoveryBenchmark [seed-runs] [stop-runs]
 * </pre>
 */
public final class RecoveryBenchmark {

    record Run(String incident, double approveMs, double runningMs, int statements) {
    }

    public static void main(String[] args) throws Exception {
        int seedRuns = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int stopRuns = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.setProperty(Main.LOG_LEVEL_PROPERTY, "warn");
        Bench.header("Approve to replication running (benchmark 3a)");
        List<Run> runs = new ArrayList<>();
        try (LocalPair pair = LocalPair.start()) {
            AppConfig config = Bench.config("shop", pair, Bench.memoryState("recovery"), null);
            try (BotApplication app = BotApplication.create(config)) {
                ResyncService service = app.service();
                Bench.awaitQuietMachine(1.5, Duration.ofMinutes(3));
                // Interleaved, so a slow spell of the shared machine does not land on one kind only.
                List<Boolean> order = new ArrayList<>();
                for (int i = 0; i < Math.max(seedRuns, stopRuns); i++) {
                    if (i < seedRuns) order.add(true);
                    if (i < stopRuns) order.add(false);
                }
                for (boolean seed : order) {
                    pair.reset();
                    String incident;
                    if (seed) {
                        pair.reproduceSeedIncident();
                        incident = "seed incident (torn relay log + lost binlog tail)";
                    } else {
                        pair.stopReplicationByOperator(Node.NODE1);
                        pair.stopReplicationByOperator(Node.NODE2);
                        incident = "STOP SLAVE on both nodes";
                    }
                    runs.add(approve(pair, service, incident));
                    Run r = runs.get(runs.size() - 1);
                    System.out.printf(Locale.ROOT, "# run %2d %-50s approve() %6.0f ms, both threads Yes %6.0f ms (%d statements)%n",
                            runs.size(), r.incident(), r.approveMs(), r.runningMs(), r.statements());
                }
            }
        }
        System.out.println();
        System.out.println("| incident | runs | statements | approve() returns p50 ms | p95 ms | both threads Yes p50 ms | p95 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        Map<String, List<Run>> by = new LinkedHashMap<>();
        for (Run r : runs) by.computeIfAbsent(r.incident(), k -> new ArrayList<>()).add(r);
        by.forEach((incident, rs) -> {
            List<Double> approve = rs.stream().map(Run::approveMs).toList();
            List<Double> running = rs.stream().map(Run::runningMs).toList();
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %.0f | %.0f | %.0f | %.0f |%n", incident, rs.size(),
                    rs.get(0).statements(), Bench.median(approve), Bench.percentile(approve, 95), Bench.median(running),
                    Bench.percentile(running, 95), Bench.max(running));
        });
        System.out.println("# load average at end: " + Bench.loadAverage());
        System.exit(0);
    }

    static Run approve(LocalPair pair, ResyncService service, String incident) throws Exception {
        // In the running bot the monitor reads the pair every 2 s; without it, the bot's connection
        // to a node killed by the incident is still held, and its first read after the restart
        // reports the node unreachable (see BENCHMARKS.md). One read here stands for the monitor's.
        service.diagnose("shop");
        ProposedPlan plan = service.propose("shop", Bench.REQUESTER, Bench.OPS);
        try (Connection c1 = pair.node1().connect(); Connection c2 = pair.node2().connect()) {
            long t0 = System.nanoTime();
            ApprovalOutcome outcome = service.approve(plan.id(), Planner.RESYNC, Bench.APPROVER, false, o -> { });
            long t1 = System.nanoTime();
            if (outcome.kind() != ApprovalOutcome.Kind.EXECUTED) {
                throw new IllegalStateException(incident + ": approval " + outcome.kind() + ": " + outcome.message()
                        + "; diagnosis: " + plan.plan().diagnosis().findings() + "; options: " + plan.plan().options());
            }
            long deadline = t1 + Duration.ofSeconds(60).toNanos();
            while (!(Bench.bothThreadsRunning(status(c1)) && Bench.bothThreadsRunning(status(c2)))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(incident + ": replication not running 60 s after approval: "
                            + status(c1) + " / " + status(c2));
                }
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            }
            long t2 = System.nanoTime();
            return new Run(incident, Bench.millis(t1 - t0), Bench.millis(t2 - t0), outcome.report().outcomes().size());
        }
    }

    /** SHOW SLAVE STATUS on a held connection: a fresh connection per look would cost more than the look. */
    static Map<String, String> status(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            Map<String, String> row = new LinkedHashMap<>();
            if (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
                }
            }
            return row;
        }
    }
}
