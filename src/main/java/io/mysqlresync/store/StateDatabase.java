package io.mysqlresync.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mysqlresync.config.StateSettings;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bot's state database: a connection pool on {@code state.jdbcUrl}, the schema brought up
 * to date by Flyway when it opens, and Quartz properties for a JDBC job store on the same pool.
 * An embedded H2 file serves one bot; a MySQL/MariaDB server serves several replicas, and then
 * the Quartz job store is always clustered.
 */
public final class StateDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateDatabase.class);

    /** Schema versions, shared by H2 and MySQL/MariaDB (see V1__state.sql for why one script serves both). */
    public static final String MIGRATIONS = "classpath:db/migration";

    /**
     * The only vendor-specific SQL, substituted for ${tableOptions} in the migrations: InnoDB
     * for row locks and transactions (the guards and Quartz's clustering rely on them, and a
     * server whose default engine is MyISAM would silently lose both), utf8mb4 with a binary
     * collation so ids compare exactly as in Java.
     */
    private static final String MYSQL_TABLE_OPTIONS = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

    /** How long opening waits for the server: a state server restarting at the same time as the bot. */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(10);

    /** Quartz data source names are global in a JVM (DBConnectionManager): one per open database. */
    private static final AtomicInteger OPENED = new AtomicInteger();


    private final StateSettings settings;
    private final boolean embedded;
    private final HikariDataSource pool;
    private final String quartzDataSource;

    private StateDatabase(StateSettings settings, HikariDataSource pool) {
        this.settings = settings;
        this.embedded = isH2(settings.jdbcUrl());
        this.pool = pool;
        this.quartzDataSource = "resyncState" + OPENED.incrementAndGet();
        StateConnectionProvider.register(quartzDataSource, pool);
    }

    /**
     * Opens the pool and migrates the schema. Several replicas may start at once: Flyway takes
     * a lock in the database, so one migrates and the others find the schema up to date.
     */
    public static StateDatabase open(StateSettings settings) {
        return open(settings, STARTUP_WAIT);
    }

    static StateDatabase open(StateSettings settings, Duration startupWait) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(settings, startupWait));
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StateStoreException("state database " + StateSettings.redact(settings.jdbcUrl()) + ": cannot connect within "
                    + startupWait.toMillis() + " ms: " + StateSettings.redact(String.valueOf(cause.getMessage()))
                    + "; check state.jdbcUrl, state.user and state.password", e);
        }
        StateDatabase db;
        try {
            db = new StateDatabase(settings, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        try {
            int applied = db.migrate();
            LOG.info("state database {} ({}): schema up to date, {} migration(s) applied",
                    db.describe(), db.embedded ? "embedded H2" : "MySQL/MariaDB", applied);
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static HikariConfig poolConfig(StateSettings s, Duration startupWait) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(driverUrl(withoutH2ShutdownHook(s.jdbcUrl())));
        c.setUsername(s.user().reveal());
        c.setPassword(s.password().reveal());
        c.setPoolName("resync-state");
        // Quartz's scheduler, misfire and cluster threads plus its workers, and the store.
        c.setMaximumPoolSize(10);
        c.setMinimumIdle(2);
        // Fail startup, and a click, within seconds rather than Hikari's default 30 s.
        c.setConnectionTimeout(10_000);
        c.setInitializationFailTimeout(Math.max(1, startupWait.toMillis()));
        if (!isH2(s.jdbcUrl())) {
            // Notice a state server that went away (failover, idle firewall) before handing out a dead connection.
            c.setKeepaliveTime(60_000);
            c.addDataSourceProperty("connectTimeout", "5000");
            c.addDataSourceProperty("tcpKeepAlive", "true");
            // The compare-and-set methods count matched rows; with useAffectedRows=true in the URL
            // an update that writes identical values would count 0 and read as "someone else won".
            // Connector/J lets these properties override the URL.
            c.addDataSourceProperty("useAffectedRows", "false");
        }
        return c;
    }

    /**
     * The configuration accepts jdbc:mariadb: URLs, but only MySQL Connector/J is on the
     * classpath; it speaks to MariaDB just as well, under the jdbc:mysql: scheme.
     */
    static String driverUrl(String url) {
        if (url.startsWith("jdbc:mariadb:")) {
            try {
                DriverManager.getDriver(url);
                return url;
            } catch (SQLException noDriver) {
                return "jdbc:mysql:" + url.substring("jdbc:mariadb:".length());
            }
        }
        return url;
    }

    /**
     * H2 closes a file database from its own JVM shutdown hook, possibly while a monitor job is
     * finishing; Quartz then waits its retry interval before retrying (see
     * {@link #quartzProperties()}). We close the pool ourselves on shutdown, so H2's hook is
     * turned off where H2 allows it.
     */
    static String withoutH2ShutdownHook(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        // H2 refuses the option with AUTO_SERVER=TRUE (the default URL): there its hook stays.
        if (!isH2(url) || upper.contains("DB_CLOSE_ON_EXIT") || upper.contains("AUTO_SERVER=TRUE")
                || url.startsWith("jdbc:h2:mem:")) {
            return url;
        }
        return url + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    static boolean isH2(String url) {
        return url.startsWith("jdbc:h2:");
    }

    /** Applies pending migrations; returns how many ran (0 when the schema is current). */
    public int migrate() {
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(pool)
                    .locations(MIGRATIONS)
                    .placeholders(Map.of("tableOptions", embedded ? "" : MYSQL_TABLE_OPTIONS))
                    .load()
                    .migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new StateStoreException("state database " + describe() + ": schema migration failed: "
                    + e.getMessage(), e);
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Quartz's JDBC job store is clustered when configured so, and always on a shared server. */
    public boolean clustered() {
        return settings.clustered() || !embedded;
    }

    /** The URL without credentials, for logs and messages. */
    public String describe() {
        return StateSettings.redact(settings.jdbcUrl());
    }

    /**
     * Properties for {@code new StdSchedulerFactory(props)}: a JDBC job store (JobStoreTX,
     * StdJDBCDelegate for both H2 and MySQL/MariaDB) on this database's pool, clustered per
     * {@link #clustered()}. Callers may override the thread pool or add their own keys; every
     * replica must keep the same {@code instanceName} to form one cluster.
     */
    static final String DB_RETRY_INTERVAL = "org.quartz.jobStore.dbRetryInterval";

    public Properties quartzProperties() {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "mysql-resync");
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.instanceIdGenerator.class", ReplicaInstanceId.class.getName());
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", "4");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.dataSource", quartzDataSource);
        p.setProperty("org.quartz.jobStore.isClustered", Boolean.toString(clustered()));
        // A replica that stops checking in has its jobs taken over by another after about this long.
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
        // After a failed job store read or write Quartz sleeps this long before trying again: with
        // its default 15 s, polls resumed up to 15 s after a state database blip, and a stop that
        // met H2 closing under a job waited that long (ResyncScheduler.close has the rest).
        p.setProperty(DB_RETRY_INTERVAL, "2000");
        p.setProperty("org.quartz.dataSource." + quartzDataSource + ".connectionProvider.class",
                StateConnectionProvider.class.getName());
        p.setProperty("org.quartz.dataSource." + quartzDataSource + ".stateDatabase", quartzDataSource);
        return p;
    }

    @Override
    public void close() {
        StateConnectionProvider.unregister(quartzDataSource);
        pool.close();
    }
}
