package io.mysqlresync.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MariaDB or MySQL server binary on this machine, and the one template datadir per JVM that
 * every sandbox server starts from (installing a datadir takes longer than starting a server).
 */
public final class ServerBinary {

    public enum Kind { MARIADB, MYSQL }

    /** Environment variable naming the server binary to use instead of searching for one. */
    public static final String OVERRIDE = "MYSQL_RESYNC_MYSQLD";

    /** Where distributions put the server when it is not on PATH (root's PATH has sbin, a user's often not). */
    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin");
    private static final Pattern VERSION = Pattern.compile("Ver (\\d+)\\.(\\d+)\\.(\\d+)");

    private static Optional<ServerBinary> found;
    private static Path template;

    private final Path server;
    private final Kind kind;
    private final String versionLine;
    private final int major;
    private final int minor;

    private ServerBinary(Path server, Kind kind, String versionLine, int major, int minor) {
        this.server = server;
        this.kind = kind;
        this.versionLine = versionLine;
        this.major = major;
        this.minor = minor;
    }

    /**
     * The server named by the environment variable {@value #OVERRIDE} (to test against a
     * particular build, e.g. a MySQL tarball), else mariadbd, else mysqld, from PATH or the usual
     * sbin directories; empty when there is none.
     */
    public static synchronized Optional<ServerBinary> find() {
        if (found == null) {
            String override = System.getenv(OVERRIDE);
            Optional<Path> server = override != null && !override.isBlank()
                    ? Optional.of(Paths.get(override)).filter(Files::isExecutable)
                    : locate("mariadbd").or(() -> locate("mysqld"));
            found = server.flatMap(ServerBinary::probe);
        }
        return found;
    }

    /** Like {@link #find()}, but says what was looked for when nothing is there. */
    public static ServerBinary require() {
        return find().orElseThrow(() -> new IllegalStateException(System.getenv(OVERRIDE) != null
                ? OVERRIDE + "=" + System.getenv(OVERRIDE) + " is not an executable server binary"
                : "No mariadbd or mysqld found on PATH or in " + EXTRA_DIRS
                        + ": install mariadb-server (Debian: apt-get install -y mariadb-server)"));
    }

    public Path path() {
        return server;
    }

    public Kind kind() {
        return kind;
    }

    /** The first line of {@code --version}, e.g. "mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu". */
    public String versionLine() {
        return versionLine;
    }

    public boolean isMariaDb() {
        return kind == Kind.MARIADB;
    }

    boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }

    /**
     * A datadir with the system tables, the sandbox accounts and the demo schema, made once per
     * JVM under {@link LocalServer#sandboxRoot()}; servers start from copies of it.
     */
    synchronized Path templateDataDir() throws IOException {
        if (template == null) {
            Path dir = LocalServer.sandboxRoot().resolve("template");
            Files.createDirectories(dir);
            Path setup = dir.resolve("setup.sql");
            Files.writeString(setup, setupSql());
            Path datadir = dir.resolve("data");
            Path log = dir.resolve("install.log");
            List<String> command = isMariaDb() ? mariadbInstall(datadir, setup) : mysqlInitialize(datadir, setup);
            Process install = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done;
            try {
                done = install.waitFor(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                install.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while installing the template datadir", e);
            }
            if (!done) {
                install.destroyForcibly();
            }
            if (!done || install.exitValue() != 0) {
                throw new IOException("Installing the template datadir failed (" + String.join(" ", command) + "):\n"
                        + LocalServer.tail(log, 30));
            }
            template = datadir;
        }
        return template;
    }

    private List<String> mariadbInstall(Path datadir, Path setup) throws IOException {
        Path tool = locate("mariadb-install-db").or(() -> locate("mysql_install_db"))
                .orElseThrow(() -> new IOException("mariadb-install-db not found next to " + server));
        List<String> command = new ArrayList<>(List.of(tool.toString(), "--no-defaults",
                "--datadir=" + datadir, "--auth-root-authentication-method=normal", "--skip-test-db",
                "--skip-name-resolve", "--extra-file=" + setup));
        command.addAll(LocalServer.innodbSizing());
        if (LocalServer.runningAsRoot()) {
            command.add("--user=root");
        }
        return command;
    }

    private List<String> mysqlInitialize(Path datadir, Path setup) {
        List<String> command = new ArrayList<>(List.of(server.toString(), "--no-defaults", "--initialize-insecure",
                "--datadir=" + datadir, "--init-file=" + setup));
        if (LocalServer.runningAsRoot()) {
            command.add("--user=root");
        }
        return command;
    }

    private String setupSql() {
        // mariadb-install-db runs the extra file with the grant tables not yet loaded: without the
        // FLUSH, CREATE USER fails with "running with --skip-grant-tables". root@127.0.0.1 may
        // already exist (passwordless), hence OR REPLACE.
        String create = isMariaDb() ? "CREATE OR REPLACE USER" : "CREATE USER IF NOT EXISTS";
        String botGrants = isMariaDb() ? Account.BOT_GRANTS : Account.BOT_GRANTS_MYSQL;
        return String.join("\n",
                isMariaDb() ? "FLUSH PRIVILEGES;" : "",
                create + " 'root'@'127.0.0.1' IDENTIFIED BY '" + Account.ROOT.password() + "';",
                "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;",
                create + " 'repl'@'127.0.0.1' IDENTIFIED BY '" + Account.REPLICATION.password() + "';",
                "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';",
                create + " '" + Account.BOT.user() + "'@'127.0.0.1' IDENTIFIED BY '" + Account.BOT.password() + "';",
                "GRANT " + botGrants + " ON *.* TO '" + Account.BOT.user() + "'@'127.0.0.1';",
                "CREATE DATABASE IF NOT EXISTS demo;",
                "CREATE TABLE IF NOT EXISTS demo.items (",
                "  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,",
                "  origin VARCHAR(16) NOT NULL,",
                "  payload VARCHAR(64) NOT NULL",
                ") ENGINE=InnoDB;",
                "");
    }

    private static Optional<Path> locate(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(EXTRA_DIRS);
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Paths.get(d, name))
                .filter(Files::isExecutable).findFirst();
    }

    private static Optional<ServerBinary> probe(Path server) {
        Path out = null;
        try {
            out = Files.createTempFile("mysql-resync-version", ".txt");
            Process p = new ProcessBuilder(server.toString(), "--version")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String line = Files.readString(out, StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
            Kind kind = line.contains("MariaDB") ? Kind.MARIADB : Kind.MYSQL;
            Matcher m = VERSION.matcher(line);
            int major = m.find() ? Integer.parseInt(m.group(1)) : 0;
            int minor = major > 0 ? Integer.parseInt(m.group(2)) : 0;
            return Optional.of(new ServerBinary(server, kind, line, major, minor));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a leftover temp file of a few bytes is not worth failing over
                }
            }
        }
    }

    @Override
    public String toString() {
        return versionLine;
    }
}
