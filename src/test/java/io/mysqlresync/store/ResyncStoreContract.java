package io.mysqlresync.store;

import io.mysqlresync.config.StateSettings;
import io.mysqlresync.incident.AuditEntry;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.IncidentState;
import io.mysqlresync.incident.LagSample;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.NodeLag;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ShardPoll;
import io.mysqlresync.incident.WatchMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every state database must do for the bot, run against each real kind (H2, MariaDB).
 * Opening a second {@link StateDatabase} on the same settings is what a restarted bot, or a
 * second replica, does.
 */
abstract class ResyncStoreContract {

    /** Races are repeated: one lucky interleaving proves little. */
    private static final int ROUNDS = 15;
    private static final Instant T0 = Instant.parse("2025-03-14T02:20:00.000000001Z");

    StateDatabase db;
    JdbcResyncStore store;

    /** The same settings on every call: reopening them is a restart. */
    abstract StateSettings settings();

    @BeforeEach
    void open() throws Exception {
        db = StateDatabase.open(settings());
        store = new JdbcResyncStore(db.dataSource());
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("resync_audit", "resync_plan", "resync_incident", "resync_lag_watch",
                    "resync_node_start", "resync_pending_alert", "resync_watch_memory", "resync_shard_poll")) {
                s.executeUpdate("DELETE FROM " + table);
            }
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    // ---- plans ---------------------------------------------------------------------------

    @Test
    void a_proposed_plan_reads_back_equal() {
        ProposedPlan p = CrashedPair.proposed("prod-eu", "p-roundtrip");
        store.savePlan(p);
        assertEquals(p, store.plan("p-roundtrip").orElseThrow());
        assertTrue(store.plan("p-nosuchplan").isEmpty());
    }

    @Test
    void approving_moves_the_plan_once_and_records_who_and_when() {
        store.savePlan(CrashedPair.proposed("prod-eu", "p-approve"));
        Instant at = T0.plusNanos(7);

        assertTrue(store.transitionPlan("p-approve", PlanState.PROPOSED, PlanState.EXECUTING, "U0BOB", at));
        assertFalse(store.transitionPlan("p-approve", PlanState.PROPOSED, PlanState.EXECUTING, "U0CAROL", at),
                "a second click finds the plan no longer PROPOSED");

        ProposedPlan now = store.plan("p-approve").orElseThrow();
        assertEquals(PlanState.EXECUTING, now.state());
        assertEquals("U0BOB", now.decidedBy());
        assertEquals(at, now.decidedAt());
        assertFalse(store.transitionPlan("p-unknown", PlanState.PROPOSED, PlanState.EXECUTING, "U0BOB", at));
    }

    @Test
    void an_executing_plan_carries_its_executor_and_heartbeat_and_its_own_audit_lines() {
        store.savePlan(CrashedPair.proposed("prod-eu", "p-beating"));
        store.savePlan(CrashedPair.proposed("prod-eu", "p-waiting"));
        store.beatPlan("p-beating", "11@host-a/boot1", T0);
        assertTrue(store.executingPlans().isEmpty(), "a heartbeat does not touch a plan that is not running");

        store.transitionPlan("p-beating", PlanState.PROPOSED, PlanState.EXECUTING, "U0BOB", T0);
        store.beatPlan("p-beating", "11@host-a/boot1", T0.plusSeconds(2));
        var running = store.executingPlans();
        assertEquals(1, running.size());
        assertEquals("p-beating", running.get(0).plan().id());
        assertEquals("11@host-a/boot1", running.get(0).executor());
        assertEquals(T0.plusSeconds(2), running.get(0).heartbeatAt());
        assertFalse(running.get(0).executorGone(T0.plusSeconds(5), java.time.Duration.ofSeconds(12)));
        assertTrue(running.get(0).executorGone(T0.plusSeconds(15), java.time.Duration.ofSeconds(12)));

        store.audit(new AuditEntry(T0, "prod-eu", "p-beating", "bot", "statement", "node1: STOP SLAVE -> OK (1 ms)"));
        store.audit(new AuditEntry(T0, "prod-eu", "p-waiting", "bot", "propose", "other plan"));
        store.audit(new AuditEntry(T0, "prod-eu", "p-beating", "bot", "statement", "node2: STOP SLAVE -> OK (1 ms)"));
        assertEquals(List.of("node1: STOP SLAVE -> OK (1 ms)", "node2: STOP SLAVE -> OK (1 ms)"),
                store.planHistory("p-beating").stream().map(AuditEntry::detail).toList(), "oldest first, this plan only");

        assertTrue(store.transitionPlan("p-beating", PlanState.EXECUTING, PlanState.INTERRUPTED, "U0BOB", T0));
        assertTrue(store.executingPlans().isEmpty());
        assertEquals(PlanState.INTERRUPTED, store.plan("p-beating").orElseThrow().state());
    }

    @Test
    void two_approvals_at_the_same_moment_run_the_plan_once() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String id = "p-race" + round;
                store.savePlan(CrashedPair.proposed("prod-eu", id));
                List<Boolean> wins = race(pool,
                        () -> store.transitionPlan(id, PlanState.PROPOSED, PlanState.EXECUTING, "U0BOB", T0),
                        () -> store.transitionPlan(id, PlanState.PROPOSED, PlanState.EXECUTING, "U0CAROL", T0));
                assertEquals(1, wins.stream().filter(w -> w).count(), "round " + round + ": " + wins);
                ProposedPlan after = store.plan(id).orElseThrow();
                assertEquals(PlanState.EXECUTING, after.state());
                assertEquals(wins.get(0) ? "U0BOB" : "U0CAROL", after.decidedBy(), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void only_proposed_plans_are_pending_and_the_message_is_remembered() {
        store.savePlan(CrashedPair.proposed("prod-eu", "p-pending1"));
        store.savePlan(CrashedPair.proposed("prod-us", "p-pending2"));
        store.transitionPlan("p-pending2", PlanState.PROPOSED, PlanState.REJECTED, "U0BOB", T0);
        store.setPlanMessage("p-pending1", "C0INCIDENT", "1710382629.000200");

        List<ProposedPlan> pending = store.pendingPlans();
        assertEquals(List.of("p-pending1"), pending.stream().map(ProposedPlan::id).toList());
        assertEquals("1710382629.000200", pending.get(0).messageTs());
        assertEquals("C0INCIDENT", pending.get(0).channel());
    }

    @Test
    void saving_a_plan_again_replaces_it() {
        ProposedPlan p = CrashedPair.proposed("prod-eu", "p-resave");
        store.savePlan(p);
        ProposedPlan changed = p.withMessage("C0OTHER", "1710382629.000300").withState(PlanState.STALE, "bot", T0);
        store.savePlan(changed);
        assertEquals(changed, store.plan("p-resave").orElseThrow());
    }

    // ---- incidents -----------------------------------------------------------------------

    @Test
    void one_open_incident_per_cluster_and_closing_frees_the_cluster() {
        Incident first = incident("i-1", "prod-eu");
        assertTrue(store.openIncidentIfNone(first));
        assertFalse(store.openIncidentIfNone(incident("i-2", "prod-eu")), "the cluster already has an open incident");
        assertTrue(store.openIncidentIfNone(incident("i-3", "prod-us")), "another cluster is independent");
        assertEquals(first, store.openIncident("prod-eu").orElseThrow());

        Incident catching = first.with(IncidentState.CATCHING_UP, first.problemKey(), "catching up", T0.plusSeconds(60));
        assertFalse(store.updateIncident(catching, IncidentState.CATCHING_UP), "stored state is OPEN, not CATCHING_UP");
        assertTrue(store.updateIncident(catching, IncidentState.OPEN));
        assertEquals(catching, store.openIncident("prod-eu").orElseThrow());

        Incident inSync = catching.with(IncidentState.IN_SYNC, catching.problemKey(), "back in sync", T0.plusSeconds(300));
        assertTrue(store.updateIncident(inSync, IncidentState.CATCHING_UP));
        assertTrue(store.openIncident("prod-eu").isEmpty(), "an IN_SYNC incident is closed");
        assertTrue(store.openIncidentIfNone(incident("i-4", "prod-eu")), "closing freed the cluster");

        Incident reopened = inSync.with(IncidentState.OPEN, "node2:DUPLICATE_KEY", "again", T0.plusSeconds(400));
        assertFalse(store.updateIncident(reopened, IncidentState.IN_SYNC),
                "re-opening i-1 would make two open incidents on prod-eu");
    }

    @Test
    void two_replicas_detecting_the_same_problem_open_one_incident() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String cluster = "race-" + round;
                Incident a = incident("i-a" + round, cluster);
                Incident b = incident("i-b" + round, cluster);
                List<Boolean> wins = race(pool, () -> store.openIncidentIfNone(a), () -> store.openIncidentIfNone(b));
                assertEquals(1, wins.stream().filter(w -> w).count(), "round " + round + ": " + wins);
                assertEquals(wins.get(0) ? a : b, store.openIncident(cluster).orElseThrow());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void the_slack_message_of_an_incident_is_kept() {
        Incident i = incident("i-msg", "prod-eu");
        store.openIncidentIfNone(i);
        Incident posted = i.withMessage("C0INCIDENT", "1710382629.000100");
        assertTrue(store.updateIncident(posted, IncidentState.OPEN));
        assertEquals(posted, store.openIncident("prod-eu").orElseThrow());
    }

    @Test
    void an_alert_delivered_late_is_recorded_once_and_a_later_update_without_it_keeps_it() {
        Incident i = incident("i-late", "prod-late");
        store.openIncidentIfNone(i); // saved while Slack was unreachable: no ts yet
        Incident read = store.openIncident("prod-late").orElseThrow();

        assertTrue(store.setAlertMessage("i-late", "C0INCIDENT", "1710382629.000200"));
        assertFalse(store.setAlertMessage("i-late", "C0INCIDENT", "1710382699.000900"), "one alert, recorded once");
        assertFalse(store.setAlertMessage("i-nosuch", "C0INCIDENT", "1710382629.000200"));

        // The monitor read the incident before the delivery and moves it on after it.
        Incident changed = read.withMessage("", "").with(IncidentState.CATCHING_UP, read.problemKey(), "catching up",
                T0.plusSeconds(60));
        assertTrue(store.updateIncident(changed, IncidentState.OPEN));
        assertEquals("1710382629.000200", store.incident("i-late").orElseThrow().messageTs());
        assertEquals("C0INCIDENT", store.incident("i-late").orElseThrow().channel(), "the channel is kept too");
        Incident closed = changed.with(IncidentState.IN_SYNC, read.problemKey(), "back in sync", T0.plusSeconds(90));
        assertTrue(store.updateIncident(closed, IncidentState.CATCHING_UP));
        assertEquals(IncidentState.IN_SYNC, store.incident("i-late").orElseThrow().state(), "closed ones are read too");
        assertTrue(store.incident("i-nosuch").isEmpty());
    }

    // ---- lag watches ---------------------------------------------------------------------

    @Test
    void a_lag_watch_is_saved_replaced_listed_and_deleted() {
        LagWatch w = LagWatch.start("prod-eu", "C0INCIDENT", "1710382629.000100", T0, "i-1");
        store.saveWatch(w);
        assertEquals(w, store.watch("prod-eu").orElseThrow());

        LagWatch later = new LagWatch("prod-eu", "C0INCIDENT", "1710382700.000100", "1710382629.000100", T0,
                List.of(sample(T0.plusSeconds(10), 340), sample(T0.plusSeconds(20), 0)), 1, true, "i-1");
        store.saveWatch(later);
        store.saveWatch(LagWatch.start("prod-us", "C0OTHER", "", T0, ""));

        assertEquals(later, store.watch("prod-eu").orElseThrow());
        assertEquals(List.of("prod-eu", "prod-us"), store.watches().stream().map(LagWatch::cluster).toList());

        store.deleteWatch("prod-eu", T0);
        assertTrue(store.watch("prod-eu").isEmpty());
        assertEquals(1, store.watches().size());
    }

    @Test
    void a_check_saves_or_deletes_only_the_watch_it_read_not_one_started_since() {
        LagWatch read = LagWatch.start("prod-eu", "C0INCIDENT", "1710382629.000100", T0, "i-1");
        store.saveWatch(read);
        LagWatch checked = new LagWatch("prod-eu", "C0INCIDENT", "1710382700.000100", "1710382629.000100", T0,
                List.of(sample(T0.plusSeconds(10), 340)), 1, false, "i-1");
        assertTrue(store.updateWatch(checked));
        assertEquals(checked, store.watch("prod-eu").orElseThrow());

        LagWatch started = LagWatch.start("prod-eu", "C0OTHER", "1710382800.000100", T0.plusSeconds(60), "");
        store.saveWatch(started);
        assertFalse(store.updateWatch(checked.withAlerted()), "the watch it read was replaced");
        store.deleteWatch("prod-eu", T0);
        assertEquals(started, store.watch("prod-eu").orElseThrow());
        assertFalse(store.updateWatch(LagWatch.start("prod-us", "C0OTHER", "", T0, "")), "no watch to update");
        assertTrue(store.watch("prod-us").isEmpty());
    }

    // ---- audit trail ---------------------------------------------------------------------

    @Test
    void history_is_newest_first_per_cluster_and_limited() {
        store.audit(new AuditEntry(T0, "prod-eu", "p-1", "U0ALICE", "propose", "node1 relay log corrupt"));
        store.audit(new AuditEntry(T0.plusSeconds(2), "prod-eu", "p-1", "U0BOB", "approve", "option resync"));
        store.audit(new AuditEntry(T0.plusSeconds(1), "prod-us", null, "bot", "alert", null));
        // Same instant: insertion order breaks the tie.
        store.audit(new AuditEntry(T0.plusSeconds(2), "prod-eu", "p-1", "bot", "statement", "node1: STOP SLAVE -> OK"));

        List<AuditEntry> eu = store.history("prod-eu", 10);
        assertEquals(List.of("statement", "approve", "propose"), eu.stream().map(AuditEntry::action).toList());
        assertEquals(new AuditEntry(T0, "prod-eu", "p-1", "U0ALICE", "propose", "node1 relay log corrupt"), eu.get(2));

        assertEquals(List.of("statement", "approve", "alert", "propose"),
                store.history(null, 10).stream().map(AuditEntry::action).toList());
        assertEquals(List.of("statement", "approve"), store.history(null, 2).stream().map(AuditEntry::action).toList());
        assertEquals("", store.history("prod-us", 1).get(0).planId());
        assertTrue(store.history("prod-eu", 0).isEmpty());
    }

    @Test
    void names_and_messages_in_any_script_are_kept() {
        String detail = "approved by Zoë Ångström 🚑 — réplication arrêtée";
        store.audit(new AuditEntry(T0, "prod-eu", "p-1", "U0ZOE", "approve", detail));
        assertEquals(detail, store.history("prod-eu", 1).get(0).detail());
    }

    @Test
    void a_long_audit_detail_is_kept_whole() {
        String detail = "node1: CHANGE MASTER TO ... -> error 1236: " + "x".repeat(70_000);
        store.audit(new AuditEntry(T0, "prod-eu", "p-1", "bot", "failed", detail));
        assertEquals(detail, store.history("prod-eu", 1).get(0).detail());
    }

    // ---- restart and migrations ----------------------------------------------------------

    @Test
    void a_restarted_bot_finds_the_proposed_plan_and_the_lag_watch() {
        ProposedPlan p = CrashedPair.proposed("prod-eu", "p-restart");
        LagWatch w = new LagWatch("prod-eu", "C0INCIDENT", "1710382700.000100", "1710382629.000100", T0,
                List.of(sample(T0.plusSeconds(10), 340)), 0, false, "i-1");
        store.savePlan(p);
        store.saveWatch(w);
        store.audit(new AuditEntry(T0, "prod-eu", "p-restart", "U0ALICE", "propose", ""));

        db.close();
        db = StateDatabase.open(settings());
        store = new JdbcResyncStore(db.dataSource());

        assertEquals(p, store.plan("p-restart").orElseThrow());
        assertEquals(List.of(p), store.pendingPlans());
        assertEquals(w, store.watch("prod-eu").orElseThrow());
        assertEquals(1, store.history("prod-eu", 5).size());
        assertTrue(store.transitionPlan("p-restart", PlanState.PROPOSED, PlanState.EXECUTING, "U0BOB", T0),
                "the plan can still be approved after the restart");
    }

    @Test
    void migrating_again_changes_nothing_and_a_second_replica_shares_the_schema() {
        assertEquals(0, db.migrate());
        store.savePlan(CrashedPair.proposed("prod-eu", "p-shared"));
        try (StateDatabase second = StateDatabase.open(settings())) {
            assertEquals(0, second.migrate());
            JdbcResyncStore other = new JdbcResyncStore(second.dataSource());
            assertTrue(other.transitionPlan("p-shared", PlanState.PROPOSED, PlanState.EXECUTING, "U0BOB", T0));
        }
        assertFalse(store.transitionPlan("p-shared", PlanState.PROPOSED, PlanState.EXECUTING, "U0CAROL", T0),
                "the other replica's approval is seen here");
    }

    // ---- poll memory ---------------------------------------------------------------------

    @Test
    void a_node_start_time_is_remembered_per_cluster_and_never_moves_back() {
        Instant later = T0.plusSeconds(60);
        store.rememberNodeStart("prod-eu", "node1", T0);
        store.rememberNodeStart("prod-eu", "node2", later);
        store.rememberNodeStart("prod-us", "node1", later);

        store.rememberNodeStart("prod-eu", "node1", later);
        store.rememberNodeStart("prod-eu", "node2", T0); // a late poll that saw the earlier start

        assertEquals(Map.of("node1", later, "node2", later), store.nodeStarts("prod-eu"));
        assertEquals(Map.of("node1", later), store.nodeStarts("prod-us"));
        assertEquals(Map.of(), store.nodeStarts("prod-ap"));
    }

    @Test
    void the_start_times_of_clusters_no_longer_configured_are_forgotten() {
        store.rememberNodeStart("prod-eu", "node1", T0);
        store.rememberNodeStart("prod-us", "node1", T0);
        store.rememberNodeStart("retired", "node1", T0);

        store.retainNodeStarts(List.of("prod-eu", "prod-us"));

        assertEquals(Map.of("node1", T0), store.nodeStarts("prod-eu"));
        assertEquals(Map.of("node1", T0), store.nodeStarts("prod-us"));
        assertEquals(Map.of(), store.nodeStarts("retired"));
    }

    @Test
    void two_replicas_remembering_a_start_time_at_once_keep_the_later_one() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < ROUNDS; i++) {
                String node = "node" + i;
                Instant earlier = T0.plusSeconds(i);
                Instant later = earlier.plusMillis(1500);
                race(pool, () -> {
                    store.rememberNodeStart("prod-eu", node, earlier);
                    return true;
                }, () -> {
                    store.rememberNodeStart("prod-eu", node, later);
                    return true;
                });
                assertEquals(later, store.nodeStarts("prod-eu").get(node), "round " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_shard_poll_records_who_and_when_and_is_counted() {
        store.retainShards(3, T0);
        assertEquals(List.of(0, 1, 2), store.shardPolls().stream().map(ShardPoll::shard).toList());
        assertEquals(new ShardPoll(1, "", T0, null, 0, false), store.shardPolls().get(1), "configured, never polled");

        Instant t1 = T0.plusSeconds(2);
        store.shardPollStarted(1, "bot-a/11", t1);
        assertEquals(new ShardPoll(1, "bot-a/11", t1, null, 1, false), store.shardPolls().get(1), "running");
        store.shardPollEnded(1, t1, t1.plusMillis(40));
        assertEquals(new ShardPoll(1, "bot-a/11", t1, t1.plusMillis(40), 1, false), store.shardPolls().get(1));

        Instant t2 = t1.plusSeconds(2);
        store.shardPollStarted(1, "bot-b/22", t2);
        store.shardPollEnded(1, t1, t2.plusMillis(5)); // the older poll ends late: not this poll's end
        assertEquals(new ShardPoll(1, "bot-b/22", t2, null, 2, false), store.shardPolls().get(1));

        store.retainShards(3, T0.plusSeconds(60));
        assertEquals(2, store.shardPolls().get(1).polls(), "configuring again keeps the records");
        store.retainShards(1, T0);
        assertEquals(List.of(0), store.shardPolls().stream().map(ShardPoll::shard).toList());
        store.shardPollStarted(5, "bot-a/11", t2);
        assertEquals(1, store.shardPolls().get(1).polls(), "a shard polled before it was configured gets its row");
    }

    @Test
    void a_shard_is_marked_late_once_and_polled_again_once() {
        store.retainShards(1, T0);
        assertTrue(store.markShardLate(0, true));
        assertFalse(store.markShardLate(0, true), "already marked: someone else said it");
        assertTrue(store.shardPolls().get(0).late());
        assertTrue(store.markShardLate(0, false));
        assertFalse(store.markShardLate(0, false));
        assertFalse(store.shardPolls().get(0).late());
    }

    @Test
    void an_alert_being_posted_is_claimed_by_one_replica_until_its_claim_runs_out() {
        store.setPendingAlert("prod-eu", "i-first", T0.plusSeconds(30));
        assertFalse(store.claimPendingAlert("prod-eu", "i-first", T0.plusSeconds(2), T0.plusSeconds(32)),
                "another replica is posting it");
        assertTrue(store.claimPendingAlert("prod-eu", "i-first", T0.plusSeconds(31), T0.plusSeconds(61)),
                "its claim ran out: the poster died");
        assertFalse(store.claimPendingAlert("prod-eu", "i-first", T0.plusSeconds(32), T0.plusSeconds(62)));
        assertFalse(store.claimPendingAlert("prod-eu", "i-other", T0.plusSeconds(99), T0.plusSeconds(129)),
                "only the alert that is pending");
        store.setPendingAlert("prod-eu", "i-first", null);
        assertTrue(store.claimPendingAlert("prod-eu", "i-first", T0.plusSeconds(33), T0.plusSeconds(63)),
                "given back after a failed post: the next poll takes it at once");
    }

    @Test
    void an_alert_still_to_post_is_remembered_until_cleared() {
        assertTrue(store.pendingAlert("prod-eu").isEmpty());
        store.setPendingAlert("prod-eu", "i-first");
        store.setPendingAlert("prod-eu", "i-second");
        assertEquals("i-second", store.pendingAlert("prod-eu").orElseThrow());
        assertTrue(store.pendingAlert("prod-us").isEmpty());

        store.clearPendingAlert("prod-eu");

        assertTrue(store.pendingAlert("prod-eu").isEmpty());
    }

    @Test
    void what_a_lag_watch_said_belongs_to_that_watch_and_goes_with_it() {
        Instant started = T0.plusMillis(5);
        store.saveWatch(LagWatch.start("prod-eu", "C0INCIDENT", "", started, "i-1"));
        WatchMemory said = WatchMemory.fresh(started).withShown("node1 48988 s falling").withCaughtUp("node2")
                .withNotFalling("node1", true).withBrokenChecks(1);

        store.saveWatchMemory("prod-eu", said);

        assertEquals(said, store.watchMemory("prod-eu", started));
        Instant newer = started.plusSeconds(30);
        assertEquals(WatchMemory.fresh(newer), store.watchMemory("prod-eu", newer),
                "a new watch of the cluster has said nothing yet");
        store.deleteWatch("prod-eu", started);
        assertEquals(WatchMemory.fresh(started), store.watchMemory("prod-eu", started));
    }

    // ---- helpers -------------------------------------------------------------------------

    static Incident incident(String id, String cluster) {
        return new Incident(id, cluster, IncidentState.OPEN, "node1:RELAY_LOG_CORRUPT",
                cluster + ": node1 relay log corrupt", T0, T0, "C0INCIDENT", "");
    }

    static LagSample sample(Instant at, long node1Lag) {
        return new LagSample(at, List.of(new NodeLag("node1", node1Lag, true), new NodeLag("node2", 0, true)));
    }

    /** Runs both at once: each thread waits at the gate until both are ready. */
    static List<Boolean> race(ExecutorService pool, Callable<Boolean> a, Callable<Boolean> b) throws Exception {
        CountDownLatch ready = new CountDownLatch(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> futures = new ArrayList<>();
        for (Callable<Boolean> task : List.of(a, b)) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return task.call();
            }));
        }
        assertTrue(ready.await(10, TimeUnit.SECONDS));
        go.countDown();
        List<Boolean> results = new ArrayList<>();
        for (Future<Boolean> f : futures) {
            results.add(f.get(30, TimeUnit.SECONDS));
        }
        return results;
    }
}
