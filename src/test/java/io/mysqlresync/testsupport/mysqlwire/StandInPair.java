package io.mysqlresync.testsupport.mysqlwire;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ApprovalSettings;
import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.config.SlackSettings;
import io.mysqlresync.config.StateSettings;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.config.Secret;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Two scripted MySQL nodes, node1 and node2, replicating from each other: an active-active pair. */
public final class StandInPair implements AutoCloseable {

    public static final String CLUSTER = "shop";

    public final ScriptedMySql node1;
    public final ScriptedMySql node2;

    private StandInPair(ScriptedMySql node1, ScriptedMySql node2) {
        this.node1 = node1;
        this.node2 = node2;
    }

    public static StandInPair start(MySqlVersion version) throws IOException {
        return new StandInPair(ScriptedMySql.start(version, 1), ScriptedMySql.start(version, 2));
    }

    public ClusterConfig cluster() {
        return new ClusterConfig(CLUSTER, new Secret("resync"), new Secret("standin-secret"), Duration.ofSeconds(3),
                Duration.ofSeconds(3), List.of(new NodeConfig("node1", "127.0.0.1", node1.port(), "node2"),
                new NodeConfig("node2", "127.0.0.1", node2.port(), "node1")));
    }

    /** A whole configuration whose only cluster is this pair, as the demo builds one for the sandbox. */
    public AppConfig config(Path stateDir) {
        return new AppConfig(
                new SlackSettings(new Secret(""), new Secret(""), SlackSettings.DEFAULT_API_BASE_URL, "", List.of()),
                new ApprovalSettings(List.of(), "", false, Duration.ofMinutes(15)),
                new MonitorSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(15),
                        Duration.ofSeconds(2), 3, Duration.ofMinutes(2)),
                new StateSettings("jdbc:h2:file:" + stateDir.resolve("state").toAbsolutePath(), new Secret(""),
                        new Secret(""), false),
                List.of(cluster()));
    }

    /** The stand-in answering as {@code node}. */
    public ScriptedMySql node(String node) {
        return switch (node) {
            case "node1" -> node1;
            case "node2" -> node2;
            default -> throw new IllegalArgumentException(node);
        };
    }

    @Override
    public void close() throws IOException {
        node1.close();
        node2.close();
    }
}
