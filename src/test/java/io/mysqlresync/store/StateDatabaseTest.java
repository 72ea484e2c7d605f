package io.mysqlresync.store;

import io.mysqlresync.config.Secret;
import io.mysqlresync.config.StateSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void a_state_server_that_does_not_answer_is_named_without_its_password() {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        StateSettings s = new StateSettings("jdbc:mysql://resync:url-s3cret@127.0.0.1:1/resync?password=url-s3cret",
                new Secret("resync"), new Secret("s3cret-state"), true);
        StateStoreException e = assertThrows(StateStoreException.class, () -> StateDatabase.open(s, Duration.ofMillis(500)));
        assertTrue(e.getMessage().startsWith("state database jdbc:mysql://****@127.0.0.1:1/resync?password=****: cannot connect"),
                e.getMessage());
        assertTrue(e.getMessage().contains("check state.jdbcUrl, state.user and state.password"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void an_embedded_database_runs_quartz_unclustered_unless_configured() {
        StateSettings single = TestStateDatabases.h2File(dir);
        StateSettings shared = new StateSettings(single.jdbcUrl(), single.user(), single.password(), true);
        try (StateDatabase a = StateDatabase.open(single); StateDatabase b = StateDatabase.open(shared)) {
            Properties pa = a.quartzProperties();
            Properties pb = b.quartzProperties();
            assertEquals("false", pa.getProperty("org.quartz.jobStore.isClustered"));
            assertEquals("true", pb.getProperty("org.quartz.jobStore.isClustered"));
            assertEquals("2000", pa.getProperty(StateDatabase.DB_RETRY_INTERVAL), "not Quartz's 15 s");
            assertEquals("org.quartz.impl.jdbcjobstore.JobStoreTX", pa.getProperty("org.quartz.jobStore.class"));
            assertEquals("org.quartz.impl.jdbcjobstore.StdJDBCDelegate",
                    pa.getProperty("org.quartz.jobStore.driverDelegateClass"));
            // Quartz data source names are global in the JVM: each open database has its own.
            String ds = pa.getProperty("org.quartz.jobStore.dataSource");
            assertNotEquals(ds, pb.getProperty("org.quartz.jobStore.dataSource"));
            assertEquals(StateConnectionProvider.class.getName(),
                    pa.getProperty("org.quartz.dataSource." + ds + ".connectionProvider.class"));
        }
    }

    @Test
    void the_url_in_logs_carries_no_password() {
        assertEquals("jdbc:mysql://****@h:3306/db?user=x&password=****&ssl=true",
                StateSettings.redact("jdbc:mysql://u:pw@h:3306/db?user=x&password=pw&ssl=true"));
        assertEquals("jdbc:h2:file:./s;USER=sa;PASSWORD=****", StateSettings.redact("jdbc:h2:file:./s;USER=sa;PASSWORD=x"));
        assertEquals("jdbc:h2:file:./state/mysql-resync;AUTO_SERVER=TRUE",
                StateSettings.redact(StateSettings.DEFAULT_URL));
    }
}
