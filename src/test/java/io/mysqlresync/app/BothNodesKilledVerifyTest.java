package io.mysqlresync.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.sandbox.CrashWithLoss;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.testsupport.RealServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both nodes of a real pair killed -9 under writes on both masters: each comes back without the
 * tail of its binlog and without the commits its InnoDB had not flushed, and each replica is
 * re-pointed at the other's binlog head (what an operator does after a double crash; the bot's own
 * plans for it are tested elsewhere), which skips whatever it had not received. Then one row is
 * updated on both masters at once, so the values swap. {@code verify} (the command line's path,
 * {@link VerifyCommand}, with --json), run while both masters write again, must name exactly the
 * rows that differ, with each node's values, against the truth this test reads itself from both
 * nodes with replication stopped; and never say identical while rows differ.
 */
@ExtendWith(RealServers.class)
class BothNodesKilledVerifyTest {

    /** Ids the writers use while verify runs: far above the crash load's auto-increment ids. */
    private static final long WRITER_IDS = 2_000_000_000L;

    record Run(int code, String out, String err) {
    }

    @Test
    void afterBothNodesAreKilledUnderWrites_verifyNamesExactlyTheRowsThatDiffer_andTheSwappedRow(LocalPair pair,
                                                                                              @TempDir Path state)
            throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        CrashWithLoss.grantLedgerPrivileges(pair); // SELECT on demo for the bot
        CrashWithLoss.Result crash = CrashWithLoss.crash(pair, Duration.ofMillis(2500), Node.NODE1, Node.NODE2);
        repointEachAtTheOthersHead(pair);
        pair.awaitInSync();

        // The same row written on both masters at once: each commits its own before it sees the other's.
        long swapped = anyRowOnBoth(pair);
        pair.writeOnBothAtOnce("UPDATE demo.items SET payload = 'by node1' WHERE id = " + swapped,
                "UPDATE demo.items SET payload = 'by node2' WHERE id = " + swapped);
        pair.awaitInSync();

        Map<Long, Map<String, List<String>>> truth = truth(pair);
        assertEquals(List.of("by node2", "by node1"), List.of(truth.get(swapped).get("node1").get(2),
                truth.get(swapped).get("node2").get(2)), "the updates crossed over");

        AppConfig config = Demo.config(pair, state);
        Run run;
        long written;
        try (Writers writers = new Writers(pair)) {
            writers.awaitSome();
            run = verify(config);
            written = writers.rows();
            assertNull(writers.failure.get(), "the writers during verify failed: replication broke?");
        }
        // Nothing the writers did touches the rows that differ: the truth after is the truth before.
        pair.awaitInSync();
        assertEquals(truth, truth(pair), "the differing rows changed while verify ran");

        JsonNode doc = Json.MAPPER.readTree(run.out());
        Map<Long, Map<String, List<String>>> named = new TreeMap<>();
        for (JsonNode table : doc.get("tables")) {
            assertEquals("demo.items", table.get("table").asText(), run.out());
            for (JsonNode row : table.get("differences")) {
                Map<String, List<String>> byNode = new TreeMap<>();
                for (String node : List.of("node1", "node2")) {
                    JsonNode values = row.get("nodes").get(node);
                    byNode.put(node, values.isNull() ? null
                            : List.of(values.get("id").asText(), values.get("origin").asText(), values.get("payload").asText()));
                }
                named.put(Long.parseLong(row.get("key").get("id").asText()), byNode);
            }
        }
        String report = String.format("both killed: node1 lost %d rows node2 has, node2 lost %d rows node1 has;"
                        + " truth %d differing rows (%s); verify exit %d, named %d, %d writes meanwhile; %s",
                crash.of(Node.NODE1).lostKeys().size(), crash.of(Node.NODE2).lostKeys().size(), truth.size(),
                summary(truth), run.code(), named.size(), written, doc.get("headline").asText());
        System.out.println(report);
        assertFalse(truth.isEmpty()); // the swapped row at least
        assertEquals(VerifyCommand.DIFFERS, run.code(), report + "\n" + run.out() + run.err());
        assertEquals("DIFFERS", doc.get("verdict").asText(), report);
        assertEquals(truth.keySet(), named.keySet(), report);
        assertEquals(truth, named, "each node's values as the test read them: " + report);
    }

    private static Run verify(AppConfig config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VerifyCommand.run(config, Demo.CLUSTER, List.of("demo"), true,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Each replica restarts at the other node's current binlog head: replication runs again with no
     * error, and whatever a node had not received before the crash stays on the other node only.
     */
    private static void repointEachAtTheOthersHead(LocalPair pair) throws SQLException {
        for (Node n : Node.values()) {
            pair.stopReplicationByOperator(n);
        }
        for (Node n : Node.values()) {
            Map<String, String> head = pair.server(n.other()).binlogHead();
            pair.server(n).execute("CHANGE MASTER TO MASTER_LOG_FILE = '" + head.get("File") + "', MASTER_LOG_POS = "
                    + head.get("Position"));
        }
        for (Node n : Node.values()) {
            pair.startReplication(n);
        }
    }

    private static long anyRowOnBoth(LocalPair pair) throws SQLException {
        Map<Long, Map<String, List<String>>> differ = truth(pair);
        for (Map<String, String> r : pair.node1().query("SELECT id FROM demo.items ORDER BY id LIMIT 100")) {
            long id = Long.parseLong(r.get("id"));
            if (!differ.containsKey(id)) {
                return id;
            }
        }
        throw new AssertionError("no row on both nodes among node1's first 100");
    }

    /**
     * The rows that differ, read from both nodes with replication stopped (so nothing moves
     * between the two reads): per id, each node's (id, origin, payload), null where absent.
     */
    private static Map<Long, Map<String, List<String>>> truth(LocalPair pair) throws SQLException {
        for (Node n : Node.values()) {
            pair.stopReplicationByOperator(n);
        }
        try {
            Map<String, Map<Long, List<String>>> rows = new HashMap<>();
            for (Node n : Node.values()) {
                Map<Long, List<String>> all = new HashMap<>();
                for (Map<String, String> r : pair.server(n).query("SELECT id, origin, payload FROM demo.items")) {
                    all.put(Long.parseLong(r.get("id")), List.of(r.get("id"), r.get("origin"), r.get("payload")));
                }
                rows.put(n.label(), all);
            }
            TreeSet<Long> ids = new TreeSet<>(rows.get("node1").keySet());
            ids.addAll(rows.get("node2").keySet());
            Map<Long, Map<String, List<String>>> differ = new TreeMap<>();
            for (long id : ids) {
                List<String> a = rows.get("node1").get(id);
                List<String> b = rows.get("node2").get(id);
                if (!Objects.equals(a, b)) {
                    Map<String, List<String>> byNode = new TreeMap<>();
                    byNode.put("node1", a);
                    byNode.put("node2", b);
                    differ.put(id, byNode);
                }
            }
            return differ;
        } finally {
            for (Node n : Node.values()) {
                pair.startReplication(n);
            }
        }
    }

    private static String summary(Map<Long, Map<String, List<String>>> truth) {
        int onlyOn1 = 0;
        int onlyOn2 = 0;
        int both = 0;
        for (Map<String, List<String>> m : truth.values()) {
            if (m.get("node2") == null) {
                onlyOn1++;
            } else if (m.get("node1") == null) {
                onlyOn2++;
            } else {
                both++;
            }
        }
        return onlyOn1 + " on node1 only, " + onlyOn2 + " on node2 only, " + both + " with different values";
    }

    /**
     * Writes on both masters while verify runs: each node inserts rows with its own ids (odd on
     * node1, even on node2, far above the crash's) and updates the row it inserted before.
     */
    static final class Writers implements AutoCloseable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong rows = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();

        Writers(LocalPair pair) {
            for (Node n : Node.values()) {
                LocalServer server = pair.server(n);
                long first = WRITER_IDS + (n == Node.NODE1 ? 1 : 2);
                Thread t = new Thread(() -> {
                    try (Connection c = server.connect();
                         PreparedStatement insert = c.prepareStatement(
                                 "INSERT INTO demo.items (id, origin, payload) VALUES (?, ?, 'during verify')");
                         PreparedStatement update = c.prepareStatement(
                                 "UPDATE demo.items SET payload = CONCAT('updated ', id) WHERE id = ?")) {
                        for (long id = first; !stop.get(); id += 2) {
                            insert.setLong(1, id);
                            insert.setString(2, n.label());
                            insert.executeUpdate();
                            update.setLong(1, id - 2);
                            update.executeUpdate();
                            rows.addAndGet(2);
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                }, "writer-" + n.label());
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        long rows() {
            return rows.get();
        }

        void awaitSome() {
            await("both writers running").atMost(Duration.ofSeconds(30)).until(() -> rows.get() >= 100 || failure.get() != null);
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
    }
}
