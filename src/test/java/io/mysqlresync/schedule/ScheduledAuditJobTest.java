package io.mysqlresync.schedule;

import io.mysqlresync.audit.Auditor;
import io.mysqlresync.audit.ClusterSettings;
import io.mysqlresync.audit.CrashSafety;
import io.mysqlresync.audit.NodeSettings;
import io.mysqlresync.audit.SettingsReader;
import io.mysqlresync.config.MonitorSettings;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.replication.ServerVersion;
import io.mysqlresync.schedule.RecordingNotifier.Kind;
import io.mysqlresync.store.JdbcAuditReports;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.StateFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scheduled audit as a Quartz job on the clustered JDBC job store (H2): it fires on its cron,
 * says every problem the first time, nothing while nothing changes, then only the change; the
 * last report is kept in the state database, so a restarted bot does not repeat itself; "off"
 * removes the job.
 */
class ScheduledAuditJobTest {

    private static final String EVERY_SECOND = "* * * * * ?";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final String dbName = StateFixture.newDatabaseName();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final RecordingNotifier slack = new RecordingNotifier();
    private final MonitorSettings settings = StateFixture.settings(Duration.ofMinutes(10), Duration.ofMinutes(10));
    private final FakeCluster cluster = new FakeCluster(Clock.systemUTC());
    private volatile String node1SyncBinlog = "0";

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private NodeSettings mariadb(String node, String syncBinlog) {
        return new NodeSettings(node, ServerVersion.parse("10.11.19-MariaDB-0+deb12u1", "mariadb.org"),
                Map.of("sync_binlog", syncBinlog));
    }

    private ResyncScheduler scheduler(StateDatabase db, String cron) {
        ResyncStore store = StateFixture.store(db);
        ResyncScheduler s = new ResyncScheduler(StateFixture.quartz(db, "bot-1"), List.of("shop"), cluster, store, slack,
                settings, Clock.systemUTC());
        open.add(s);
        SettingsReader reader = c -> new ClusterSettings(List.of(mariadb("node1", node1SyncBinlog),
                mariadb("node2", "1")), Map.of());
        s.auditSettings(new CrashSafety(reader, new Auditor()), new JdbcAuditReports(db.dataSource()), cron);
        return s;
    }

    private List<String> said() {
        return slack.calls(Kind.SETTINGS_CHANGED).stream().map(RecordingNotifier.Call::text).toList();
    }

    private static boolean saysSyncBinlog(String text) {
        return text.contains("node1 sync_binlog 0");
    }

    @Test
    void theJobPostsTheProblemsOnceThenOnlyWhatChanged() {
        StateDatabase db = StateFixture.open(dbName, true);
        open.add(db);
        ResyncScheduler s = scheduler(db, EVERY_SECOND);
        s.start();
        assertTrue(s.auditScheduled());

        Waits.until(WAIT, "the first audit", () -> slack.count(Kind.SETTINGS_CHANGED) == 1, slack::calls);
        assertTrue(saysSyncBinlog(said().get(0)), said().toString());
        assertFalse(said().get(0).contains("node2 sync_binlog"), said().toString());
        Waits.holdsFor(Duration.ofMillis(2500), "nothing said while nothing changes",
                () -> slack.count(Kind.SETTINGS_CHANGED) == 1, slack::calls);

        node1SyncBinlog = "1"; // SET GLOBAL sync_binlog = 1 on node1
        Waits.until(WAIT, "the change", () -> slack.count(Kind.SETTINGS_CHANGED) == 2, slack::calls);
        assertTrue(said().get(1).contains("fixed: node1 sync_binlog"), said().toString());
        assertFalse(saysSyncBinlog(said().get(1)), said().toString());
        // The audit entry may be written just after the message: waited for, not read at once.
        Waits.until(WAIT, "two audit entries", () -> StateFixture.store(db).history("shop", 10).stream()
                .filter(e -> e.action().equals("audit")).count() >= 2, slack::calls);
    }

    @Test
    void aRestartedBotComparesWithTheStoredReportAndOffRemovesTheJob() {
        StateDatabase db = StateFixture.open(dbName, true);
        open.add(db);
        ResyncScheduler first = scheduler(db, "0 0 9 ? * MON");
        assertTrue(first.auditNow("shop"));
        assertEquals(1, slack.count(Kind.SETTINGS_CHANGED));
        first.close();

        ResyncScheduler second = scheduler(db, "off");
        second.start();
        assertFalse(second.auditScheduled(), "off removes the job from the shared job store");
        assertFalse(second.auditNow("shop"), "the report kept in the state database is unchanged");
        assertEquals(1, slack.count(Kind.SETTINGS_CHANGED));
    }
}
