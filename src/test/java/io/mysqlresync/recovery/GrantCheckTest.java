package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.replication.Flavor;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SHOW GRANTS parsing, what each plan statement needs, and the planner's use of both. */
class GrantCheckTest {

    // MariaDB 10.11 prints the README's grants like this (the sandbox's bot user)
    static final List<String> MARIADB_BOT = List.of(
            "GRANT SLAVE MONITOR, BINLOG MONITOR, REPLICATION SLAVE ADMIN ON *.* TO `resync`@`127.0.0.1` "
                    + "IDENTIFIED BY PASSWORD '*0123456789ABCDEF0123456789ABCDEF01234567'");
    // MySQL 8 prints static and dynamic privileges on separate lines
    static final List<String> MYSQL_BOT = List.of(
            "GRANT REPLICATION CLIENT ON *.* TO `mysql_resync`@`10.0.0.%`",
            "GRANT REPLICATION_SLAVE_ADMIN ON *.* TO `mysql_resync`@`10.0.0.%`",
            "GRANT SELECT ON `performance_schema`.`replication_applier_status_by_worker` TO `mysql_resync`@`10.0.0.%`");

    @Test
    void showGrantsIsReadForGlobalPrivilegesOnly() {
        assertEquals(Set.of("SLAVE MONITOR", "BINLOG MONITOR", "REPLICATION SLAVE ADMIN"),
                BotGrants.parse(MARIADB_BOT).privileges());
        BotGrants mysql = BotGrants.parse(MYSQL_BOT);
        assertEquals(Set.of("REPLICATION CLIENT", "REPLICATION_SLAVE_ADMIN"), mysql.privileges());
        assertTrue(BotGrants.parse(List.of("GRANT ALL PRIVILEGES ON *.* TO `root`@`%` WITH GRANT OPTION")).all());
        BotGrants roles = BotGrants.parse(List.of("GRANT USAGE ON *.* TO `bot`@`%`", "GRANT `dba_role` TO `bot`@`%`"));
        assertEquals(Set.of(), roles.privileges());
        assertEquals(List.of("`dba_role`"), roles.roles());
    }

    @Test
    void eachPlanStatementNeedsItsPrivilegePerFlavor() {
        BotGrants maria = BotGrants.parse(MARIADB_BOT);
        assertEquals(List.of(), StatementPrivileges.missing(List.of("STOP SLAVE", "CHANGE MASTER TO MASTER_LOG_FILE='b.1', "
                + "MASTER_LOG_POS=4", "START SLAVE"), Flavor.MARIADB, maria));
        List<StatementPrivileges.Need> skip = StatementPrivileges.missing(
                List.of("STOP SLAVE", "SET GLOBAL sql_slave_skip_counter = 1", "START SLAVE"), Flavor.MARIADB, maria);
        assertEquals(1, skip.size());
        assertEquals(List.of("SUPER"), skip.get(0).anyOf());
        List<StatementPrivileges.Need> mysqlSkip = StatementPrivileges.missing(
                List.of("STOP REPLICA", "SET GLOBAL sql_replica_skip_counter = 1"), Flavor.MYSQL, BotGrants.parse(MYSQL_BOT));
        assertEquals(List.of("SYSTEM_VARIABLES_ADMIN", "SUPER"), mysqlSkip.get(0).anyOf());
        // MySQL: any other global variable needs SYSTEM_VARIABLES_ADMIN (e.g. a recipe raising a packet limit)
        assertEquals(List.of("SYSTEM_VARIABLES_ADMIN", "SUPER"), StatementPrivileges.of(
                "SET GLOBAL replica_max_allowed_packet = 1073741824", Flavor.MYSQL).orElseThrow().anyOf());
        assertEquals(List.of(), StatementPrivileges.missing(List.of("SET GLOBAL sql_slave_skip_counter = 1"),
                Flavor.MARIADB, BotGrants.parse(List.of("GRANT SUPER ON *.* TO `bot`@`%`"))));
    }

    @Test
    void everyStatementTheDialectWritesIsKnown() {
        for (String version : List.of("10.11.6-MariaDB", "8.0.36", "8.4.3", "5.7.44-log")) {
            SqlDialect sql = SqlDialect.of(io.mysqlresync.replication.ServerVersion.parse(version,
                    version.contains("MariaDB") ? "mariadb.org binary distribution" : "MySQL Community Server - GPL"));
            Flavor flavor = io.mysqlresync.replication.ServerVersion.parse(version, "").flavor();
            for (String s : List.of(sql.stopReplica(), sql.startReplica(), sql.stopIoThread(), sql.startIoThread(),
                    sql.skipOneEvent(), sql.changeSourceToGtidPosition(),
                    sql.changeSourcePosition(new io.mysqlresync.replication.BinlogCoordinates("b.000001", 4)))) {
                assertTrue(StatementPrivileges.of(s, flavor).isPresent(), version + ": " + s);
            }
        }
    }

    @Test
    void theSeedIncidentsResyncStaysRunnableWithTheReadmeGrants() {
        Diagnosis d = new Diagnoser(Thresholds.DEFAULT).diagnose(seedIncident("10.11.6-MariaDB-log"));
        RecoveryPlan plan = new Planner((c, n) -> Optional.of(BotGrants.parse(MARIADB_BOT))).plan(d, "p-seedgran", Instant.EPOCH);
        assertTrue(plan.option(Planner.RESYNC).orElseThrow().executable(), plan.toString());
        RecoveryPlan none = new Planner((c, n) -> Optional.of(BotGrants.parse(List.of("GRANT USAGE ON *.* TO `bot`@`%`"))))
                .plan(d, "p-seedgra2", Instant.EPOCH);
        PlanOption resync = none.option(Planner.RESYNC).orElseThrow();
        assertFalse(resync.executable());
        assertTrue(resync.manualActions().get(0).startsWith("The bot's user lacks REPLICATION SLAVE ADMIN (or SUPER) on node"),
                resync.manualActions().toString());
    }

    @Test
    void stopAndStartNameTheirThreads() {
        assertEquals(EnumSet.allOf(ReplicationThread.class), ReplicationThread.stoppedBy("STOP SLAVE"));
        assertEquals(EnumSet.of(ReplicationThread.IO), ReplicationThread.stoppedBy("stop replica io_thread"));
        assertEquals(EnumSet.of(ReplicationThread.SQL), ReplicationThread.startedBy("START SLAVE SQL_THREAD"));
        assertEquals(EnumSet.allOf(ReplicationThread.class),
                ReplicationThread.startedBy("START SLAVE UNTIL MASTER_LOG_FILE='x.1', MASTER_LOG_POS=4"));
        assertEquals(EnumSet.noneOf(ReplicationThread.class), ReplicationThread.stoppedBy("SET GLOBAL sql_slave_skip_counter = 1"));
    }

    @Test
    void aRestartKeepsTheConnectionOrChannelAndNamesTheThreadsToStart() {
        EnumSet<ReplicationThread> io = EnumSet.of(ReplicationThread.IO);
        EnumSet<ReplicationThread> both = EnumSet.allOf(ReplicationThread.class);
        assertEquals("START SLAVE IO_THREAD", ReplicationThread.restart("STOP SLAVE", io));
        assertEquals("START SLAVE 'east' IO_THREAD", ReplicationThread.restart("STOP SLAVE 'east'", io));
        assertEquals("START REPLICA IO_THREAD FOR CHANNEL 'east'",
                ReplicationThread.restart("STOP REPLICA FOR CHANNEL 'east'", io));
        assertEquals("START SLAVE", ReplicationThread.restart("STOP SLAVE IO_THREAD", both));
        assertEquals("START REPLICA SQL_THREAD", ReplicationThread.restart("STOP REPLICA SQL_THREAD",
                EnumSet.of(ReplicationThread.SQL)));
    }
}
