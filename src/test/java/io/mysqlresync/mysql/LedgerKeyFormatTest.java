package io.mysqlresync.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.ledger.AtRiskTransaction;
import io.mysqlresync.ledger.CouldNotRead;
import io.mysqlresync.ledger.GtidGap;
import io.mysqlresync.ledger.TableRows;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.sandbox.SandboxCluster;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.ProgressListener;
import io.mysqlresync.verify.RowKey;
import io.mysqlresync.verify.TableRef;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyOptions;
import io.mysqlresync.verify.VerifyRequest;
import java.io.IOException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The keys the loss ledger reads from row images are the keys the verifier reads from the
 * tables: an UNSIGNED BIGINT past the signed range, VARBINARY bytes that are not UTF-8, a
 * DATETIME with milliseconds, so a ledger-only check finds the very rows the ledger names.
 */
@ExtendWith(RealServers.class)
class LedgerKeyFormatTest {

    @Test
    void theLedgersKeysForUnsignedBinaryAndDatetimeKeysAreFoundByAKeysOnlyVerify(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.GTID);
        LocalServer node1 = pair.node1();
        node1.execute("CREATE DATABASE IF NOT EXISTS keyed",
                "CREATE OR REPLACE TABLE keyed.big (id BIGINT UNSIGNED PRIMARY KEY, v VARCHAR(20))",
                "CREATE OR REPLACE TABLE keyed.bin (k VARBINARY(16) PRIMARY KEY, v VARCHAR(20))",
                "CREATE OR REPLACE TABLE keyed.at (at DATETIME(3), n INT UNSIGNED, v VARCHAR(20), PRIMARY KEY (at, n))",
                "GRANT SELECT ON keyed.* TO '" + Account.BOT.user() + "'@'" + LocalServer.HOST + "'");
        try {
            String before = node1.query("SELECT @@gtid_binlog_pos AS p").get(0).get("p");
            node1.execute("INSERT INTO keyed.big VALUES (18446744073709551615, 'max'), (9223372036854775808, 'past signed')",
                    "INSERT INTO keyed.bin VALUES (0x00ff80, 'not utf-8'), (0x6869, 'hi')",
                    "INSERT INTO keyed.at VALUES ('2026-11-30 15:30:45.123', 4294967295, 'ms')",
                    "UPDATE keyed.big SET v = 'updated' WHERE id = 18446744073709551615");
            String after = node1.query("SELECT @@gtid_binlog_pos AS p").get(0).get("p");
            Map<String, String> head = node1.query("SHOW MASTER STATUS").get(0);
            pair.awaitInSync();

            GtidGap gap = GtidGap.mariadb(1, 1, before, after);
            assertEquals(4, gap.count(), before + " .. " + after);
            LedgerTransactions read = new LedgerTransactions(gap);
            List<CouldNotRead> problems = new ArrayList<>();
            IOException failure;
            try (Connection c = node1.connect()) {
                RowImageReader images = new RowImageReader(node1.host(), node1.port(), Account.ROOT.user(),
                        Account.ROOT.password(), Duration.ofSeconds(10));
                failure = images.read(before, new BinlogCoordinates(head.get("File"), Long.parseLong(head.get("Position"))),
                        read, (table, map) -> LogLedgerReader.primaryKey(c, "node1", "'root'", table, map, problems));
            }
            assertNull(failure);
            assertEquals(List.of(), problems);

            Map<TableRef, List<RowKey>> ledger = new HashMap<>();
            Set<String> named = new TreeSet<>();
            for (AtRiskTransaction t : read.transactions()) {
                for (TableRows rows : t.tables()) {
                    String[] st = rows.table().split("\\.");
                    for (List<String> k : rows.keys()) {
                        ledger.computeIfAbsent(new TableRef(st[0], st[1]), x -> new ArrayList<>()).add(new RowKey(k));
                        named.add(rows.table() + " " + k);
                    }
                }
            }
            assertEquals(Set.of("keyed.at [2026-11-30 15:30:45.123, 4294967295]", "keyed.big [18446744073709551615]",
                    "keyed.big [9223372036854775808]", "keyed.bin [0x00ff80]", "keyed.bin [0x6869]"), named);

            ClusterConfig cluster = SandboxCluster.of("shop", pair);
            VerificationResult r;
            try (NodeConnections connections = new NodeConnections(List.of(cluster))) {
                r = new JdbcDataVerifier(connections, VerifyOptions.defaults(), Clock.systemUTC()).verify("shop",
                        new VerifyRequest(List.of("keyed"), ledger, true), ProgressListener.NONE, CancelToken.none());
            }
            for (TableResult t : r.tables()) {
                System.out.println("ledger keys: " + t.summary());
            }
            assertEquals(3, r.tables().size());
            assertTrue(r.tables().stream().allMatch(t -> t.verdict() == TableVerdict.IDENTICAL),
                    "every named row was found and compared: " + r.tables().stream().map(TableResult::summary).toList());
            assertEquals(5, r.rowsCompared());
        } finally {
            node1.execute("DROP DATABASE keyed");
        }
    }

    @Test
    void showBinlogEventsReadsAFileAPageAtATimeAndStopsOnceEveryTransactionIsRead(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.GTID);
        LocalServer node1 = pair.node1();
        node1.execute("CREATE DATABASE IF NOT EXISTS paged", "CREATE OR REPLACE TABLE paged.t (id INT PRIMARY KEY)");
        try {
            String before = node1.query("SELECT @@gtid_binlog_pos AS p").get(0).get("p");
            for (int i = 1; i <= 12; i++) {
                node1.execute("INSERT INTO paged.t VALUES (" + i + ")");
            }
            String after = node1.query("SELECT @@gtid_binlog_pos AS p").get(0).get("p");
            for (int i = 1000; i < 1010; i++) {
                node1.execute("INSERT INTO paged.t VALUES (" + i + ")"); // after the gap: not to be read
            }
            String file = node1.query("SHOW MASTER STATUS").get(0).get("File");
            GtidGap gap = GtidGap.mariadb(1, 1, before, after);
            LedgerTransactions read = new LedgerTransactions(gap);
            List<String> pages = new ArrayList<>();
            try (Connection c = node1.connect()) {
                // Pages of 5 events, about one transaction each: the gap spans many of them.
                LogLedgerReader.showEvents(new RecordingConnection(c, pages).connection(),
                        "SHOW BINLOG EVENTS IN '" + file + "'", "", read, 5, Duration.ofSeconds(10));
            }
            assertTrue(read.complete(), pages.toString());
            assertEquals(12, read.transactions().size());
            assertEquals(List.of("paged.t"), read.transactions().get(11).tables().stream().map(TableRows::table).toList());
            assertTrue(pages.size() > 3, "read in pages: " + pages);
            assertTrue(pages.get(1).contains(" FROM ") && pages.get(1).endsWith(" LIMIT 1, 5"), pages.get(1));
            // The ten transactions after the gap were not fetched.
            long total = node1.query("SHOW BINLOG EVENTS IN '" + file + "'").size();
            assertTrue(pages.size() * 5L < total, pages.size() + " pages of 5 for " + total + " events");
        } finally {
            node1.execute("DROP DATABASE paged");
        }
    }

    /** A connection whose statements record the SQL they run. */
    private record RecordingConnection(Connection real, List<String> sql) {
        Connection connection() {
            return (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                        Object r = m.invoke(real, args);
                        if (m.getName().equals("createStatement") && r instanceof java.sql.Statement st) {
                            return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                                    new Class<?>[] {java.sql.Statement.class}, (p2, m2, a2) -> {
                                        if (m2.getName().equals("executeQuery")) sql.add((String) a2[0]);
                                        return m2.invoke(st, a2);
                                    });
                        }
                        return r;
                    });
        }
    }
}
