package io.mysqlresync.mysql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mysqlresync.recovery.BotGrants;
import io.mysqlresync.recovery.GrantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bot's own grants per node: {@code SHOW GRANTS} over the node's kept connection, cached
 * (grants change rarely; a plan is made on every click and poll that finds a problem). A node
 * that cannot be asked gives "unknown", which is not cached, so the next plan asks again.
 */
public final class JdbcGrantReader implements GrantSource {

    private static final Logger log = LoggerFactory.getLogger(JdbcGrantReader.class);
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    private record Key(String cluster, String node) {
    }

    private final NodeConnections connections;
    private final Cache<Key, BotGrants> cache;

    public JdbcGrantReader(NodeConnections connections) {
        this(connections, DEFAULT_TTL);
    }

    public JdbcGrantReader(NodeConnections connections, Duration ttl) {
        this.connections = connections;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(1000).build();
    }

    @Override
    public Optional<BotGrants> grantsOn(String cluster, String node) {
        Key key = new Key(cluster, node);
        BotGrants cached = cache.getIfPresent(key);
        if (cached != null) return Optional.of(cached);
        Optional<BotGrants> read = read(cluster, node);
        read.ifPresent(g -> cache.put(key, g));
        return read;
    }

    /** Forgets what was read, e.g. after a DBA granted something and asks for the plan again. */
    public void forget() {
        cache.invalidateAll();
    }

    private Optional<BotGrants> read(String cluster, String node) {
        synchronized (connections.lockFor(cluster, node)) {
            try (Statement st = connections.connection(cluster, node).createStatement();
                 ResultSet rs = st.executeQuery("SHOW GRANTS")) {
                List<String> lines = new ArrayList<>();
                while (rs.next()) lines.add(rs.getString(1));
                return Optional.of(BotGrants.parse(lines));
            } catch (SQLException e) {
                if (e.getErrorCode() == 0) connections.discard(cluster, node);
                log.warn("Could not read the bot's grants on {}/{} ({}); options stay as the recipes make them",
                        cluster, node, JdbcClusterReader.describe(e));
                return Optional.empty();
            }
        }
    }
}
