package io.mysqlresync.mysql;

import io.mysqlresync.config.NodeConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NodeConnectionsTest {

    @Test
    void ipv6NodesAreBracketedInTheJdbcUrl() {
        assertEquals("jdbc:mysql://[fd00::11]:3306/", NodeConnections.url(new NodeConfig("node1", "fd00::11", 3306, null)));
        assertEquals("jdbc:mysql://db1.internal:3307/", NodeConnections.url(new NodeConfig("node1", "db1.internal", 3307, null)));
    }
}
