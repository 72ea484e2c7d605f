package io.mysqlresync.sandbox;

import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.NodeConfig;
import io.mysqlresync.config.Secret;

import java.time.Duration;
import java.util.List;

/** A local pair as the bot sees a configured cluster: its nodes, connected as the least-privilege bot user. */
public final class SandboxCluster {

    private SandboxCluster() {
    }

    public static ClusterConfig of(String name, LocalPair pair) {
        return new ClusterConfig(name, new Secret(Account.BOT.user()), new Secret(Account.BOT.password()),
                Duration.ofSeconds(2), Duration.ofSeconds(2),
                List.of(new NodeConfig("node1", pair.node1().host(), pair.node1().port(), "node2"),
                        new NodeConfig("node2", pair.node2().host(), pair.node2().port(), "node1")));
    }
}
