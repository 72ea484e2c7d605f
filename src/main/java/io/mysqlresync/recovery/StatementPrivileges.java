package io.mysqlresync.recovery;

import io.mysqlresync.replication.Flavor;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which global privilege each statement a plan can contain needs, per flavor: one of
 * {@link Need#anyOf()} is enough. Sources: MariaDB "GRANT" (global privileges: REPLICATION SLAVE
 * ADMIN covers START/STOP SLAVE, CHANGE MASTER, gtid_slave_pos; 10.11 lets only SUPER set
 * sql_slave_skip_counter, proven by LocalPairTest) and MySQL 8 "Privileges Provided by MySQL"
 * (REPLICATION_SLAVE_ADMIN; SYSTEM_VARIABLES_ADMIN for SET GLOBAL). SUPER still covers all of
 * them, and is the only one on MySQL 5.7.
 */
public final class StatementPrivileges {

    /** The privileges of which one lets the statement run; {@link #first()} is the one to grant. */
    public record Need(String statement, List<String> anyOf) {
        public String first() {
            return anyOf.get(0);
        }
    }

    private StatementPrivileges() {
    }

    /** Empty for a statement this table does not know (then nothing is claimed about it). */
    public static Optional<Need> of(String sql, Flavor flavor) {
        String s = sql.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        boolean mariadb = flavor == Flavor.MARIADB;
        String replicationAdmin = mariadb ? "REPLICATION SLAVE ADMIN" : "REPLICATION_SLAVE_ADMIN";
        if (s.startsWith("START SLAVE") || s.startsWith("STOP SLAVE") || s.startsWith("START REPLICA")
                || s.startsWith("STOP REPLICA") || s.startsWith("CHANGE MASTER") || s.startsWith("CHANGE REPLICATION SOURCE")
                || s.startsWith("START ALL SLAVES") || s.startsWith("STOP ALL SLAVES")) {
            return Optional.of(new Need(sql, List.of(replicationAdmin, "SUPER")));
        }
        if (s.startsWith("SET GLOBAL SQL_SLAVE_SKIP_COUNTER") || s.startsWith("SET GLOBAL SQL_REPLICA_SKIP_COUNTER")) {
            return Optional.of(new Need(sql, mariadb ? List.of("SUPER") : List.of("SYSTEM_VARIABLES_ADMIN", "SUPER")));
        }
        if (s.startsWith("SET GLOBAL GTID_SLAVE_POS")) {
            return Optional.of(new Need(sql, List.of(replicationAdmin, "SUPER")));
        }
        if (s.startsWith("SET GLOBAL READ_ONLY") || s.startsWith("SET GLOBAL SUPER_READ_ONLY")) {
            return Optional.of(new Need(sql, mariadb ? List.of("READ_ONLY ADMIN", "SUPER")
                    : List.of("SYSTEM_VARIABLES_ADMIN", "SUPER")));
        }
        if (!mariadb && (s.startsWith("SET GTID_NEXT") || s.startsWith("SET SESSION GTID_NEXT")
                || s.startsWith("SET @@SESSION.GTID_NEXT"))) {
            // MySQL: gtid_next is a restricted session variable
            return Optional.of(new Need(sql, List.of("SESSION_VARIABLES_ADMIN", "SYSTEM_VARIABLES_ADMIN",
                    "REPLICATION_APPLIER", "SUPER")));
        }
        if (!mariadb && (s.startsWith("SET GLOBAL ") || s.startsWith("SET PERSIST "))) {
            // MySQL: setting any global system variable (the ones above included)
            return Optional.of(new Need(sql, List.of("SYSTEM_VARIABLES_ADMIN", "SUPER")));
        }
        return Optional.empty();
    }

    /** The needs of {@code statements} that {@code grants} does not meet, in order, once each. */
    public static List<Need> missing(List<String> statements, Flavor flavor, BotGrants grants) {
        Set<String> seen = new LinkedHashSet<>();
        return statements.stream()
                .map(sql -> of(sql, flavor))
                .flatMap(Optional::stream)
                .filter(need -> !grants.holdsAny(Set.copyOf(need.anyOf())))
                .filter(need -> seen.add(need.statement()))
                .toList();
    }
}
