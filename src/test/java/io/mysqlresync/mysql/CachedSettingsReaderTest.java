package io.mysqlresync.mysql;

import io.mysqlresync.audit.ClusterSettings;
import io.mysqlresync.audit.NodeSettings;
import io.mysqlresync.replication.ServerVersion;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Explaining every alert update reads each node's settings once a minute at most; a node that failed is tried again. */
class CachedSettingsReaderTest {

    private final List<String> reads = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    private volatile boolean node2Down = true;

    private final CachedSettingsReader.NodeReader nodes = new CachedSettingsReader.NodeReader() {
        @Override
        public List<String> nodes(String cluster) {
            return List.of("node1", "node2");
        }

        @Override
        public NodeSettings readNode(String cluster, String node) throws SQLException {
            reads.add(node);
            if (node.equals("node2") && node2Down) {
                throw new SQLException("connection refused");
            }
            return new NodeSettings(node, ServerVersion.parse("10.11.19-MariaDB", "mariadb.org"), Map.of("sync_binlog", "0"));
        }
    };

    @Test
    void eachNodeIsReadOncePerMinuteAndAFailedReadIsNotKept() {
        CachedSettingsReader cached = new CachedSettingsReader(nodes, Duration.ofMinutes(1), nanos::get);

        ClusterSettings first = cached.read("shop");
        assertEquals(List.of("node1"), first.nodes().stream().map(NodeSettings::node).toList());
        assertEquals(Map.of("node2", "connection refused"), first.unreadable());

        node2Down = false;
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        ClusterSettings second = cached.read("shop");
        assertEquals(List.of("node1", "node2"), second.nodes().stream().map(NodeSettings::node).toList());
        assertEquals(List.of("node1", "node2", "node2"), reads, "node1 from the cache, node2 read again");

        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        cached.read("shop");
        assertEquals(List.of("node1", "node2", "node2", "node1"), reads, "node1 read again after a minute");
    }
}
