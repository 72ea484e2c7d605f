package io.mysqlresync.app;

import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.ledger.DirectionLedger;
import io.mysqlresync.ledger.LossLedger;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ApprovalSettings;
import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.config.Secret;
import io.mysqlresync.config.SlackSettings;
import io.mysqlresync.config.StateSettings;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.sandbox.SandboxCluster;
import io.mysqlresync.sandbox.ServerBinary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * `demo`: a newcomer's first five minutes. Starts a real local pair, breaks it like the seed
 * incident (kill -9, torn binlog, corrupt relay log), and runs the bot in terminal mode against
 * it: the alert, the diagnosis, the plan, the approval, the recovery and the lag falling to zero.
 * With --auto the terminal conversation is typed by the demo itself. Cleans up after itself.
 */
public final class Demo {

    public static final String CLUSTER = "demo";

    private Demo() {
    }

    static int run(List<String> args) throws Exception {
        boolean auto = args.contains("--auto");
        PrintStream out = System.out;
        Optional<ServerBinary> binary = ServerBinary.find();
        if (binary.isEmpty()) {
            System.err.println("The demo runs a real MariaDB or MySQL pair, but neither mariadbd nor mysqld is installed.\n"
                    + "On Debian/Ubuntu: sudo apt-get install -y mariadb-server   (the demo never touches its service)");
            return 69; // EX_UNAVAILABLE
        }
        out.println("Starting a local active-active pair with " + binary.get().versionLine() + " ...");
        Path stateDir = Files.createTempDirectory("mysql-resync-demo-state");
        try (LocalPair pair = LocalPair.start(ReplicationMode.FILE_POS)) {
            Runtime.getRuntime().addShutdownHook(new Thread(pair::close, "demo-cleanup"));
            out.println("  node1 on " + pair.node1().host() + ":" + pair.node1().port()
                    + ", node2 on " + pair.node2().host() + ":" + pair.node2().port() + ", replicating both ways.");
            BufferedReader in = auto ? null : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return run(pair, stateDir, in, out, auto);
        } finally {
            deleteQuietly(stateDir);
        }
    }

    /** The demo config: the local pair, an embedded state database, short intervals to see things move. */
    public static AppConfig config(LocalPair pair, Path stateDir) {
        return new AppConfig(
                new SlackSettings(new Secret(""), new Secret(""), SlackSettings.DEFAULT_API_BASE_URL, "", List.of()),
                new ApprovalSettings(List.of(), "", false, Duration.ofMinutes(15)),
                new MonitorSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(15),
                        Duration.ofSeconds(2), 3, Duration.ofMinutes(2)),
                new StateSettings("jdbc:h2:file:" + stateDir.resolve("state").toAbsolutePath(), new Secret(""),
                        new Secret(""), false),
                List.of(SandboxCluster.of(CLUSTER, pair)));
    }

    /**
     * Runs terminal mode against the pair. With {@code in} null the conversation is scripted:
     * break, plan, approve, and quit once the pair is back in sync (or after a deadline).
     */
    public static int run(LocalPair pair, Path stateDir, BufferedReader in, PrintStream out, boolean auto)
            throws Exception {
        return run(pair, stateDir, in, out, auto, p -> { });
    }

    /** What else happens to the pair right after the crash (a test plants a row the crash cost). */
    interface AfterCrash {
        void apply(LocalPair pair) throws Exception;
    }

    static int run(LocalPair pair, Path stateDir, BufferedReader in, PrintStream out, boolean auto,
                   AfterCrash afterCrash) throws Exception {
        // The bot reads what it verifies: SELECT on the demo schema, nothing more (README, verify).
        // And what a repair needs (README, repair): row changes on the demo schema, binary logging off for a session.
        String bot = "'" + Account.BOT.user() + "'@'" + LocalServer.HOST + "'";
        pair.node1().execute("GRANT SELECT, INSERT, UPDATE, DELETE ON demo.* TO " + bot, "GRANT BINLOG ADMIN ON *.* TO " + bot);
        try (BotApplication app = BotApplication.create(config(pair, stateDir))) {
            if (!auto) {
                Thread breaker = new Thread(() -> breakLikeTheSeedIncident(pair, out), "demo-breaker");
                breaker.setDaemon(true);
                breaker.start();
                out.println("In a few seconds node1 loses power. Watch the alert, then type 'plan demo' and approve.");
                return app.runConsole(in, out, "demo");
            }
            PipedWriter typing = new PipedWriter();
            BufferedReader scripted = new BufferedReader(new PipedReader(typing, 1 << 16));
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread operator = new Thread(() -> {
                try {
                    typeTheRecovery(app, pair, typing, out, afterCrash);
                } catch (Exception e) {
                    failure.set(e);
                    out.println("demo: " + e.getMessage());
                } finally {
                    try {
                        typing.write("quit\n");
                        typing.close();
                    } catch (IOException ignored) {
                        // the session already ended
                    }
                }
            }, "demo-operator");
            operator.setDaemon(true);
            operator.start();
            app.runConsole(scripted, out, "demo");
            operator.join(5_000);
            return failure.get() == null ? 0 : 1;
        }
    }

    private static void breakLikeTheSeedIncident(LocalPair pair, PrintStream out) {
        try {
            Thread.sleep(3_000);
            say(out, "*** Power cut: node1 is killed under writes; its binlog tail and relay log are torn. ***");
            pair.reproduceSeedIncident();
        } catch (Exception e) {
            say(out, "demo: could not break the pair: " + e.getMessage());
        }
    }

    /** What an on-call DBA would type, paced so the output reads like a conversation. */
    private static void typeTheRecovery(BotApplication app, LocalPair pair, Writer typing, PrintStream out,
                                        AfterCrash afterCrash) throws Exception {
        Thread.sleep(1_500);
        breakLikeTheSeedIncident(pair, out);
        afterCrash.apply(pair);
        await("the monitor's alert", Duration.ofSeconds(30),
                () -> app.service().store().openIncident(CLUSTER).isPresent());
        Thread.sleep(1_000);
        type(typing, out, "plan demo");
        ProposedPlan plan = await("a proposed plan", Duration.ofSeconds(30),
                () -> app.service().store().pendingPlans().stream().findFirst().orElse(null));
        Thread.sleep(1_000);
        type(typing, out, "approve " + plan.id());
        type(typing, out, "yes");
        await("the lag watch to start", Duration.ofSeconds(30), () -> app.scheduler().watching(CLUSTER));
        await("replication to catch up", Duration.ofSeconds(120), () -> !app.scheduler().watching(CLUSTER));
        await("the data verified", Duration.ofSeconds(120), () -> !app.scheduler().verifying(CLUSTER)
                && app.service().store().openIncident(CLUSTER).map(i -> !i.state().inRecovery()).orElse(true));
        if (app.service().store().openIncident(CLUSTER).filter(i -> i.state() == IncidentState.DRIFT_FOUND).isPresent()) {
            repairTheDrift(app, typing, out);
        }
        Thread.sleep(500);
        type(typing, out, "history demo");
        Thread.sleep(500);
    }

    /**
     * The verification found rows the crashed node lacks: repair them from the node the loss ledger
     * suggests (node2, which kept what node1's crash cut, when the ledger names no table).
     */
    private static void repairTheDrift(BotApplication app, Writer typing, PrintStream out) throws Exception {
        String verification = app.verificationLog().recent(CLUSTER, 1).get(0).id();
        LossLedger ledger = IncidentLifecycle.recoveryLedger(app.service().store(), CLUSTER, "");
        List<String> holders = ledger.directions().stream().map(DirectionLedger::holder).distinct().toList();
        String source = holders.size() == 1 ? holders.get(0) : "node2";
        Thread.sleep(1_000);
        type(typing, out, "repair " + verification + " --source " + source);
        String repair = await("a repair plan", Duration.ofSeconds(30), () -> app.service().store().history(CLUSTER, 50)
                .stream().filter(e -> e.action().equals("propose-repair")).findFirst().map(e -> e.planId()).orElse(null));
        Thread.sleep(1_000);
        type(typing, out, "approve " + repair);
        type(typing, out, "yes");
        await("the drift repaired", Duration.ofSeconds(60), () -> app.service().store().openIncident(CLUSTER).isEmpty());
    }

    private static void type(Writer typing, PrintStream out, String line) throws IOException {
        say(out, line + "    (typed by the demo)");
        typing.write(line + "\n");
        typing.flush();
    }

    private static void say(PrintStream out, String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    interface Check<T> {
        T get() throws Exception;
    }

    private static <T> T await(String what, Duration timeout, Check<T> check) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            T value = check.get();
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("gave up waiting for " + what + " after " + timeout.toSeconds() + " s");
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temp dir; the OS cleans it eventually
        }
    }
}
