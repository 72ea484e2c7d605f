package io.mysqlresync.bench;

import io.mysqlresync.incident.RepairOutcome;
import io.mysqlresync.incident.RepairRequest;
import io.mysqlresync.repair.RepairPlanner;
import io.mysqlresync.repair.RowOutcome;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ShopLoad;
import io.mysqlresync.sandbox.ShopSchema;
import io.mysqlresync.testsupport.RepairFixture;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Repair throughput and the time from Approve to "verified identical", for 1 and 1,000 planted
 * rows on a real pair while the shop load writes on both masters (benchmark 7).
 *
 * <pre>
 * java -cp "$CP" io.mysqlresync.bench.RepairBenchmark [orders] [runs]
 * </pre>
 */
public final class RepairBenchmark {

    private RepairBenchmark() {
    }

    /**
     * The shop with its first 20,000 orders as ShopSchema seeds them, then orders up to
     * {@code orders} in 50,000-row statements on a connection without the sandbox's 10 s socket
     * timeout: one statement of a million rows outlasts it on a loaded machine.
     */
    static void seed(LocalPair pair, int orders) throws Exception {
        int first = Math.min(orders, 20_000);
        ShopSchema.create(pair, first);
        String url = pair.node1().jdbcUrl().replace("socketTimeout=10000", "socketTimeout=0");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, io.mysqlresync.sandbox.Account.ROOT.user(),
                io.mysqlresync.sandbox.Account.ROOT.password()); java.sql.Statement s = c.createStatement()) {
            for (int from = first + 1; from <= orders; from += 50_000) {
                int to = Math.min(orders, from + 49_999);
                s.execute("INSERT INTO shop.orders (id, customer, status, amount, note, updated) SELECT s.seq,"
                        + " s.seq % 997, 'new', s.seq / 100, IF(s.seq % 5 = 0, NULL, REPEAT('x', s.seq % 300)),"
                        + " '2026-01-01 00:00:00' FROM shop.seq_" + from + "_to_" + to + " s");
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        while (true) {
            try {
                pair.awaitInSync();
                break;
            } catch (RuntimeException | AssertionError | java.sql.SQLException e) {
                if (System.nanoTime() > deadline) throw e;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Bench.header("Repair: Approve to verified identical (benchmark 7)");
        try (LocalPair pair = LocalPair.start()) {
            long seeding = System.nanoTime();
            seed(pair, orders);
            ShopSchema.grantBotSelect(pair);
            System.out.printf("# seeded %,d orders in %.0f s%n", orders, (System.nanoTime() - seeding) / 1e9);
            RepairFixture.grantRepair(pair);
            System.out.println("# " + pair.rowCount(Node.NODE1) + " rows in the pair's test table; shop.orders: " + orders);
            StringBuilder table = new StringBuilder("| rows | run | statements | repair (s) | rows/s | verify after (s)"
                    + " | Approve to identical (s) | outcome | load 1m |\n|---|---|---|---|---|---|---|---|---|\n");
            for (int rows : new int[] {1, 1_000}) {
                for (int run = 1; run <= runs; run++) {
                    System.out.println("# " + Bench.awaitQuietMachine(1.5, Duration.ofSeconds(60)));
                    try (RepairFixture f = new RepairFixture(pair, Clock.systemUTC(), RepairPlanner.DEFAULT_MAX_ROWS);
                         ShopLoad load = new ShopLoad(pair, orders)) {
                        RepairFixture.plantOrders(pair, Node.NODE2, orders, rows);
                        String verification = f.verify("shop.orders");
                        RepairRequest plan = f.service.propose(verification, "node1", RepairFixture.REQUESTER, "bench");
                        List<Long> applied = new ArrayList<>();
                        long t0 = System.nanoTime();
                        RepairOutcome o = f.service.approve(plan.id(), plan.revision(), RepairFixture.APPROVER, false,
                                r -> applied.add(System.nanoTime()));
                        long t1 = System.nanoTime();
                        double total = (t1 - t0) / 1e9;
                        double repair = applied.isEmpty() ? 0 : (applied.get(applied.size() - 1) - t0) / 1e9;
                        long ok = o.rows().stream().filter(r -> r.result() == RowOutcome.Result.APPLIED).count();
                        String line = String.format("| %,d | %d | %d | %.3f | %,.0f | %.3f | %.3f | %s | %s |", rows, run,
                                ok, repair, ok / Math.max(repair, 1e-9), total - repair, total, o.kind(),
                                Bench.loadAverage());
                        System.out.println(line + "  " + o.message());
                        table.append(line).append('\n');
                        if (load.endedBy(Node.NODE1) != null || load.endedBy(Node.NODE2) != null) {
                            System.out.println("# the write load stopped: replication broke?");
                        }
                        System.out.println("# node1 " + RepairFixture.replicationHealth(pair, Node.NODE1) + "; node2 "
                                + RepairFixture.replicationHealth(pair, Node.NODE2));
                    }
                }
            }
            System.out.println();
            System.out.print(table);
        }
    }
}
