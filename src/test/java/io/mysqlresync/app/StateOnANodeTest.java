package io.mysqlresync.app;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ConfigException;
import io.mysqlresync.config.ConfigLoader;
import io.mysqlresync.sandbox.Account;
import io.mysqlresync.sandbox.LocalServer;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bot refuses to start when its state database is one of the nodes it repairs, even under
 * another name: here the state server is node1, written as an IPv4-mapped IPv6 address that no
 * name comparison equates with 127.0.0.1.
 */
class StateOnANodeTest {

    @Test
    void aNodeThatIsTheStateServerUnderAnotherNameIsRefusedAtStartup() throws Exception {
        RealServers.requireServerBinary();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // node2: nobody listens there once this closes
        }
        try (LocalServer stateServer = LocalServer.start("state-on-node", 970, 1, 1)) {
            String db = "resync_guard_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
            stateServer.execute("CREATE DATABASE " + db);
            AppConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
                    state:
                      jdbcUrl: jdbc:mysql://%s:%d/%s
                      user: %s
                      password: "%s"
                    clusters:
                      - name: shop
                        user: %s
                        password: "%s"
                        connectTimeout: 1s
                        nodes:
                          - {name: node1, host: "0:0:0:0:0:ffff:7f00:1", port: %d}
                          - {name: node2, host: 127.0.0.1, port: %d}
                    """.formatted(stateServer.host(), stateServer.port(), db,
                    Account.ROOT.user(), Account.ROOT.password(), Account.ROOT.user(), Account.ROOT.password(),
                    stateServer.port(), closedPort));

            ConfigException e = assertThrows(ConfigException.class, () -> BotApplication.create(config).close());
            assertTrue(e.getMessage().contains("node 'node1' of cluster 'shop'"), e.getMessage());
            assertTrue(e.getMessage().contains("state.jdbcUrl"), e.getMessage());
        }
    }
}
