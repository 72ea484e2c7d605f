package io.mysqlresync.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.Secret;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.SandboxCluster;
import io.mysqlresync.sandbox.ShopDrift;
import io.mysqlresync.sandbox.ShopLoad;
import io.mysqlresync.sandbox.ShopSchema;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.InconclusiveReason;
import io.mysqlresync.verify.ProgressListener;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.RowKey;
import io.mysqlresync.verify.TableRef;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyOptions;
import io.mysqlresync.verify.VerifyRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drift verification on a real pair while both masters take writes: planted drift is named row
 * by row and nothing else; no drift is identical every time; conflicting writes are found; and
 * a check that cannot finish never says identical.
 */
@ExtendWith(RealServers.class)
class DriftVerificationTest {

    private static final int ORDERS = 30_000;
    private static final int RUNS = 3;
    private static final VerifyOptions OPTIONS = VerifyOptions.defaults();
    private static boolean seeded;

    @BeforeEach
    void shop(LocalPair pair) throws Exception {
        if (!seeded) {
            ShopSchema.create(pair, ORDERS);
            ShopSchema.grantBotSelect(pair);
            seeded = true;
        }
    }

    private static VerificationResult verify(ClusterConfig cluster, VerifyOptions options, ProgressListener progress,
                                             CancelToken cancel, String... tables) {
        try (NodeConnections connections = new NodeConnections(List.of(cluster))) {
            return new JdbcDataVerifier(connections, options, Clock.systemUTC())
                    .verify(cluster.name(), VerifyRequest.of(List.of(tables)), progress, cancel);
        }
    }

    private static VerificationResult verifyShop(LocalPair pair) {
        return verify(SandboxCluster.of("shop", pair), OPTIONS, ProgressListener.NONE, CancelToken.none(), "shop");
    }

    private static Set<String> found(VerificationResult r) {
        Set<String> out = new TreeSet<>();
        for (RowDifference d : r.differences()) {
            out.add(d.table() + " " + d.key().values());
        }
        return out;
    }

    private static String report(VerificationResult r) {
        return r.headline() + "\n  " + String.join("\n  ", r.tables().stream().map(TableResult::summary).toList());
    }

    private static void assertLoadAlive(ShopLoad load) {
        assertNull(load.endedBy(Node.NODE1), "the write load on node1 failed: replication broke?");
        assertNull(load.endedBy(Node.NODE2), "the write load on node2 failed: replication broke?");
    }

    @Test
    void givenDriftPlantedOnNode2UnderWritesOnBothMasters_verifyNamesExactlyThoseRows(LocalPair pair) throws Exception {
        try (ShopLoad load = new ShopLoad(pair, ORDERS)) {
            for (int run = 1; run <= RUNS; run++) {
                ShopDrift drift = ShopDrift.plant(pair, Node.NODE2, ORDERS, run);
                long writesBefore = load.writes(Node.NODE1) + load.writes(Node.NODE2);
                long t0 = System.nanoTime();
                VerificationResult r = verifyShop(pair);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("planted run %d: %d planted, %d found, %,d rows in %d ms (%,.0f rows/s),"
                                + " %d writes on the masters meanwhile%n%s%n", run, drift.keys().size(), found(r).size(),
                        r.rowsCompared(), ms, r.rowsCompared() * 1000.0 / ms,
                        load.writes(Node.NODE1) + load.writes(Node.NODE2) - writesBefore, report(r));
                assertEquals(drift.keys(), found(r), "run " + run + ": " + report(r));
                assertEquals(TableVerdict.DIFFERS, r.verdict());
                Map<String, TableVerdict> verdicts = new java.util.HashMap<>();
                r.tables().forEach(t -> verdicts.put(t.table().toString(), t.verdict()));
                assertEquals(Map.of("shop.orders", TableVerdict.DIFFERS, "shop.order_lines", TableVerdict.DIFFERS,
                        "shop.customers", TableVerdict.DIFFERS, "shop.audit_log", TableVerdict.IDENTICAL), verdicts);
                RowDifference inserted = r.differences().stream()
                        .filter(d -> d.table().table().equals("orders") && Long.parseLong(d.key().values().get(0)) > 9_000_000)
                        .findFirst().orElseThrow();
                assertEquals(List.of("node1"), inserted.absentOn());
                assertEquals("planted", inserted.valuesByNode().get("node2").get(2));
                drift.heal();
            }
            assertLoadAlive(load);
        }
    }

    @Test
    void givenTheLedgersKeys_onlyThoseRowsAreCheckedAndTheLostOnesNamed(LocalPair pair) throws Exception {
        try (ShopLoad load = new ShopLoad(pair, ORDERS)) {
            ShopDrift drift = ShopDrift.plant(pair, Node.NODE2, ORDERS, 99);
            try {
                // The ledger names the planted rows of two tables, plus rows that are fine.
                Map<TableRef, List<RowKey>> ledger = new java.util.HashMap<>();
                Set<String> expected = new TreeSet<>();
                for (String k : drift.keys()) {
                    String table = k.substring(0, k.indexOf(' '));
                    if (table.equals("shop.customers")) {
                        continue;
                    }
                    List<String> values = List.of(k.substring(k.indexOf('[') + 1, k.length() - 1).split(", "));
                    ledger.computeIfAbsent(new TableRef("shop", table.substring(5)), t -> new java.util.ArrayList<>())
                            .add(new RowKey(values));
                    expected.add(k);
                }
                ledger.get(new TableRef("shop", "orders")).addAll(List.of(RowKey.of("1"), RowKey.of("2")));
                ledger.get(new TableRef("shop", "order_lines")).add(RowKey.of("1", "1"));
                ClusterConfig cluster = SandboxCluster.of("shop", pair);
                long t0 = System.nanoTime();
                VerificationResult r;
                try (NodeConnections connections = new NodeConnections(List.of(cluster))) {
                    r = new JdbcDataVerifier(connections, OPTIONS, Clock.systemUTC()).verify("shop",
                            new VerifyRequest(List.of("shop"), ledger, true), ProgressListener.NONE, CancelToken.none());
                }
                System.out.printf("ledger keys only: %d keys, %d found in %d ms%n%s%n",
                        ledger.values().stream().mapToInt(List::size).sum(), found(r).size(),
                        (System.nanoTime() - t0) / 1_000_000, report(r));
                assertEquals(expected, found(r), report(r));
            } finally {
                drift.heal();
            }
            assertLoadAlive(load);
        }
    }

    @Test
    void givenNoDriftUnderWritesOnBothMasters_everyRunIsIdentical(LocalPair pair) throws Exception {
        try (ShopLoad load = new ShopLoad(pair, ORDERS)) {
            for (int run = 1; run <= RUNS; run++) {
                long t0 = System.nanoTime();
                VerificationResult r = verifyShop(pair);
                System.out.printf("clean run %d: %,d rows in %d ms, %d false positives%n%s%n", run, r.rowsCompared(),
                        (System.nanoTime() - t0) / 1_000_000, r.differences().size(), report(r));
                assertEquals(TableVerdict.IDENTICAL, r.verdict(), "run " + run + ": " + report(r));
                assertEquals(4, r.tables().size());
            }
            assertLoadAlive(load);
        }
    }

    @Test
    void givenOneRowUpdatedOnBothMastersAtOnce_theSwappedValuesAreFound(LocalPair pair) throws Exception {
        long id = 7 * 1234;
        try (ShopLoad load = new ShopLoad(pair, ORDERS)) {
            pair.writeOnBothAtOnce("UPDATE shop.orders SET status = 'by node1' WHERE id = " + id,
                    "UPDATE shop.orders SET status = 'by node2' WHERE id = " + id);
            await("the updates cross over").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> status(pair, Node.NODE1, id).equals("by node2") && status(pair, Node.NODE2, id).equals("by node1"));
            VerificationResult r = verifyShop(pair);
            System.out.printf("conflict: %s%n", report(r));
            assertEquals(Set.of("shop.orders [" + id + "]"), found(r), report(r));
            RowDifference d = r.differences().get(0);
            assertEquals("by node2", d.valuesByNode().get("node1").get(2));
            assertEquals("by node1", d.valuesByNode().get("node2").get(2));
            assertTrue(d.describe().contains("status node1 'by node2' node2 'by node1'"), d.describe());
            assertLoadAlive(load);
        } finally {
            pair.node2().execute("SET sql_log_bin = 0", "UPDATE shop.orders SET status = 'by node2' WHERE id = " + id);
        }
    }

    private static String status(LocalPair pair, Node node, long id) throws Exception {
        return pair.server(node).query("SELECT status FROM shop.orders WHERE id = " + id).get(0).get("status");
    }

    @Test
    void aCancelledOrTimedOutVerificationIsInconclusive(LocalPair pair) throws Exception {
        ClusterConfig cluster = SandboxCluster.of("shop", pair);
        VerifyOptions small = OPTIONS.withChunkTime(Duration.ofMillis(50), 500);
        try (ShopLoad load = new ShopLoad(pair, ORDERS)) {
            CancelToken first = new CancelToken();
            VerificationResult atChunk = verify(cluster, small, p -> first.cancel(), first, "shop");
            assertEquals(TableVerdict.INCONCLUSIVE, atChunk.verdict(), report(atChunk));
            // The keyless table comes first and is one chunk: done before the cancel. Every table after it is not.
            assertTrue(atChunk.tables().stream().filter(t -> t.verdict() != TableVerdict.IDENTICAL)
                    .allMatch(t -> t.reason() == InconclusiveReason.CANCELLED), report(atChunk));
            assertEquals(3, atChunk.tables().stream().filter(t -> t.reason() == InconclusiveReason.CANCELLED).count(),
                    report(atChunk));

            // From another thread, wherever it lands: between chunks or in a running statement.
            // At the first chunk, so a fast run cannot finish first; the listener waits for the other thread.
            CancelToken later = new CancelToken();
            VerificationResult midway = verify(cluster, small,
                    p -> CompletableFuture.runAsync(later::cancel).join(), later, "shop");
            assertEquals(TableVerdict.INCONCLUSIVE, midway.verdict(), report(midway));
            assertTrue(midway.tables().stream().anyMatch(t -> t.reason() == InconclusiveReason.CANCELLED), report(midway));
            // Nothing of the verification outlives it, not even the next chunk's part ends read
            // ahead on node1's second session.
            for (Node n : Node.values()) {
                assertEquals("0", pair.server(n).query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST"
                        + " WHERE INFO LIKE '/* mysql-resync verify */%'").get(0).get("n"), n + " still runs a verify statement");
            }

            // The first chunk's progress outlasts the whole run's time: however fast the machine,
            // the next checkpoint is past the deadline (a bare 100 ms once let a fast run finish).
            AtomicBoolean slept = new AtomicBoolean();
            VerificationResult outOfTime = verify(cluster, small.withTimeout(Duration.ofMillis(300)), p -> {
                if (slept.compareAndSet(false, true)) {
                    try {
                        Thread.sleep(400);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, CancelToken.none(), "shop");
            assertEquals(TableVerdict.INCONCLUSIVE, outOfTime.verdict(), report(outOfTime));
            assertTrue(outOfTime.tables().stream().anyMatch(t -> t.reason() == InconclusiveReason.TIMEOUT), report(outOfTime));
            assertLoadAlive(load);
        }
    }

    @Test
    void aReadAheadBlockedOnTheServerIsStoppedThereWhenItIsCancelled(LocalPair pair) throws Exception {
        // node1's orders locked for writing by someone else: the read ahead's key scan waits on the
        // table's metadata lock, far from its 30 s query timeout. Cancelling it must end it on the server.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.ExecutorService aheadPool = java.util.concurrent.Executors.newSingleThreadExecutor();
        Duration queryTimeout = Duration.ofSeconds(30);
        try (VerifySession first = new VerifySession("node1", pair.node1().connect(), queryTimeout, CancelToken.none());
             VerifySession second = new VerifySession("node2", pair.node2().connect(), queryTimeout, CancelToken.none());
             VerifySession ahead = new VerifySession("node1", pair.node1().connect(), queryTimeout, CancelToken.none());
             java.sql.Connection locker = pair.node1().connect();
             java.sql.Statement lock = locker.createStatement()) {
            CatalogTable orders = VerifyCatalog.read(first, List.of()).tables.get(new TableRef("shop", "orders"));
            JdbcPairSource source = new JdbcPairSource(List.of(first, second), ahead, aheadPool,
                    Map.of(orders.shape(), orders), pool, Duration.ofSeconds(10));
            lock.execute("LOCK TABLES shop.orders WRITE");
            io.mysqlresync.verify.PairSource.Pending<List<RowKey>> read =
                    source.boundariesAhead(orders.shape(), null, 1000, 64);
            await("the read ahead waits on the lock").atMost(Duration.ofSeconds(20)).until(() -> !pair.node1()
                    .query("SELECT 1 FROM information_schema.PROCESSLIST WHERE INFO LIKE '/* mysql-resync verify */%'"
                            + " AND STATE LIKE '%metadata lock%'").isEmpty());
            long t0 = System.nanoTime();
            read.cancel();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "cancel took " + took + ", not the query timeout");
            // The server lets go of the killed statement a moment after the client has its error.
            await("nothing left waiting on node1").atMost(Duration.ofSeconds(5)).until(() -> pair.node1().query(
                    "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '/* mysql-resync verify */%'")
                    .get(0).get("n").equals("0"));
            // Cancelled the moment it is asked for: before it starts, before its statement reaches
            // the server (where a first cancel does nothing), or while it waits on the lock.
            for (int i = 0; i < 40; i++) {
                io.mysqlresync.verify.PairSource.Pending<List<RowKey>> soon =
                        source.boundariesAhead(orders.shape(), null, 1000, 64);
                java.util.concurrent.locks.LockSupport.parkNanos(i * 100_000L); // 0 to 4 ms after the ask
                long s0 = System.nanoTime();
                soon.cancel();
                Duration t = Duration.ofNanos(System.nanoTime() - s0);
                assertTrue(t.compareTo(Duration.ofSeconds(5)) < 0, "try " + i + ": cancel took " + t);
            }
            await("nothing left waiting on node1").atMost(Duration.ofSeconds(5)).until(() -> pair.node1().query(
                    "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '/* mysql-resync verify */%'")
                    .get(0).get("n").equals("0"));
            lock.execute("UNLOCK TABLES");
            // The session stays usable: the next read ahead runs to its end.
            assertEquals(64, source.boundariesAhead(orders.shape(), null, 100, 64).get().size());
        } finally {
            pool.shutdownNow();
            aheadPool.shutdownNow();
        }
    }

    /**
     * A schema of its own, made on node1 and replicated, then changed on node2 only
     * ({@code sql_log_bin=0}) and verified; dropped after.
     */
    private static VerificationResult verifyPlanted(LocalPair pair, String schema, List<String> create,
                                                    List<String> plantOnNode2) throws Exception {
        List<String> setUp = new java.util.ArrayList<>(List.of("CREATE DATABASE IF NOT EXISTS " + schema));
        setUp.addAll(create);
        setUp.add("GRANT SELECT ON " + schema + ".* TO '" + io.mysqlresync.sandbox.Account.BOT.user() + "'@'127.0.0.1'");
        pair.node1().execute(setUp.toArray(String[]::new));
        pair.awaitInSync();
        try {
            List<String> plant = new java.util.ArrayList<>(List.of("SET sql_log_bin = 0"));
            plant.addAll(plantOnNode2);
            pair.node2().execute(plant.toArray(String[]::new));
            return verify(SandboxCluster.of("shop", pair), OPTIONS, ProgressListener.NONE, CancelToken.none(), schema);
        } finally {
            pair.node1().execute("DROP DATABASE " + schema);
        }
    }

    @Test
    void givenValuesThatOnlyTheSeparatorWouldTellApart_theRowDiffers(LocalPair pair) throws Exception {
        // ('a#', 'b') and ('a', '#b') joined with '#' alone are both "a###b".
        VerificationResult r = verifyPlanted(pair, "collide",
                List.of("CREATE OR REPLACE TABLE collide.t (id INT PRIMARY KEY, a VARCHAR(10), b VARCHAR(10))",
                        "INSERT INTO collide.t VALUES (1, 'a#', 'b'), (2, 'same', 'same')"),
                List.of("UPDATE collide.t SET a = 'a', b = '#b' WHERE id = 1"));
        assertEquals(Set.of("collide.t [1]"), found(r), report(r));
    }

    @Test
    void givenTwoRowsThatSwapValuesOfTheSameLength_bothDiffer(LocalPair pair) throws Exception {
        // CRC32 is affine: the two rows' changes are the same bytes at the same places, so a
        // plain BIT_XOR of row CRC32s is the same on both nodes. The checksum must still differ,
        // for chunks cut by value (t, an integer key) and by a key scan (named, a string key).
        VerificationResult r = verifyPlanted(pair, "swapped",
                List.of("CREATE OR REPLACE TABLE swapped.t (id INT PRIMARY KEY, status VARCHAR(10))",
                        "INSERT INTO swapped.t VALUES (1, 'paid'), (2, 'sent'), (3, 'new')",
                        "CREATE OR REPLACE TABLE swapped.named (code VARCHAR(8) PRIMARY KEY, status VARCHAR(10))",
                        "INSERT INTO swapped.named VALUES ('a', 'paid'), ('b', 'sent'), ('c', 'new')"),
                List.of("UPDATE swapped.t SET status = IF(id = 1, 'sent', 'paid') WHERE id IN (1, 2)",
                        "UPDATE swapped.named SET status = IF(code = 'a', 'sent', 'paid') WHERE code IN ('a', 'b')"));
        assertEquals(Set.of("swapped.t [1]", "swapped.t [2]", "swapped.named [a]", "swapped.named [b]"), found(r),
                report(r));
    }

    /**
     * Integer keys are cut by value (no key scan, one DIV a row): sparse UNSIGNED keys near 2^61,
     * a negative key only on node2 below node1's first, a first key column with one heavy value,
     * and keys past 2^62 (cut by a key scan instead). Each plants drift on node2; exactly it is found.
     */
    @Test
    void givenIntegerKeysOfEveryShape_exactlyThePlantedRowsAreFound(LocalPair pair) throws Exception {
        String bot = "'" + io.mysqlresync.sandbox.Account.BOT.user() + "'@'127.0.0.1'";
        String seq = "bykey.seq_1_to_40000 s";
        pair.node1().execute("CREATE DATABASE IF NOT EXISTS bykey",
                "CREATE OR REPLACE TABLE bykey.sparse (id BIGINT UNSIGNED PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO bykey.sparse SELECT 2305843009213693952 + seq * 1000, CONCAT('v', seq) FROM " + seq
                        + " WHERE seq <= 5000",
                "CREATE OR REPLACE TABLE bykey.signed (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO bykey.signed SELECT seq, CONCAT('v', seq) FROM " + seq + " WHERE seq <= 5000",
                "CREATE OR REPLACE TABLE bykey.skewed (tenant INT NOT NULL, id INT NOT NULL, v VARCHAR(20),"
                        + " PRIMARY KEY (tenant, id))",
                "INSERT INTO bykey.skewed SELECT seq, 1, 'one' FROM " + seq + " WHERE seq <= 10000",
                "INSERT INTO bykey.skewed SELECT 5000, seq + 1, CONCAT('heavy', seq) FROM " + seq + " WHERE seq <= 30000",
                "ANALYZE TABLE bykey.skewed",
                "CREATE OR REPLACE TABLE bykey.huge (id BIGINT UNSIGNED PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO bykey.huge SELECT 18446744073709000000 + seq, CONCAT('v', seq) FROM " + seq
                        + " WHERE seq <= 3000",
                "GRANT SELECT ON bykey.* TO " + bot);
        pair.awaitInSync();
        try {
            pair.node2().execute("SET sql_log_bin = 0",
                    "UPDATE bykey.sparse SET v = 'planted' WHERE id = 2305843009213693952 + 2500 * 1000",
                    "DELETE FROM bykey.sparse WHERE id = 2305843009213693952 + 4000 * 1000",
                    "INSERT INTO bykey.sparse VALUES (2305843009213693952 + 9999 * 1000, 'past node1')",
                    "INSERT INTO bykey.signed VALUES (-7, 'below node1')",
                    "UPDATE bykey.signed SET v = 'planted' WHERE id = 4321",
                    "UPDATE bykey.skewed SET v = 'planted' WHERE tenant = 5000 AND id = 20000",
                    "UPDATE bykey.huge SET v = 'planted' WHERE id = 18446744073709000000 + 1234");
            pair.node1().execute("SET GLOBAL log_output = 'TABLE'", "TRUNCATE mysql.general_log",
                    "SET GLOBAL general_log = 1");
            VerificationResult r;
            try {
                r = verify(SandboxCluster.of("shop", pair), OPTIONS, ProgressListener.NONE, CancelToken.none(), "bykey");
            } finally {
                pair.node1().execute("SET GLOBAL general_log = 0");
            }
            assertEquals(Set.of("bykey.sparse [2305843009216193952]", "bykey.sparse [2305843009217693952]",
                    "bykey.sparse [2305843009223692952]", "bykey.signed [-7]", "bykey.signed [4321]",
                    "bykey.skewed [5000, 20000]", "bykey.huge [18446744073709001234]"), found(r), report(r));
            List<String> statements = pair.node1().query("SELECT CONVERT(argument USING utf8mb4) AS sql_text"
                    + " FROM mysql.general_log WHERE argument LIKE '%mysql-resync verify%'").stream()
                    .map(m -> m.get("sql_text")).toList();
            for (String t : List.of("sparse", "signed", "skewed")) {
                assertTrue(statements.stream().anyMatch(q -> q.contains("`bykey`.`" + t + "`") && q.contains(" DIV ")),
                        t + " was cut by value");
            }
            for (String t : List.of("sparse", "signed")) {
                // The heavy value's part of `skewed` is cut again by a key scan; these have no part that big.
                assertTrue(statements.stream().noneMatch(q -> q.contains("`bykey`.`" + t + "`") && q.contains("@mysql_resync_n")),
                        t + ": no key scan");
            }
            assertTrue(statements.stream().noneMatch(q -> q.contains("`bykey`.`huge`") && q.contains(" DIV ")),
                    "keys past 2^62 are cut by a key scan");
        } finally {
            pair.node1().execute("DROP DATABASE bykey");
        }
    }

    /** Text columns of different collations are cast to bytes (else "Illegal mix of collations"); NULL is not ''. */
    @Test
    void givenColumnsOfDifferentCollationsAndNullableOnes_theDifferingRowsAreFound(LocalPair pair) throws Exception {
        VerificationResult r = verifyPlanted(pair, "mixed",
                List.of("CREATE OR REPLACE TABLE mixed.t (id INT PRIMARY KEY, a VARCHAR(10) CHARACTER SET latin1,"
                                + " b VARCHAR(10) CHARACTER SET greek,"
                                + " c VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci, d VARCHAR(10) NULL)",
                        "INSERT INTO mixed.t VALUES (1, 'caf\u00e9', 'x', 'y', NULL), (2, 'a', 'b', 'c', NULL), (3, 'a', 'b', 'c', 'd')",
                        "CREATE OR REPLACE TABLE mixed.one (id INT PRIMARY KEY, a VARCHAR(10) NOT NULL, b VARCHAR(10) NULL,"
                                + " n INT NOT NULL)",
                        "INSERT INTO mixed.one VALUES (1, 'x', NULL, 1), (2, 'x', 'y', 2), (3, 'x', NULL, 3)"),
                List.of("UPDATE mixed.t SET d = '' WHERE id = 2", "UPDATE mixed.t SET a = 'cafe' WHERE id = 1",
                        "UPDATE mixed.one SET b = '' WHERE id = 3"));
        assertEquals(Set.of("mixed.t [1]", "mixed.t [2]", "mixed.one [3]"), found(r), report(r));
    }

    @Test
    void theVerifySessionRefusesAWrite(LocalPair pair) throws Exception {
        // As root, so no missing privilege hides what the read-only session does.
        try (VerifySession s = new VerifySession("node1", pair.node1().connect(), Duration.ofSeconds(10),
                CancelToken.none()); java.sql.Statement st = s.connection.createStatement()) {
            java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> st.executeUpdate("UPDATE shop.orders SET status = 'written by verify' WHERE id = 1"));
            assertEquals(1792, e.getErrorCode(), e.getMessage()); // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION
        }
        assertNotEquals("written by verify", status(pair, Node.NODE1, 1));
    }

    @Test
    void aCatchUpLongerThanTheQueryTimeoutIsWaitedFor(LocalPair pair) throws Exception {
        long id = 4321;
        // node2's SQL thread waits on a row lock: node1's update arrives but is applied only when it is released.
        try (java.sql.Connection holder = pair.node2().connect()) {
            holder.setAutoCommit(false);
            try (java.sql.Statement s = holder.createStatement()) {
                s.executeQuery("SELECT id FROM shop.orders WHERE id = " + id + " FOR UPDATE").close();
            }
            pair.node1().execute("UPDATE shop.orders SET status = 'applied late' WHERE id = " + id);
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                await("the verifier waits for node2 to catch up").atMost(Duration.ofSeconds(60))
                        .until(() -> !pair.node2().query("SELECT 1 FROM information_schema.PROCESSLIST"
                                + " WHERE INFO LIKE 'SELECT %_WAIT(%'").isEmpty());
                try {
                    Thread.sleep(2500); // past the 1 s query timeout
                    holder.rollback();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            VerificationResult r = verify(SandboxCluster.of("shop", pair), OPTIONS.withQueryTimeout(Duration.ofSeconds(1)),
                    ProgressListener.NONE, CancelToken.none(), "shop.orders");
            release.get(60, TimeUnit.SECONDS);
            assertEquals(TableVerdict.IDENTICAL, r.verdict(), report(r));
            assertEquals("applied late", status(pair, Node.NODE2, id));
        }
    }

    @Test
    void withoutSelectOnTheSchema_theResultNamesTheMissingGrant(LocalPair pair) throws Exception {
        // Like the bot's account, but with no SELECT on shop: INSERT on one table makes that table
        // visible in the catalog, the other is hidden entirely.
        pair.node1().execute("CREATE OR REPLACE USER 'resync_nosel'@'127.0.0.1' IDENTIFIED BY 'nosel'",
                "GRANT SLAVE MONITOR, BINLOG MONITOR ON *.* TO 'resync_nosel'@'127.0.0.1'",
                "GRANT INSERT ON shop.audit_log TO 'resync_nosel'@'127.0.0.1'");
        ClusterConfig bot = SandboxCluster.of("shop", pair);
        ClusterConfig noSelect = new ClusterConfig("shop", new Secret("resync_nosel"), new Secret("nosel"),
                bot.connectTimeout(), bot.readTimeout(), bot.nodes());
        await("the account replicates").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> !pair.node2().query("SELECT 1 FROM mysql.user WHERE User = 'resync_nosel'").isEmpty());
        VerificationResult r = verify(noSelect, OPTIONS, ProgressListener.NONE, CancelToken.none(),
                "shop.orders", "shop.audit_log");
        System.out.printf("no SELECT: %s%n", report(r));
        assertEquals(TableVerdict.INCONCLUSIVE, r.verdict());
        assertEquals(2, r.tables().size(), report(r));
        for (TableResult t : r.tables()) {
            assertEquals(InconclusiveReason.MISSING_PRIVILEGE, t.reason(), t.summary());
            assertTrue(t.detail().contains("GRANT SELECT ON `shop`.* TO 'resync_nosel'@'127.0.0.1'"), t.detail());
        }
        assertNotEquals(TableVerdict.IDENTICAL, r.verdict());
    }
}
