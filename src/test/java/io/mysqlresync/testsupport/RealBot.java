package io.mysqlresync.testsupport;

import io.mysqlresync.app.Main;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.testsupport.slack.FakeSlack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The bot as it is deployed, for the tests that kill it or run several: a real
 * {@code java ... Main --config bot.yaml run} process on the test's classpath with its output in a
 * log file, its YAML (the fake Slack, approver U0ALICE, a state database, the real pair as cluster
 * "demo"), a sandbox MariaDB holding the state database, and waits that show the bots' logs when
 * they give up.
 */
public final class RealBot {

    private RealBot() {
    }

    /** {@code java -Xmx256m ... Main --config <config> run}, stdout and stderr into {@code log}. */
    public static Process start(Path config, Path log) throws IOException {
        return start(config, log, List.of("-Xmx256m"));
    }

    public static Process start(Path config, Path log, List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--config", config.toString(), "run"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * A sandbox server (its own mariadbd, not one of the pair's) with a fresh database for the
     * bots' state; root logs in.
     */
    public record StateServer(LocalServer server, String database) implements AutoCloseable {

        public static StateServer start(String name, int serverId) throws IOException, SQLException {
            LocalServer server = LocalServer.start(name, serverId, 1, 1);
            String db = "resync_" + name.replace('-', '_') + "_"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            try {
                server.execute("CREATE DATABASE " + db);
            } catch (SQLException | RuntimeException e) {
                server.close();
                throw e;
            }
            return new StateServer(server, db);
        }

        public String jdbcUrl() {
            return "jdbc:mysql://" + server.host() + ":" + server.port() + "/" + database;
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** A bot's YAML, section by section; {@link #write} puts it in a file. */
    public static Config config(String name, FakeSlack slack) {
        return new Config(name, slack);
    }

    public static final class Config {
        private final StringBuilder yaml = new StringBuilder();
        private String clusters = "";

        private Config(String name, FakeSlack slack) {
            yaml.append("""
                    slack:
                      botToken: xoxb-%s
                      appToken: xapp-%s
                      apiBaseUrl: %s
                      incidentChannel: C0INCIDENTS
                    approvals:
                      approvers: [U0ALICE]
                    """.formatted(name, name, slack.apiBaseUrl()));
        }

        /** The monitor section, one setting a line: "pollInterval: 1s". */
        public Config monitor(String... settings) {
            return section("monitor", settings);
        }

        /** The state database on {@code state}; clustered: every replica shares the job store. */
        public Config state(StateServer state, boolean clustered) {
            List<String> settings = new ArrayList<>(List.of("jdbcUrl: " + state.jdbcUrl(),
                    "user: " + Account.ROOT.user(), "password: " + Account.ROOT.password()));
            if (clustered) {
                settings.add("clustered: true");
            }
            return section("state", settings.toArray(String[]::new));
        }

        /** The state database in an H2 file that a second process may open too. */
        public Config stateInH2(Path file) {
            return section("state", "jdbcUrl: jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE");
        }

        /** /metrics and the health endpoints on a free port: several bots on one machine. */
        public Config httpOnAnyPort() {
            return section("http", "port: 0");
        }

        public Config section(String name, String... settings) {
            yaml.append(name).append(":\n");
            for (String s : settings) {
                yaml.append("  ").append(s).append('\n');
            }
            return this;
        }

        /** The pair as cluster "demo", as the bot user. */
        public Config demo(LocalPair pair) {
            return demo(pair.node1().host(), pair.node1().port(), pair.node2().host(), pair.node2().port());
        }

        /** Cluster "demo" at these addresses (a relay in front of a node, say), with settings such as "readTimeout: 60s". */
        public Config demo(String host1, int port1, String host2, int port2, String... settings) {
            return clusters(cluster("demo", host1, port1, host2, port2, settings));
        }

        /** One item of the clusters list: a pair as the bot user, with settings such as "readTimeout: 60s". */
        public static String cluster(String name, String host1, int port1, String host2, int port2, String... settings) {
            StringBuilder c = new StringBuilder("  - name: " + name + "\n    user: " + Account.BOT.user()
                    + "\n    password: " + Account.BOT.password() + "\n");
            for (String s : settings) {
                c.append("    ").append(s).append('\n');
            }
            c.append("    nodes:\n");
            c.append("      - {name: node1, host: ").append(host1).append(", port: ").append(port1).append("}\n");
            c.append("      - {name: node2, host: ").append(host2).append(", port: ").append(port2).append("}\n");
            return c.toString();
        }

        /** The items of the clusters list, as YAML ("  - name: ..."). */
        public Config clusters(String items) {
            this.clusters = items;
            return this;
        }

        public String yaml() {
            return yaml + "clusters:\n" + clusters;
        }

        public Path write(Path file) throws IOException {
            Files.writeString(file, yaml());
            return file;
        }
    }

    /** Waits for {@code probe} to give something; gives up after two minutes with the logs in {@code dir}. */
    public static <T> T await(String what, Supplier<Optional<T>> probe, Path dir) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Optional<T> got = Optional.empty();
            try {
                got = probe.get();
            } catch (RuntimeException ignored) {
                // state database or Slack fake between two states: ask again
            }
            if (got.isPresent()) {
                return got.get();
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("gave up waiting for " + what + logs(dir, Integer.MAX_VALUE));
            }
            Thread.sleep(200);
        }
    }

    /** Waits until {@code done}; gives up after {@code timeout} with the last 40 lines of every log in {@code dir}. */
    public static void await(String what, Duration timeout, BooleanSupplier done, Path dir) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("gave up waiting for " + what + logs(dir, 40));
            }
            Thread.sleep(100);
        }
    }

    /** Every *.log in {@code dir}, each its last {@code lines} lines, for a failure message. */
    public static String logs(Path dir, int lines) throws IOException {
        StringBuilder logs = new StringBuilder();
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(f -> f.toString().endsWith(".log")).sorted().toList();
        }
        for (Path f : files) {
            List<String> all = Files.readAllLines(f);
            logs.append("\n--- ").append(f.getFileName())
                    .append(all.size() > lines ? " (last " + lines + " lines)" : "").append('\n')
                    .append(String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())));
        }
        return logs.toString();
    }
}
