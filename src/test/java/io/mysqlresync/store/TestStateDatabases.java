package io.mysqlresync.store;

import io.mysqlresync.config.Secret;
import io.mysqlresync.config.StateSettings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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
     * A throwaway database for one test class: created before its tests, dropped after them
     * (skipped without a server, except in CI). For the MariaDB runs of the store contracts.
     */
    static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private ThrowawayMysql server;

        @Override
        public void beforeAll(ExtensionContext context) {
            server = ThrowawayMysql.createOrSkip();
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            if (server != null) {
                server.close();
            }
        }

        ThrowawayMysql server() {
            return server;
        }

        StateSettings settings(boolean clustered) {
            return server.settings(clustered);
        }
    }

    /**
     * A throwaway database on the local MariaDB/MySQL server (127.0.0.1:3306, root without a
     * password, unless STATE_TEST_MYSQL_HOST/PORT/USER/PASSWORD say otherwise), dropped on close.
     * When the server is not there the test is skipped, except in CI (CI=true), where it fails.
     */
    static final class ThrowawayMysql implements AutoCloseable {
        private static final String CONFIGURED_HOST = env("STATE_TEST_MYSQL_HOST", "127.0.0.1");
        private static final int CONFIGURED_PORT = Integer.parseInt(env("STATE_TEST_MYSQL_PORT", "3306"));
        private static final String CONFIGURED_USER = env("STATE_TEST_MYSQL_USER", "root");
        private static final String CONFIGURED_PASSWORD = env("STATE_TEST_MYSQL_PASSWORD", "");

        /**
         * The server the state tests use: the local one when it takes the configured login, else
         * (a fresh machine, where root logs in only through the unix socket) a sandbox server
         * of our own, started once per JVM and killed with it.
         */
        static final Target TARGET = chooseTarget();
        static final String HOST = TARGET.host();
        static final int PORT = TARGET.port();
        static final String USER = TARGET.user();
        static final String PASSWORD = TARGET.password();

        record Target(String host, int port, String user, String password, String unavailable) {
        }

        private static Target chooseTarget() {
            try (Connection c = connect(CONFIGURED_HOST, CONFIGURED_PORT, CONFIGURED_USER, CONFIGURED_PASSWORD)) {
                return new Target(CONFIGURED_HOST, CONFIGURED_PORT, CONFIGURED_USER, CONFIGURED_PASSWORD, null);
            } catch (SQLException local) {
                if (io.mysqlresync.sandbox.ServerBinary.find().isEmpty()) {
                    return new Target(CONFIGURED_HOST, CONFIGURED_PORT, CONFIGURED_USER, CONFIGURED_PASSWORD,
                            "no MySQL/MariaDB server for state tests at " + CONFIGURED_HOST + ":" + CONFIGURED_PORT
                                    + " (" + local.getMessage() + ") and no mariadbd/mysqld to start one");
                }
                try {
                    io.mysqlresync.sandbox.LocalServer server = io.mysqlresync.sandbox.LocalServer.start("state", 900, 1, 1);
                    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "state-test-server"));
                    io.mysqlresync.sandbox.Account root = io.mysqlresync.sandbox.Account.ROOT;
                    return new Target(server.host(), server.port(), root.user(), root.password(), null);
                } catch (Exception e) {
                    return new Target(CONFIGURED_HOST, CONFIGURED_PORT, CONFIGURED_USER, CONFIGURED_PASSWORD,
                            "could not start a sandbox server for state tests: " + e.getMessage());
                }
            }
        }

        final String database;

        private ThrowawayMysql(String database) {
            this.database = database;
        }

        static ThrowawayMysql createOrSkip() {
            String name = "resync_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            String why = TARGET.unavailable();
            if (why == null) {
                try (Connection c = admin(); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
                    return new ThrowawayMysql(name);
                } catch (SQLException e) {
                    why = "no MySQL/MariaDB server for state tests at " + HOST + ":" + PORT + ": " + e.getMessage();
                }
            }
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + " (CI=true: real-server tests may not be skipped)");
            }
            Assumptions.abort(why);
            return null;
        }

        String url() {
            return "jdbc:mysql://" + HOST + ":" + PORT + "/" + database;
        }

        StateSettings settings(boolean clustered) {
            return new StateSettings(url(), new Secret(USER), new Secret(PASSWORD), clustered);
        }

        static Connection admin() throws SQLException {
            return connect(HOST, PORT, USER, PASSWORD);
        }

        private static Connection connect(String host, int port, String user, String password) throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", password);
            p.setProperty("connectTimeout", "3000");
            p.setProperty("allowPublicKeyRetrieval", "true");
            return DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/", p);
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
