package io.mysqlresync.store;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ConfigException;
import io.mysqlresync.config.ConfigLoader;
import io.mysqlresync.store.StateDatabaseGuard.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateDatabaseGuardTest {

    @TempDir
    Path dir;

    /** A pair on db1/db2 and a local sandbox pair on 127.0.0.1:3306/3307, with the given state URL. */
    static AppConfig config(String stateUrl) {
        String yaml = """
                state:
                  jdbcUrl: "%s"
                  user: resync
                  password: ${STATE_PASSWORD}
                clusters:
                  - name: prod-eu
                    user: resync
                    password: pw
                    nodes:
                      - {name: db1, host: db1.example.com, port: 3306}
                      - {name: db2, host: 10.0.0.12}
                  - name: sandbox
                    user: root
                    nodes:
                      - {name: node1, host: localhost, port: 3306}
                      - {name: node2, host: 127.0.0.1, port: 3307}
                """.formatted(stateUrl);
        return new ConfigLoader(Map.of("STATE_PASSWORD", "s3cret-state")::get).parse(yaml);
    }

    static String refusal(String stateUrl) {
        ConfigException e = assertThrows(ConfigException.class, () -> StateDatabaseGuard.checkStatic(config(stateUrl)));
        assertTrue(e.getMessage().contains("state.jdbcUrl"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), "no credentials in the message: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void a_state_url_on_a_node_is_refused_naming_the_node() {
        String m = refusal("jdbc:mysql://db1.example.com:3306/resync");
        assertTrue(m.contains("node 'db1' of cluster 'prod-eu'"), m);
    }

    @Test
    void localhost_127_0_0_1_and_ipv6_loopback_are_one_host() {
        assertTrue(refusal("jdbc:mysql://127.0.0.1/resync").contains("node 'node1' of cluster 'sandbox'"));
        assertTrue(refusal("jdbc:mariadb://[::1]:3307/resync").contains("node 'node2' of cluster 'sandbox'"));
        assertTrue(refusal("jdbc:mysql://LOCALHOST:3307").contains("node 'node2'"));
    }

    @Test
    void the_default_port_is_3306_and_host_names_ignore_case_and_a_trailing_dot() {
        assertTrue(refusal("jdbc:mysql://10.0.0.12/resync?useSSL=true").contains("node 'db2'"));
        assertTrue(refusal("jdbc:mysql://DB1.Example.COM./resync").contains("node 'db1'"));
    }

    @Test
    void every_host_of_a_multi_host_url_is_checked_and_credentials_in_it_are_not_shown() {
        assertTrue(refusal("jdbc:mysql:loadbalance://state-a:3306,db1.example.com/resync").contains("node 'db1'"));
        assertTrue(refusal("jdbc:mysql://resync:s3cret-url@[state-a:3306,10.0.0.12]/resync").contains("node 'db2'"));
        assertTrue(refusal("jdbc:mysql://address=(host=db1.example.com)(port=3306)(user=x)/resync").contains("node 'db1'"));
        assertTrue(refusal("jdbc:mariadb:replication://(host=state-a,port=3306),(host=127.0.0.1,port=3307)/r")
                .contains("node 'node2'"));
    }

    @Test
    void a_separate_server_or_another_port_or_h2_is_accepted() {
        assertDoesNotThrow(() -> StateDatabaseGuard.checkStatic(config("jdbc:mysql://state-db.example.com:3306/resync")));
        assertDoesNotThrow(() -> StateDatabaseGuard.checkStatic(config("jdbc:mysql://127.0.0.1:3308/resync")));
        assertDoesNotThrow(() -> StateDatabaseGuard.checkStatic(config("jdbc:h2:file:./state/mysql-resync;AUTO_SERVER=TRUE")));
        assertDoesNotThrow(() -> StateDatabaseGuard.checkStatic(config("jdbc:h2:tcp://localhost:3306/state")));
    }

    @Test
    void endpoints_are_read_from_every_url_form() {
        assertEquals(List.of(new Endpoint("h", 3306)), StateDatabaseGuard.endpoints("jdbc:mysql://h/db"));
        assertEquals(List.of(new Endpoint("h", 3310)), StateDatabaseGuard.endpoints("jdbc:mysql://u:p@h:3310/db?x=1"));
        assertEquals(List.of(new Endpoint("::1", 3306)), StateDatabaseGuard.endpoints("jdbc:mysql://[::1]/db"));
        assertEquals(List.of(new Endpoint("fe80::1", 3307)), StateDatabaseGuard.endpoints("jdbc:mysql://[fe80::1]:3307/db"));
        assertEquals(List.of(new Endpoint("localhost", 3306)), StateDatabaseGuard.endpoints("jdbc:mysql:///db"));
        assertEquals(List.of(new Endpoint("a", 1), new Endpoint("b", 2), new Endpoint("c", 3306)),
                StateDatabaseGuard.endpoints("jdbc:mysql:replication://a:1,[b:2,c]/db"));
        assertEquals(List.of(), StateDatabaseGuard.endpoints("jdbc:h2:mem:x"));
        ConfigException bad = assertThrows(ConfigException.class, () -> StateDatabaseGuard.endpoints("jdbc:mysql://h:x/db"));
        assertTrue(bad.getMessage().contains("state.jdbcUrl"));
    }

    @Test
    void a_node_reached_under_another_name_is_recognised_once_connected() throws Exception {
        try (TestStateDatabases.ThrowawayMysql server = TestStateDatabases.ThrowawayMysql.createOrSkip();
             StateDatabase state = StateDatabase.open(server.settings(false))) {
            AppConfig cfg = config("jdbc:mysql://state-db.example.com:3306/resync");
            assertDoesNotThrow(() -> StateDatabaseGuard.checkStatic(cfg), "the names differ");
            // db1.example.com is an alias of the server the state lives on; db2 is down.
            StateDatabaseGuard.NodeConnector network = (cluster, node) -> {
                if (node.name().equals("db1")) {
                    Properties p = new Properties();
                    p.setProperty("user", TestStateDatabases.ThrowawayMysql.USER);
                    p.setProperty("password", TestStateDatabases.ThrowawayMysql.PASSWORD);
                    return DriverManager.getConnection("jdbc:mysql://" + TestStateDatabases.ThrowawayMysql.HOST + ":"
                            + TestStateDatabases.ThrowawayMysql.PORT + "/", p);
                }
                throw new SQLException("Communications link failure", "08S01");
            };
            ConfigException e = assertThrows(ConfigException.class,
                    () -> StateDatabaseGuard.checkConnected(cfg, state.dataSource(), network));
            assertTrue(e.getMessage().contains("state.jdbcUrl"), e.getMessage());
            assertTrue(e.getMessage().contains("node 'db1' of cluster 'prod-eu'"), e.getMessage());
            assertEquals(1, e.problems().size(), e.getMessage());

            StateDatabaseGuard.NodeConnector allDown = (cluster, node) -> {
                throw new SQLException("Communications link failure", "08S01");
            };
            List<String> unchecked = StateDatabaseGuard.checkConnected(cfg, state.dataSource(), allDown);
            assertEquals(4, unchecked.size(), "unreachable nodes are reported, not refused: " + unchecked);
        }
    }

    @Test
    void an_embedded_state_database_needs_no_connected_check() {
        try (StateDatabase state = StateDatabase.open(TestStateDatabases.h2File(dir))) {
            assertEquals(List.of(), StateDatabaseGuard.checkConnected(config("jdbc:h2:mem:x"), state.dataSource(),
                    (cluster, node) -> {
                        throw new AssertionError("no node is contacted for an H2 state database");
                    }));
        }
    }
}
