package io.mysqlresync.store;

import io.mysqlresync.config.StateSettings;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.ProposedPlan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several bot replicas sharing a MariaDB server (the local one, in a throwaway database). */
class MariaDbResyncStoreTest extends ResyncStoreContract {

    @RegisterExtension
    static final TestStateDatabases.PerClass STATE = new TestStateDatabases.PerClass();

    @Override
    StateSettings settings() {
        return STATE.settings(true);
    }

    @Test
    void every_table_is_innodb_with_exact_utf8mb4_comparison() throws Exception {
        List<String> wrong = new ArrayList<>();
        Set<String> tables = new TreeSet<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT table_name, engine, table_collation "
                     + "FROM information_schema.tables WHERE table_schema = ? AND table_name <> 'flyway_schema_history'")) {
            ps.setString(1, STATE.server().database);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1).toLowerCase(Locale.ROOT));
                    if (!"InnoDB".equals(rs.getString(2)) || !"utf8mb4_bin".equals(rs.getString(3))) {
                        wrong.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                    }
                }
            }
        }
        // Every table a migration creates, and nothing else: a new migration needs no edit here.
        assertEquals(createdByMigrations(), tables);
        assertEquals(List.of(), wrong);
    }

    private static Set<String> createdByMigrations() throws Exception {
        Pattern create = Pattern.compile("(?i)CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?`?(\\w+)`?");
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                Matcher m = create.matcher(Files.readString(f));
                while (m.find()) {
                    out.add(m.group(1).toLowerCase(Locale.ROOT));
                }
            }
        }
        assertTrue(out.size() >= 18, "V1-V3 and Quartz's tables alone are 18: " + out);
        return out;
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
