package io.mysqlresync.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real mariadbd (or mysqld) on a free 127.0.0.1 port, with its own throwaway datadir, socket,
 * pid file and error log, configured for active-active replication: binlog and relay log on,
 * ROW format, log_slave_updates, its own auto-increment offset.
 *
 * <p>It only ever signals the process it started. A JVM shutdown hook kills any server still
 * running and deletes the sandbox directory, so an aborted test run leaves nothing behind.
 */
public final class LocalServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    /** Bounded everywhere: a test must fail, never hang, when a server stops answering. */
    private static final String JDBC_OPTIONS =
            "connectTimeout=2000&socketTimeout=10000&allowPublicKeyRetrieval=true&sslMode=DISABLED";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static Path sandboxRoot;

    private final ServerBinary binary;
    private final String name;
    private final int serverId;
    private final int autoIncrementIncrement;
    private final int autoIncrementOffset;
    private final Path dir;
    private final Path dataDir;
    private final List<String> options;
    private int port;
    private volatile Process process;

    private LocalServer(ServerBinary binary, String name, int serverId, int autoIncrementIncrement,
                        int autoIncrementOffset, Path dir, List<String> options) {
        this.binary = binary;
        this.options = List.copyOf(options);
        this.name = name;
        this.serverId = serverId;
        this.autoIncrementIncrement = autoIncrementIncrement;
        this.autoIncrementOffset = autoIncrementOffset;
        this.dir = dir;
        this.dataDir = dir.resolve("data");
    }

    /**
     * Copies the template datadir and starts a server on a free port; returns once a JDBC
     * connection works.
     *
     * @throws IOException with the tail of the error log when the server does not come up
     */
    public static LocalServer start(String name, int serverId, int autoIncrementIncrement, int autoIncrementOffset)
            throws IOException {
        return start(name, serverId, autoIncrementIncrement, autoIncrementOffset, List.of());
    }

    /**
     * Like {@link #start(String, int, int, int)}, with server options (e.g. "--sync-binlog=0") put
     * after the sandbox's own, so they win; kept for every restart.
     */
    public static LocalServer start(String name, int serverId, int autoIncrementIncrement, int autoIncrementOffset,
                                    List<String> options) throws IOException {
        ServerBinary binary = ServerBinary.require();
        Path template = binary.templateDataDir();
        Path dir = Files.createTempDirectory(sandboxRoot(), name + "-");
        LocalServer server = new LocalServer(binary, name, serverId, autoIncrementIncrement, autoIncrementOffset, dir,
                options);
        try {
            copyTree(template, server.dataDir);
            if (!binary.isMariaDb()) {
                // MySQL keeps server_uuid in auto.cnf: copies of one datadir would share it and
                // refuse to replicate from each other.
                Files.deleteIfExists(server.dataDir.resolve("auto.cnf"));
            }
            Files.createDirectories(dir.resolve("tmp"));
            server.launchOnFreePort();
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public int serverId() {
        return serverId;
    }

    public ServerBinary binary() {
        return binary;
    }

    /** The datadir: binlogs (mysql-bin.*), relay logs (relay-bin.*), master.info, relay-log.info. */
    public Path dataDir() {
        return dataDir;
    }

    public Path errorLog() {
        return dir.resolve("error.log");
    }

    /** The directory holding everything of this server; deleted by {@link #close()}. */
    public Path directory() {
        return dir;
    }

    /** The PID of the process most recently started, running or not; -1 before the first start. */
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** {@code jdbc:mysql://127.0.0.1:PORT/} with connect and socket timeouts. */
    public String jdbcUrl() {
        return "jdbc:mysql://" + HOST + ":" + port + "/?" + JDBC_OPTIONS;
    }

    public Connection connect() throws SQLException {
        return connect(Account.ROOT);
    }

    public Connection connect(Account account) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), account.user(), account.password());
    }

    /** Runs statements in order on one root connection (so session settings like sql_log_bin carry over). */
    public void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Every row as column label to value, as the server printed it (NULL stays null). */
    public List<Map<String, String>> query(String sql) throws SQLException {
        return query(Account.ROOT, sql);
    }

    public List<Map<String, String>> query(Account account, String sql) throws SQLException {
        try (Connection c = connect(account)) {
            return query(c, sql);
        }
    }

    static List<Map<String, String>> query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, String>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /**
     * The replica status row of the default connection: SHOW ALL SLAVES STATUS on MariaDB (the
     * SHOW SLAVE STATUS columns plus Connection_name, Gtid_Slave_Pos and a few counters), SHOW
     * REPLICA STATUS on MySQL. Empty when this server is not a replica.
     */
    public Optional<Map<String, String>> replicaStatus() throws SQLException {
        return query(ReplicationSql.of(binary).replicaStatus()).stream().findFirst();
    }

    /** SHOW BINARY LOGS: Log_name and File_size per file. */
    public List<Map<String, String>> binaryLogs() throws SQLException {
        return query("SHOW BINARY LOGS");
    }

    /** Where this server writes its binlog now: File and Position. */
    public Map<String, String> binlogHead() throws SQLException {
        return query(ReplicationSql.of(binary).binlogHead()).stream().findFirst()
                .orElseThrow(() -> new SQLException(name + " has no binary log: is log_bin off?"));
    }

    public String errorLogTail(int lines) {
        return tail(errorLog(), lines);
    }

    /** Starts the server again on the same port and datadir, if it is not running. */
    public synchronized void start() throws IOException {
        if (!isRunning()) {
            launch();
        }
    }

    /** Graceful shutdown (SIGTERM, InnoDB and binlog closed cleanly); kill -9 only if it does not exit in time. */
    public synchronized void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        if (!waitForExit(p, STOP_TIMEOUT)) {
            p.destroyForcibly();
            waitForExit(p, Duration.ofSeconds(10));
        }
        LIVE.remove(p);
    }

    /** kill -9 of exactly this server's PID: what a power cut does to the process (not to the page cache). */
    public synchronized void killHard() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroyForcibly();
        waitForExit(p, Duration.ofSeconds(10));
        LIVE.remove(p);
    }

    /** Graceful stop, then start on the same port with the same datadir. */
    public synchronized void restart() throws IOException {
        stop();
        launch();
    }

    /** Kills the server (its data is thrown away, so a clean shutdown would only cost time) and deletes its directory. */
    @Override
    public synchronized void close() {
        killHard();
        deleteTree(dir);
    }

    @Override
    public String toString() {
        return name + " (" + HOST + ":" + port + ", server_id " + serverId + ")";
    }

    private void launchOnFreePort() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = freePort();
            try {
                launch();
                return;
            } catch (IOException e) {
                // Another process may take the port between our probe and the server's bind.
                if (!errorLogTail(20).contains("Address already in use")) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private void launch() throws IOException {
        Process p = new ProcessBuilder(arguments())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile()))
                .start();
        LIVE.add(p);
        process = p;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException lastError = null;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                LIVE.remove(p);
                throw new IOException(name + " exited with status " + p.exitValue() + " while starting on port "
                        + port + "; error log " + errorLog() + " ends with:\n" + errorLogTail(25));
            }
            try (Connection ignored = connect()) {
                return;
            } catch (SQLException e) {
                lastError = e;
            }
            sleep(Duration.ofMillis(50));
        }
        p.destroyForcibly();
        waitForExit(p, Duration.ofSeconds(10));
        LIVE.remove(p);
        throw new IOException(name + " did not accept connections on port " + port + " within " + START_TIMEOUT
                + " (last error: " + (lastError == null ? "none" : lastError.getMessage()) + "); error log ends with:\n"
                + errorLogTail(25));
    }

    private List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add(binary.path().toString());
        args.add("--no-defaults"); // must come first; never read /etc/mysql of the machine's own server
        if (runningAsRoot()) {
            args.add("--user=root"); // mariadbd refuses to run as root without it
        }
        args.addAll(List.of(
                "--datadir=" + dataDir,
                "--tmpdir=" + dir.resolve("tmp"),
                "--port=" + port,
                "--bind-address=" + HOST,
                "--socket=" + dir.resolve("sock"),
                "--pid-file=" + dir.resolve("server.pid"),
                "--log-error=" + errorLog(),
                "--server-id=" + serverId,
                "--log-bin=mysql-bin",
                "--relay-log=relay-bin",
                "--binlog-format=ROW",
                "--log-slave-updates=ON",
                "--auto-increment-increment=" + autoIncrementIncrement,
                "--auto-increment-offset=" + autoIncrementOffset,
                "--skip-name-resolve",
                // Several sandboxes on a small CI machine can exhaust the kernel's aio contexts.
                "--innodb-use-native-aio=0"));
        args.addAll(innodbSizing());
        if (binary.isMariaDb()) {
            // One GTID domain per node: MariaDB's advice for multi-master, so the two nodes'
            // sequence numbers never compete in one domain.
            args.add("--gtid-domain-id=" + serverId);
            args.add("--aria-pagecache-buffer-size=8M");
            args.add("--key-buffer-size=1M");
        } else {
            args.addAll(List.of("--gtid-mode=ON", "--enforce-gtid-consistency=ON", "--mysqlx=OFF"));
        }
        args.addAll(options); // last: the server takes the last occurrence of an option
        return args;
    }

    /** Small InnoDB so a server starts in well under a second; the template is installed with the same sizes. */
    static List<String> innodbSizing() {
        return List.of("--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M");
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The JVM-wide directory under which every sandbox server lives; removed at JVM exit. */
    static synchronized Path sandboxRoot() throws IOException {
        if (sandboxRoot == null) {
            sandboxRoot = Files.createTempDirectory("mysql-resync-sandbox-");
            Path root = sandboxRoot;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (Process p : LIVE) {
                    p.destroyForcibly();
                }
                for (Process p : LIVE) {
                    waitForExit(p, Duration.ofSeconds(5));
                }
                deleteTree(root);
            }, "mysql-resync-sandbox-cleanup"));
        }
        return sandboxRoot;
    }

    /** How many servers this JVM started that are still running. */
    public static int runningServers() {
        LIVE.removeIf(p -> !p.isAlive());
        return LIVE.size();
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private static boolean waitForExit(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover temp directory must not fail a test that already passed.
        }
    }
}
