package io.mysqlresync.store;

import org.quartz.utils.ConnectionProvider;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands Quartz's JDBC job store connections from the state database's pool, so the scheduler
 * and the store share one pool and one database. Quartz creates this class itself from its
 * properties ({@code org.quartz.dataSource.NAME.connectionProvider.class}) and sets
 * {@code stateDatabase} from {@code org.quartz.dataSource.NAME.stateDatabase}; that name finds
 * the pool a {@link StateDatabase} registered here, because Quartz offers no way to pass an
 * object in.
 */
public final class StateConnectionProvider implements ConnectionProvider {

    private static final Map<String, DataSource> POOLS = new ConcurrentHashMap<>();

    private String stateDatabase;
    private volatile DataSource pool;

    static void register(String name, DataSource dataSource) {
        POOLS.put(name, dataSource);
    }

    static void unregister(String name) {
        POOLS.remove(name);
    }

    /** Set by Quartz from the properties. */
    public void setStateDatabase(String name) {
        this.stateDatabase = name;
    }

    @Override
    public void initialize() throws SQLException {
        DataSource ds = stateDatabase == null ? null : POOLS.get(stateDatabase);
        if (ds == null) {
            throw new SQLException("no open state database named '" + stateDatabase
                    + "': build the Quartz properties with StateDatabase.quartzProperties() and keep it open");
        }
        pool = ds;
    }

    @Override
    public Connection getConnection() throws SQLException {
        DataSource ds = pool;
        if (ds == null) {
            throw new SQLException("state database connection provider used before initialize()");
        }
        return ds.getConnection();
    }

    /** Quartz calls this when the scheduler shuts down; the pool belongs to the StateDatabase. */
    @Override
    public void shutdown() {
        pool = null;
    }
}
