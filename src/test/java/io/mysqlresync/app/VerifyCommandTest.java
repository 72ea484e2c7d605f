package io.mysqlresync.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ClusterConfig;
import io.mysqlresync.config.Secret;
import io.mysqlresync.config.StateSettings;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ShopDrift;
import io.mysqlresync.sandbox.ShopSchema;
import io.mysqlresync.store.JdbcVerificationLog;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.verify.TableVerdict;
import io.mysqlresync.verify.VerificationLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealServers.class)
class VerifyCommandTest {

    private static final int ORDERS = 3000;

    private record Run(int code, String out, String err) {
    }

    private static Run verify(AppConfig config, String cluster, boolean json, String... tables) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VerifyCommand.run(config, cluster, List.of(tables), json, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void exitsZeroWhenIdentical_twoNamingEachRowWhenRowsDiffer_oneWhenItCannotRead(LocalPair pair, @TempDir Path state)
            throws Exception {
        ShopSchema.create(pair, ORDERS);
        ShopSchema.grantBotSelect(pair);
        AppConfig config = Demo.config(pair, state);

        Run same = verify(config, Demo.CLUSTER, false, "shop");
        assertEquals(VerifyCommand.IDENTICAL, same.code(), same.out() + same.err());
        assertTrue(same.out().contains("4 tables (") && same.out().contains("identical"), same.out());
        assertTrue(same.out().contains("shop.audit_log: identical") && same.out().contains("compared whole"), same.out());

        ShopDrift drift = ShopDrift.plant(pair, Node.NODE2, ORDERS, 42);
        try {
            Run differs = verify(config, Demo.CLUSTER, true, "shop");
            assertEquals(VerifyCommand.DIFFERS, differs.code(), differs.out() + differs.err());
            JsonNode doc = Json.MAPPER.readTree(differs.out());
            assertEquals("DIFFERS", doc.get("verdict").asText());
            Set<String> named = new TreeSet<>();
            boolean sawAbsent = false;
            for (JsonNode table : doc.get("tables")) {
                for (JsonNode row : table.get("differences")) {
                    List<String> key = new java.util.ArrayList<>();
                    row.get("key").forEach(v -> key.add(v.asText()));
                    named.add(table.get("table").asText() + " " + key);
                    if (row.get("nodes").get("node1").isNull()) {
                        sawAbsent = true;
                        // every planted insert writes 'planted' into one of its columns
                        assertTrue(row.get("nodes").get("node2").toString().contains("\"planted\""), row.toString());
                    }
                }
            }
            assertEquals(drift.keys(), named, differs.out());
            assertTrue(sawAbsent, "rows inserted on node2 only are absent (null) on node1");

            Run text = verify(config, Demo.CLUSTER, false, "shop.orders");
            assertEquals(VerifyCommand.DIFFERS, text.code());
            assertTrue(text.out().contains("Rows that differ (7):"), text.out());
            assertTrue(text.out().contains("node1 has it, node2 does not"), text.out());
        } finally {
            drift.heal();
        }

        // Both runs are kept in the state database, newest first, each with its audit entry.
        try (StateDatabase db = StateDatabase.open(config.state())) {
            List<VerificationLog.Stored> kept = new JdbcVerificationLog(db.dataSource()).recent(Demo.CLUSTER, 10);
            assertEquals(List.of(TableVerdict.DIFFERS, TableVerdict.DIFFERS, TableVerdict.IDENTICAL),
                    kept.stream().map(VerificationLog.Stored::verdict).toList());
            assertEquals(15, new JdbcVerificationLog(db.dataSource()).differences(kept.get(1).id()).size());
        }

        Run unknown = verify(config, Demo.CLUSTER, false, "shop.ordrs");
        assertEquals(Main.USAGE, unknown.code());
        assertTrue(unknown.err().startsWith("no table 'shop.ordrs' on node1; tables in shop: audit_log, customers,"),
                unknown.err());
        Run system = verify(config, Demo.CLUSTER, false, "mysql.user");
        assertEquals(Main.USAGE, system.code());
        assertTrue(system.err().contains("system schema"), system.err());

        pair.node1().execute("CREATE OR REPLACE USER 'resync_blind'@'127.0.0.1' IDENTIFIED BY 'blind'",
                "GRANT SLAVE MONITOR, BINLOG MONITOR ON *.* TO 'resync_blind'@'127.0.0.1'");
        ClusterConfig c = config.clusters().get(0);
        AppConfig blind = new AppConfig(config.slack(), config.approvals(), config.monitor(), config.state(), List.of(
                new ClusterConfig(c.name(), new Secret("resync_blind"), new Secret("blind"), c.connectTimeout(),
                        c.readTimeout(), c.nodes())));
        Run cannotRead = verify(blind, Demo.CLUSTER, false, "shop");
        assertEquals(VerifyCommand.INCONCLUSIVE, cannotRead.code(), cannotRead.out() + cannotRead.err());
        assertTrue(cannotRead.out().contains("GRANT SELECT ON `shop`.* TO 'resync_blind'@'127.0.0.1'"), cannotRead.out());
    }

    @Test
    void theStateSchemaIsExcludedWhenTheStateLivesOnMySql() {
        assertEquals("mysql_resync", VerifyCommand.stateSchema(new StateSettings(
                "jdbc:mysql://state-db:3306/mysql_resync?useSSL=true", new Secret(""), new Secret(""), false)).orElseThrow());
        for (String url : List.of("jdbc:mysql:replication://db1:3306,db2:3306/mysql_resync?useSSL=true",
                "jdbc:mysql:loadbalance://db1,db2/mysql_resync", "jdbc:mariadb://state-db/mysql_resync",
                "jdbc:mysql://address=(host=state-db)(port=3306)/mysql_resync", "jdbc:mysql://[::1]:3306/mysql_resync",
                "jdbc:mysql+srv://_mysql._tcp.example/mysql_resync")) {
            assertEquals(Optional.of("mysql_resync"), VerifyCommand.stateSchema(new StateSettings(url, new Secret(""),
                    new Secret(""), false)), url);
        }
        assertTrue(VerifyCommand.stateSchema(new StateSettings(StateSettings.DEFAULT_URL, new Secret(""), new Secret(""),
                false)).isEmpty());
    }
}
