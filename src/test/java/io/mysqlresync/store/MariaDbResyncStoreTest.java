package io.mysqlresync.store;

import io.mysqlresync.config.StateSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.ProposedPlan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several bot replicas sharing a MariaDB server (the local one, in a throwaway database). */
class MariaDbResyncStoreTest extends ResyncStoreContract {

    static TestStateDatabases.ThrowawayMysql server;

    @BeforeAll
    static void createDatabase() {
        server = TestStateDatabases.ThrowawayMysql.createOrSkip();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    StateSettings settings() {
        return server.settings(true);
    }

    @Test
    void every_table_is_innodb_with_exact_utf8mb4_comparison() throws Exception {
        List<String> wrong = new ArrayList<>();
        int tables = 0;
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT table_name, engine, table_collation "
                     + "FROM information_schema.tables WHERE table_schema = ? AND table_name <> 'flyway_schema_history'")) {
            ps.setString(1, server.database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables++;
                    if (!"InnoDB".equals(rs.getString(2)) || !"utf8mb4_bin".equals(rs.getString(3))) {
                        wrong.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                    }
                }
            }
        }
        assertEquals(10 + 11, tables, "10 state tables (4 in V1, 3 of poll memory in V3, 2 of verifications in V4, shard polls in V6) and Quartz's 11");
        assertEquals(List.of(), wrong);
    }

    @Test
    void a_jdbc_mariadb_url_is_served_by_connector_j() {
        StateSettings s = settings();
        StateSettings mariadb = new StateSettings(s.jdbcUrl().replace("jdbc:mysql:", "jdbc:mariadb:"),
                s.user(), s.password(), true);
        try (StateDatabase other = StateDatabase.open(mariadb)) {
            new JdbcResyncStore(other.dataSource()).savePlan(CrashedPair.proposed("prod-eu", "p-mariadb-url"));
        }
        assertEquals("p-mariadb-url", store.plan("p-mariadb-url").orElseThrow().id());
    }

    @Test
    void guards_count_matched_rows_even_when_the_url_asks_for_affected_rows() {
        StateSettings s = settings();
        StateSettings affected = new StateSettings(s.jdbcUrl() + "?useAffectedRows=true", s.user(), s.password(), true);
        try (StateDatabase other = StateDatabase.open(affected)) {
            JdbcResyncStore st = new JdbcResyncStore(other.dataSource());
            ProposedPlan p = CrashedPair.proposed("prod-eu", "p-same");
            st.savePlan(p);
            st.savePlan(p);
            Incident i = incident("i-same", "prod-eu");
            assertTrue(st.openIncidentIfNone(i));
            assertTrue(st.updateIncident(i, IncidentState.OPEN), "an unchanged incident still matches OPEN");
        }
    }
}
