package io.mysqlresync.schedule;

import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.config.Secret;
import io.mysqlresync.config.StateSettings;
import io.mysqlresync.store.JdbcResyncStore;
import io.mysqlresync.store.StateDatabase;

import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

/** The real state store on an in-memory H2 database, and monitor settings short enough for tests. */
final class StateFixture {

    private StateFixture() {
    }

    /** A fresh H2 database, migrated; a second {@link #open(String, boolean)} of the same name is another replica. */
    static String newDatabaseName() {
        return "sched-" + UUID.randomUUID();
    }

    static StateDatabase open(String name, boolean clustered) {
        return StateDatabase.open(new StateSettings("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1",
                new Secret(""), new Secret(""), clustered));
    }

    static JdbcResyncStore store(StateDatabase db) {
        return new JdbcResyncStore(db.dataSource());
    }

    /**
     * The state database's Quartz job store, with a fixed instance id: two replicas created in the
     * same millisecond would get the same AUTO id, and clustered Quartz needs them distinct.
     */
    static Properties quartz(StateDatabase db, String replica) {
        Properties p = db.quartzProperties();
        p.setProperty("org.quartz.scheduler.instanceId", replica);
        return p;
    }

    /**
     * @param poll     monitor interval
     * @param progress lag watch interval
     */
    static MonitorSettings settings(Duration poll, Duration progress) {
        return new MonitorSettings(poll, Duration.ofSeconds(30), Duration.ofMinutes(15), progress, 3,
                Duration.ofMinutes(5));
    }
}
