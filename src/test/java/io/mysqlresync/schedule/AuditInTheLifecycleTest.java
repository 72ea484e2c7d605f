package io.mysqlresync.schedule;

import io.mysqlresync.audit.Auditor;
import io.mysqlresync.audit.ClusterSettings;
import io.mysqlresync.audit.CrashSafety;
import io.mysqlresync.audit.NodeSettings;
import io.mysqlresync.audit.SettingsReader;
import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentLifecycle;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.replication.ServerVersion;
import io.mysqlresync.schedule.RecordingNotifier.Kind;
import io.mysqlresync.store.StateDatabase;
import io.mysqlresync.testsupport.StateFixture;
import io.mysqlresync.testsupport.Statuses;
import io.mysqlresync.testsupport.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash-safety audit through the lifecycle: the seed crash's alert names the setting that
 * explains it, a node whose settings cannot be read costs the sentence and nothing else, and the
 * end of a recovery recommends the fixes once, in the lag watch's thread.
 */
class AuditInTheLifecycleTest {

    private static final String MARIADB = "10.11.19-MariaDB-0+deb12u1";
    private static final String SYNC_BINLOG_CAUSE = "node1 runs sync_binlog=0: the power cut lost its binlog tail,"
            + " which is why node2 asked for a position past the end";

    private final TestClock clock = new TestClock(Instant.parse("2016-05-17T09:00:00Z"));
    private final StateDatabase db = StateFixture.open(StateFixture.newDatabaseName(), false);
    private final ResyncStore store = StateFixture.store(db);
    private final RecordingNotifier slack = new RecordingNotifier();
    private final List<LagWatch> followed = new ArrayList<>();
    private final IncidentLifecycle lifecycle = new IncidentLifecycle(store, slack, clock, followed::add);
    private final AtomicInteger reads = new AtomicInteger();

    @AfterEach
    void close() {
        db.close();
    }

    private static NodeSettings mariadb(String node, String syncBinlog) {
        return new NodeSettings(node, ServerVersion.parse(MARIADB, "mariadb.org"), Map.of("sync_binlog", syncBinlog,
                "innodb_flush_log_at_trx_commit", "1", "relay_log_recovery", "ON", "log_bin", "ON"));
    }

    private void settings(SettingsReader reader) {
        lifecycle.auditWith(new CrashSafety(cluster -> {
            reads.incrementAndGet();
            return reader.read(cluster);
        }, new Auditor()));
    }

    private Diagnosis seedCrash() {
        return new Diagnoser(Thresholds.DEFAULT).diagnose(Statuses.seedIncident(MARIADB));
    }

    private Incident open(Diagnosis d) {
        Incident i = new Incident("i-1", d.cluster(), IncidentState.OPEN, "seed", d.headline(), clock.instant(),
                clock.instant(), "", "");
        assertTrue(lifecycle.open(i, d));
        return store.openIncident(d.cluster()).orElseThrow();
    }

    @Test
    void theSeedCrashAlertNamesSyncBinlogZeroAsTheCause() {
        settings(c -> new ClusterSettings(List.of(mariadb("node1", "0"), mariadb("node2", "1")), Map.of()));

        open(seedCrash());

        Diagnosis alerted = slack.calls(Kind.OPENED).get(0).diagnosis();
        assertEquals(List.of(SYNC_BINLOG_CAUSE), alerted.causes());
    }

    @Test
    void aNodeWhoseSettingsCannotBeReadAddsNoSentenceAndTheAlertStillGoesOut() {
        settings(c -> new ClusterSettings(List.of(mariadb("node2", "0")), Map.of("node1", "connection refused")));
        Diagnosis d = seedCrash();
        open(d);
        assertEquals(List.of(), slack.calls(Kind.OPENED).get(0).diagnosis().causes());

        lifecycle.auditWith(new CrashSafety(c -> {
            throw new IllegalStateException("no connection to the state of the world");
        }, new Auditor()));
        Incident stored = store.openIncident(d.cluster()).orElseThrow();
        assertTrue(lifecycle.update(stored, stored.with(IncidentState.OPEN, "seed2", d.headline(), clock.instant()), d));
        assertEquals(1, slack.count(Kind.CHANGED), "a reader that fails never blocks the alert");
        assertEquals(List.of(), slack.calls(Kind.CHANGED).get(0).diagnosis().causes());
    }

    @Test
    void findingsNoSettingExplainsReadNoSettings() {
        Diagnosis seed = seedCrash();
        Diagnosis nothingToExplain = new Diagnosis(seed.cluster(), seed.at(), seed.status(), List.of());
        CrashSafety refusesToRead = new CrashSafety(c -> {
            throw new AssertionError("the settings were read for a diagnosis no setting explains");
        }, new Auditor());

        assertEquals(List.of(), refusesToRead.causes(nothingToExplain));
    }

    @Test
    void theEndOfARecoveryRecommendsTheFixesOnceInTheWatchThread() {
        settings(c -> new ClusterSettings(List.of(mariadb("node1", "0"), mariadb("node2", "1")), Map.of()));
        Diagnosis d = seedCrash();
        Incident open = open(d);
        LagWatch watch = lifecycle.startWatch(d.cluster(), "C-OPS", "1700000000.000100", open.id());

        lifecycle.replicationCaughtUp(watch, d);

        List<String> thread = slack.calls(Kind.MILESTONE).stream().map(RecordingNotifier.Call::text).toList();
        assertEquals(2, thread.size(), thread.toString());
        assertTrue(thread.get(0).startsWith("Back in sync"), thread.get(0));
        String advice = thread.get(1);
        assertTrue(advice.startsWith("To make the next crash cheaper, fix these settings of " + d.cluster()), advice);
        assertTrue(advice.contains("UNSAFE node1 sync_binlog = 0, recommended 1"), advice);
        assertTrue(advice.contains("    SET GLOBAL sync_binlog = 1;"), advice);
        assertTrue(advice.contains("no restart needed"), advice);
        assertTrue(!advice.contains("node2 sync_binlog"), "node2 syncs its binlog: " + advice);
        assertEquals(watch, slack.calls(Kind.MILESTONE).get(1).watch(), "in the lag watch's thread");
        List<AuditEntry> audited = store.history(d.cluster(), 5).stream().filter(e -> e.action().equals("audit")).toList();
        assertEquals(1, audited.size(), audited.toString());
    }

    @Test
    void aRecoveryOnWellSetNodesEndsWithoutAdvice() {
        settings(c -> new ClusterSettings(List.of(mariadb("node1", "1"), mariadb("node2", "1")), Map.of()));
        Diagnosis d = seedCrash();
        LagWatch watch = lifecycle.startWatch(d.cluster(), "C-OPS", "", "");
        int before = reads.get();

        lifecycle.replicationCaughtUp(watch, d);

        assertEquals(before + 1, reads.get(), "the settings were read");
        List<String> thread = slack.calls(Kind.MILESTONE).stream().map(RecordingNotifier.Call::text).toList();
        assertTrue(thread.stream().noneMatch(t -> t.contains("SET GLOBAL sync_binlog")), thread.toString());
    }
}
