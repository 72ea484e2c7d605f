package io.mysqlresync.mysql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.mysqlresync.audit.ClusterSettings;
import io.mysqlresync.audit.NodeSettings;
import io.mysqlresync.audit.SettingsReader;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each node's settings kept for a short time, so explaining every alert update and plan of an
 * incident costs one SHOW GLOBAL VARIABLES per node, not one per message. A node that could not be
 * read is not kept: the next read tries again. Audits asked for by a person read afresh
 * ({@link JdbcSettingsReader}); only explanations go through this cache.
 */
public final class CachedSettingsReader implements SettingsReader {

    /** Settings rarely change during an incident; a SET GLOBAL shows within this long. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(1);

    /** One node at a time, as {@link JdbcSettingsReader} reads them. */
    interface NodeReader {
        List<String> nodes(String cluster);

        /** @throws SQLException whose message says why the node's settings could not be read */
        NodeSettings readNode(String cluster, String node) throws SQLException;
    }

    private record Key(String cluster, String node) {
    }

    private final NodeReader reader;
    private final Cache<Key, NodeSettings> cache;

    public CachedSettingsReader(JdbcSettingsReader reader, Duration ttl) {
        this((NodeReader) reader, ttl, System::nanoTime);
    }

    CachedSettingsReader(NodeReader reader, Duration ttl, Ticker ticker) {
        this.reader = reader;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).ticker(ticker).build();
    }

    @Override
    public ClusterSettings read(String cluster) {
        List<NodeSettings> nodes = new ArrayList<>();
        Map<String, String> unreadable = new LinkedHashMap<>();
        for (String node : reader.nodes(cluster)) {
            Key key = new Key(cluster, node);
            NodeSettings cached = cache.getIfPresent(key);
            if (cached != null) {
                nodes.add(cached);
                continue;
            }
            try {
                NodeSettings read = reader.readNode(cluster, node);
                cache.put(key, read);
                nodes.add(read);
            } catch (SQLException e) {
                unreadable.put(node, e.getMessage());
            }
        }
        return new ClusterSettings(nodes, unreadable);
    }
}
