package io.mysqlresync.app;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ConfigException;
import io.mysqlresync.config.ConfigLoader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Entry point: `mysql-resync [--config FILE] <command>`. */
public final class Main {

    static final int USAGE = 64;   // EX_USAGE
    static final int CONFIG = 78;  // EX_CONFIG

    static final String DEFAULT_CONFIG = "config/mysql-resync.yaml";

    /** The root log level, read by logback.xml. */
    public static final String LOG_LEVEL_PROPERTY = "mysqlresync.log.level";

    private static final String HELP = """
            usage: mysql-resync [--config FILE] <command>

              run                        the Slack bot (Socket Mode), the monitor and lag progress
              console                    the same conversation in this terminal (when Slack is down)
              diagnose <cluster> [--json]  diagnosis and recovery plan; exit 0 in sync, 1 degraded, 2 broken
              verify <cluster> [schema[.table] ...] [--json]
                                         compare the nodes' rows; exit 0 identical, 2 rows differ, 1 inconclusive
              repair <verification-id> --source <node>
                                         statements that give the other node the source's rows, applied after
                                         a typed yes; exit 0 repaired and identical, 2 rows skipped or still differ, 1 not done
              audit <cluster> [--json]     crash-safety settings of every node; exit 0 fine, 1 risky, 2 unsafe
              check-config               validate the configuration and exit
              demo                       start a local MariaDB/MySQL pair, break it like a crash, repair it here

            The configuration file defaults to $MYSQL_RESYNC_CONFIG, else config/mysql-resync.yaml.""";

    private Main() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            code = CONFIG;
        } catch (Exception e) {
            System.err.println("mysql-resync: " + e.getMessage());
            code = 1;
        }
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Returns the exit code, or -1 when a long-running mode keeps the JVM alive. */
    static int run(String[] args) throws Exception {
        List<String> rest = new ArrayList<>();
        String configPath = System.getenv().getOrDefault("MYSQL_RESYNC_CONFIG", DEFAULT_CONFIG);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") || args[i].equals("-c")) {
                if (i + 1 >= args.length) {
                    System.err.println("--config needs a file name\n" + HELP);
                    return USAGE;
                }
                configPath = args[++i];
            } else {
                rest.add(args[i]);
            }
        }
        if (rest.isEmpty() || rest.get(0).equals("help") || rest.get(0).equals("--help")) {
            System.out.println(HELP);
            return rest.isEmpty() ? USAGE : 0;
        }
        String command = rest.get(0);
        if (command.equals("demo") || command.equals("console") || command.equals("diagnose")
                || command.equals("verify") || command.equals("audit") || command.equals("repair")) {
            // The terminal is the conversation: library chatter would drown it.
            // Read by logback.xml when logging starts, which is after this line.
            System.setProperty(LOG_LEVEL_PROPERTY, "warn");
        }
        if (command.equals("demo")) {
            return Demo.run(rest.subList(1, rest.size()));
        }
        AppConfig config = ConfigLoader.load(Path.of(configPath), System.getenv());
        switch (command) {
            case "check-config":
                System.out.println("configuration OK: " + config.clusters().size() + " cluster(s): "
                        + String.join(", ", config.clusterNames()));
                return 0;
            case "diagnose":
                if (rest.size() < 2) {
                    System.err.println("usage: mysql-resync diagnose <cluster> [--json]; clusters: "
                            + String.join(", ", config.clusterNames()));
                    return USAGE;
                }
                return DiagnoseCommand.run(config, rest.get(1), rest.contains("--json"), System.out, System.err);
            case "verify":
                if (rest.size() < 2) {
                    System.err.println("usage: mysql-resync verify <cluster> [schema[.table] ...] [--json]; clusters: "
                            + String.join(", ", config.clusterNames()));
                    return USAGE;
                }
                return VerifyCommand.run(config, rest.get(1), rest.subList(2, rest.size()).stream()
                        .filter(a -> !a.equals("--json")).toList(), rest.contains("--json"), System.out, System.err);
            case "repair": {
                int at = rest.indexOf("--source");
                if (rest.size() < 2 || rest.get(1).startsWith("--") || (at >= 0 && at + 1 >= rest.size())) {
                    System.err.println("usage: mysql-resync repair <verification-id> --source <node>"
                            + " (the id `verify` printed)");
                    return USAGE;
                }
                return RepairCommand.run(config, rest.get(1), at < 0 ? null : rest.get(at + 1),
                        new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                                java.nio.charset.StandardCharsets.UTF_8)), System.out, System.err);
            }
            case "audit":
                if (rest.size() < 2) {
                    System.err.println("usage: mysql-resync audit <cluster> [--json]; clusters: "
                            + String.join(", ", config.clusterNames()));
                    return USAGE;
                }
                return AuditCommand.run(config, rest.get(1), rest.contains("--json"), System.out, System.err);
            case "console":
                return BotApplication.console(config);
            case "run":
                BotApplication.slack(config);
                return -1;
            default:
                System.err.println("unknown command '" + command + "'\n" + HELP);
                return USAGE;
        }
    }
}
