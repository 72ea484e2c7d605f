package io.mysqlresync.testsupport;

import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.config.Secret;
import io.mysqlresync.config.StateSettings;
import io.mysqlresync.store.JdbcResyncStore;
import io.mysqlresync.store.StateDatabase;

import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

/**
 * The bot's real state store on an in-memory H2 database, and monitor settings short enough for
 * tests. {@link #fresh()} is a private database per test; {@link #open(String, boolean)} of one
 * name twice is a second replica on the same database.
 */
public final class StateFixture implements AutoCloseable {

    public final StateDatabase database;
    public final JdbcResyncStore store;

    private StateFixture(StateDatabase database) {
        this.database = database;
        this.store = store(database);
    }

    /** A private, migrated database for one test; closed with {@link #close()}. */
    public static StateFixture fresh() {
        return new StateFixture(open(newDatabaseName(), false));
    }

    @Override
    public void close() {
        database.close();
    }

    public static String newDatabaseName() {
        return "state-" + UUID.randomUUID();
    }

    public static StateDatabase open(String name, boolean clustered) {
        return StateDatabase.open(new StateSettings("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1",
                new Secret(""), new Secret(""), clustered));
    }

    public static JdbcResyncStore store(StateDatabase db) {
        return new JdbcResyncStore(db.dataSource());
    }

    /**
     * The state database's Quartz job store, with a fixed instance id: two replicas created in the
     * same millisecond would get the same AUTO id, and clustered Quartz needs them distinct.
     */
    public static Properties quartz(StateDatabase db, String replica) {
        Properties p = db.quartzProperties();
        p.setProperty("org.quartz.scheduler.instanceId", replica);
        return p;
    }

    /**
     * @param poll     monitor interval
     * @param progress lag watch interval
     */
    public static MonitorSettings settings(Duration poll, Duration progress) {
        // Three monitor shards, not the default twelve: at the tests' sub-second polls that many
        // triggers would load the shared machine for nothing (MonitorShardsTest covers more).
        return new MonitorSettings(poll, Duration.ofSeconds(30), Duration.ofMinutes(15), progress, 3,
                Duration.ofMinutes(5), 3);
    }
}
