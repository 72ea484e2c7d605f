package io.mysqlresync.store;

import io.mysqlresync.config.Secret;
import io.mysqlresync.config.StateSettings;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/** The two kinds of state database the bot runs on: an H2 file, and a MySQL-protocol server. */
final class TestStateDatabases {

    private TestStateDatabases() {
    }

    /** The default kind: an embedded H2 file, with the URL options and empty user of the default configuration. */
    static StateSettings h2File(Path dir) {
        return new StateSettings("jdbc:h2:file:" + dir.resolve("mysql-resync").toAbsolutePath() + ";AUTO_SERVER=TRUE",
                new Secret(""), new Secret(""), false);
    }

    /**
     * A throwaway database on the local MariaDB/MySQL server (127.0.0.1:3306, root without a
     * password, unless STATE_TEST_MYSQL_HOST/PORT/USER/PASSWORD say otherwise), dropped on close.
     * When the server is not there the test is skipped, except in CI (CI=true), where it fails.
     */
    static final class ThrowawayMysql implements AutoCloseable {
        static final String HOST = env("STATE_TEST_MYSQL_HOST", "127.0.0.1");
        static final int PORT = Integer.parseInt(env("STATE_TEST_MYSQL_PORT", "3306"));
        static final String USER = env("STATE_TEST_MYSQL_USER", "root");
        static final String PASSWORD = env("STATE_TEST_MYSQL_PASSWORD", "");

        final String database;

        private ThrowawayMysql(String database) {
            this.database = database;
        }

        static ThrowawayMysql createOrSkip() {
            String name = "resync_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
            } catch (SQLException e) {
                String why = "no MySQL/MariaDB server for state tests at " + HOST + ":" + PORT + ": " + e.getMessage();
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new AssertionError(why + " (CI=true: real-server tests may not be skipped)", e);
                }
                Assumptions.abort(why);
            }
            return new ThrowawayMysql(name);
        }

        String url() {
            return "jdbc:mysql://" + HOST + ":" + PORT + "/" + database;
        }

        StateSettings settings(boolean clustered) {
            return new StateSettings(url(), new Secret(USER), new Secret(PASSWORD), clustered);
        }

        static Connection admin() throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", USER);
            p.setProperty("password", PASSWORD);
            p.setProperty("connectTimeout", "3000");
            return DriverManager.getConnection("jdbc:mysql://" + HOST + ":" + PORT + "/", p);
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database);
            }
        }

        private static String env(String name, String dflt) {
            String v = System.getenv(name);
            return v == null || v.isEmpty() ? dflt : v;
        }
    }
}
