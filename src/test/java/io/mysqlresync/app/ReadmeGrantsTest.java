package io.mysqlresync.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's grants name the MariaDB release that has them: SLAVE MONITOR was added in 10.5.9
 * (MariaDB manual, "GRANT": SLAVE MONITOR, "Added in MariaDB 10.5.9"); a GRANT naming it fails on
 * 10.5.0-10.5.8.
 */
class ReadmeGrantsTest {

    @Test
    void theGrantsSectionSaysSlaveMonitorNeedsMariadb1059() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String grants = readme.substring(readme.indexOf("## The MySQL grants the bot needs"),
                readme.indexOf("MySQL 8.0 / 8.4:"));
        assertTrue(grants.contains("MariaDB 10.5.9 or later"), grants);
        assertFalse(grants.contains("MariaDB 10.5+"), grants);
        assertTrue(grants.contains("GRANT SLAVE MONITOR"), grants);
    }
}
