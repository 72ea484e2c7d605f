package io.mysqlresync.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.sandbox.SandboxCluster;
import io.mysqlresync.sandbox.ShopDrift;
import io.mysqlresync.sandbox.ShopLoad;
import io.mysqlresync.sandbox.ShopSchema;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.InconclusiveReason;
import io.mysqlresync.verify.ProgressListener;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyOptions;
import io.mysqlresync.verify.VerifyRequest;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same checks on a pair replicating by GTID (MASTER_USE_GTID=slave_pos, one domain per
 * node), where a catch-up waits with MASTER_GTID_WAIT; and a node that cannot be reached.
 */
@ExtendWith(RealServers.class)
class GtidDriftVerificationTest {

    private static final int ORDERS = 15_000;

    private static VerificationResult verify(ClusterConfig cluster) {
        try (NodeConnections connections = new NodeConnections(List.of(cluster))) {
            return new JdbcDataVerifier(connections, VerifyOptions.defaults(), Clock.systemUTC())
                    .verify(cluster.name(), VerifyRequest.of(List.of("shop")), ProgressListener.NONE, CancelToken.none());
        }
    }

    @Test
    void inGtidMode_plantedRowsAreNamedAndAPairWithoutDriftIsIdentical(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.GTID);
        assertEquals("Slave_Pos", pair.replicaStatus(Node.NODE1).orElseThrow().get("Using_Gtid"));
        ShopSchema.create(pair, ORDERS);
        ShopSchema.grantBotSelect(pair);
        ClusterConfig cluster = SandboxCluster.of("shop", pair);
        long waitsBefore = gtidWaits(pair, "Master_gtid_wait_count");
        long timeoutsBefore = gtidWaits(pair, "Master_gtid_wait_timeouts");
        try (ShopLoad load = new ShopLoad(pair, ORDERS)) {
            ShopDrift drift = ShopDrift.plant(pair, Node.NODE1, ORDERS, 7);
            VerificationResult planted = verify(cluster);
            Set<String> found = new TreeSet<>();
            for (RowDifference d : planted.differences()) {
                found.add(d.table() + " " + d.key().values());
            }
            System.out.printf("gtid planted: %d planted, %d found, %,d rows%n", drift.keys().size(), found.size(),
                    planted.rowsCompared());
            assertEquals(drift.keys(), found, planted.headline());
            drift.heal();

            VerificationResult clean = verify(cluster);
            System.out.printf("gtid clean: %s%n", clean.headline());
            assertEquals(TableVerdict.IDENTICAL, clean.verdict(), clean.headline());
            // The catch-ups waited by GTID (MariaDB counts MASTER_GTID_WAIT calls), and never in vain.
            assertTrue(gtidWaits(pair, "Master_gtid_wait_count") > waitsBefore, "no MASTER_GTID_WAIT was run");
            assertEquals(timeoutsBefore, gtidWaits(pair, "Master_gtid_wait_timeouts"));
            assertNull(load.endedBy(Node.NODE1));
            assertNull(load.endedBy(Node.NODE2));
        }
    }

    @Test
    void givenBothNodesInOneGtidDomain_aCatchUpStillWaitsForTheOthersWrites(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.GTID);
        ShopSchema.create(pair, ORDERS);
        ShopSchema.grantBotSelect(pair);
        ClusterConfig cluster = SandboxCluster.of("shop", pair);
        java.util.Map<Node, String> domains = new java.util.EnumMap<>(Node.class);
        for (Node n : Node.values()) {
            domains.put(n, pair.server(n).query("SELECT @@gtid_domain_id AS d").get(0).get("d"));
        }
        try {
            // gtid_domain_id's default: both masters write into domain 0.
            for (Node n : Node.values()) {
                pair.server(n).execute("SET GLOBAL gtid_domain_id = 0");
            }
            // node2 cannot apply node1's write: a catch-up that waits for it cannot settle the row.
            pair.stopSqlThread(Node.NODE2);
            pair.node1().execute("UPDATE shop.orders SET status = 'not applied yet' WHERE id = 77");
            VerificationResult held = verify(cluster);
            TableResult orders = held.tables().stream().filter(t -> t.table().table().equals("orders"))
                    .findFirst().orElseThrow();
            System.out.printf("one domain, SQL thread held: %s%n", orders.summary());
            assertEquals(TableVerdict.INCONCLUSIVE, orders.verdict(), "a write in flight is not drift: " + orders.summary());
            assertEquals(InconclusiveReason.UNSETTLED, orders.reason());
            assertTrue(orders.detail().contains("SQL thread is not running"), orders.detail());
            pair.startSqlThread(Node.NODE2);

            try (ShopLoad load = new ShopLoad(pair, ORDERS)) {
                for (int run = 1; run <= 3; run++) {
                    VerificationResult clean = verify(cluster);
                    System.out.printf("one domain, clean run %d: %s, %d false positives%n", run, clean.headline(),
                            clean.differences().size());
                    assertEquals(TableVerdict.IDENTICAL, clean.verdict(), clean.headline());
                }
                assertNull(load.endedBy(Node.NODE1));
                assertNull(load.endedBy(Node.NODE2));
            }
        } finally {
            pair.startSqlThread(Node.NODE2);
            for (Node n : Node.values()) {
                pair.server(n).execute("SET GLOBAL gtid_domain_id = " + domains.get(n));
            }
        }
    }

    private static long gtidWaits(LocalPair pair, String counter) throws Exception {
        long n = 0;
        for (Node node : Node.values()) {
            n += Long.parseLong(pair.server(node).query("SHOW GLOBAL STATUS LIKE '" + counter + "'").get(0).get("Value"));
        }
        return n;
    }

    @Test
    void aNodeThatCannotBeReachedLeavesTheVerificationInconclusive(LocalPair pair) throws Exception {
        ClusterConfig ok = SandboxCluster.of("shop", pair);
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        NodeConfig gone = new NodeConfig("node2", "127.0.0.1", closed, "node1");
        ClusterConfig cluster = new ClusterConfig(ok.name(), ok.user(), ok.password(), ok.connectTimeout(),
                ok.readTimeout(), List.of(ok.nodes().get(0), gone));
        VerificationResult r = verify(cluster);
        assertEquals(TableVerdict.INCONCLUSIVE, r.verdict());
        assertEquals(InconclusiveReason.ERROR, r.tables().get(0).reason());
        assertTrue(r.tables().get(0).detail().startsWith("node2 could not be reached"), r.tables().get(0).detail());
    }
}
