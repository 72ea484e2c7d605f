package io.mysqlresync.metrics;

import io.mysqlresync.incident.ApprovalOutcome;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.testsupport.StatusSamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a scrape shows after the bot read captured status rows and handled approvals. */
class PrometheusMetricsTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-30T03:00:00Z"), ZoneOffset.UTC);
    private final PrometheusMetrics metrics = new PrometheusMetrics(clock);

    @AfterEach
    void close() {
        metrics.close();
    }

    /** The value of the one sample of {@code name} whose labels contain every {@code label="value"} given. */
    static Optional<Double> sample(String scrape, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(scrape);
        while (m.find()) {
            String got = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String label : labels) all &= got.contains(label);
            if (all) return Optional.of(Double.parseDouble(m.group(2)));
        }
        return Optional.empty();
    }

    @Test
    void aLaggingNodesLagAndThreadsAreExposedPerNode() {
        ClusterStatus lagging = StatusSamples.pair("lagging");
        NodeStatus behind = lagging.nodes().stream()
                .filter(n -> n.replica().flatMap(r -> r.secondsBehindSource().isPresent()
                        ? Optional.of(r.secondsBehindSource().getAsLong()) : Optional.empty()).orElse(0L) > 0)
                .findFirst().orElseThrow(() -> new AssertionError("the 'lagging' sample has no node behind its source"));
        for (NodeStatus n : lagging.nodes()) metrics.nodeRead("shop", n, Duration.ofMillis(12));

        String scrape = metrics.scrape();
        String node = "node=\"" + behind.node() + "\"";
        assertEquals((double) behind.replica().orElseThrow().secondsBehindSource().getAsLong(),
                sample(scrape, "mysql_resync_replica_lag_seconds", "cluster=\"shop\"", node).orElseThrow(), scrape);
        assertEquals(1.0, sample(scrape, "mysql_resync_replica_io_thread_running", node).orElseThrow());
        assertEquals(1.0, sample(scrape, "mysql_resync_replica_sql_thread_running", node).orElseThrow());
        assertEquals(1.0, sample(scrape, "mysql_resync_node_reachable", node).orElseThrow());
        assertEquals(behind.readAt().toEpochMilli() / 1000.0,
                sample(scrape, "mysql_resync_node_last_read_timestamp_seconds", node).orElseThrow());
        assertEquals(1.0, sample(scrape, "mysql_resync_node_read_duration_seconds_count", node).orElseThrow());
        assertEquals(0.012, sample(scrape, "mysql_resync_node_read_duration_seconds_sum", node).orElseThrow(), 1e-9);
        assertTrue(scrape.contains("# TYPE mysql_resync_replica_lag_seconds gauge"), scrape);
    }

    @Test
    void aStoppedSqlThreadReadsZeroAndAnUnreachableNodeHasNoLagNorThreads() {
        ClusterStatus stopped = StatusSamples.pair("operator-stopped");
        for (NodeStatus n : stopped.nodes()) metrics.nodeRead("shop", n, Duration.ofMillis(3));
        String scrape = metrics.scrape();
        long stoppedSql = stopped.nodes().stream().filter(n -> n.replica().map(r -> !r.bothThreadsRunning()).orElse(true))
                .count();
        assertTrue(stoppedSql > 0);
        assertTrue(scrape.lines().anyMatch(l -> l.startsWith("mysql_resync_replica_sql_thread_running{")
                && l.endsWith(" 0.0")) || scrape.lines().anyMatch(l -> l.startsWith("mysql_resync_replica_io_thread_running{")
                && l.endsWith(" 0.0")), scrape);

        metrics.nodeRead("shop", NodeStatus.unreachable("node1", clock.instant(), "Connection refused"), Duration.ofSeconds(2));
        scrape = metrics.scrape();
        assertEquals(0.0, sample(scrape, "mysql_resync_node_reachable", "node=\"node1\"").orElseThrow());
        assertEquals(clock.millis() / 1000.0,
                sample(scrape, "mysql_resync_node_last_poll_timestamp_seconds", "node=\"node1\"").orElseThrow());
        assertTrue(sample(scrape, "mysql_resync_replica_lag_seconds", "node=\"node1\"").orElseThrow().isNaN());
        assertTrue(sample(scrape, "mysql_resync_replica_sql_thread_running", "node=\"node1\"").orElseThrow().isNaN());
        assertFalse(scrape.contains("Connection refused"), "error texts never become labels");
    }

    @Test
    void incidentsVerificationAndApprovalsArePerClusterWithClosedSetsOfReasons() {
        metrics.incidentOpen("shop", true);
        metrics.incidentOpen("billing", false);
        metrics.verified("shop", false, 42);
        metrics.approval("shop", ApprovalOutcome.Kind.EXECUTED);
        metrics.approval("shop", ApprovalOutcome.Kind.FAILED);
        metrics.approval("shop", ApprovalOutcome.Kind.REFUSED_STALE);
        metrics.approval("shop", ApprovalOutcome.Kind.REFUSED_STALE);
        metrics.approval("shop", ApprovalOutcome.Kind.REFUSED_UNAUTHORISED);
        metrics.approval("shop", ApprovalOutcome.Kind.REJECTED);
        metrics.sweep(Duration.ofMillis(900), false);
        metrics.sweep(Duration.ofMillis(1500), true);
        metrics.slackAck(Duration.ofMillis(7));

        String s = metrics.scrape();
        assertEquals(1.0, sample(s, "mysql_resync_open_incidents", "cluster=\"shop\"").orElseThrow(), s);
        assertEquals(0.0, sample(s, "mysql_resync_open_incidents", "cluster=\"billing\"").orElseThrow());
        assertEquals(0.0, sample(s, "mysql_resync_verification_identical", "cluster=\"shop\"").orElseThrow());
        assertEquals(42.0, sample(s, "mysql_resync_verification_rows_differing", "cluster=\"shop\"").orElseThrow());
        assertEquals(clock.millis() / 1000.0,
                sample(s, "mysql_resync_verification_last_timestamp_seconds", "cluster=\"shop\"").orElseThrow());
        assertEquals(1.0, sample(s, "mysql_resync_plans_executed_total", "result=\"succeeded\"").orElseThrow());
        assertEquals(1.0, sample(s, "mysql_resync_plans_executed_total", "result=\"failed\"").orElseThrow());
        assertEquals(2.0, sample(s, "mysql_resync_plans_refused_total", "reason=\"stale\"").orElseThrow());
        assertEquals(1.0, sample(s, "mysql_resync_plans_refused_total", "reason=\"unauthorised\"").orElseThrow());
        assertEquals(1.0, sample(s, "mysql_resync_plans_rejected_total", "cluster=\"shop\"").orElseThrow());
        assertEquals(2.0, sample(s, "mysql_resync_monitor_sweep_duration_seconds_count").orElseThrow());
        assertEquals(1.0, sample(s, "mysql_resync_monitor_sweep_overruns_total").orElseThrow());
        assertEquals(1.0, sample(s, "mysql_resync_slack_ack_duration_seconds_bucket", "le=\"0.01\"").orElseThrow(), s);
        assertEquals(0.0, sample(s, "mysql_resync_slack_ack_duration_seconds_bucket", "le=\"0.005\"").orElseThrow());
    }

    @Test
    void socketModeIsReadAtEachScrapeAndJvmMetricsAreThere() {
        boolean[] connected = {true};
        metrics.socketModeConnected(() -> connected[0]);
        assertEquals(1.0, sample(metrics.scrape(), "mysql_resync_slack_socket_connected").orElseThrow());
        connected[0] = false;
        String s = metrics.scrape();
        assertEquals(0.0, sample(s, "mysql_resync_slack_socket_connected").orElseThrow());
        assertTrue(sample(s, "jvm_memory_used_bytes", "area=\"heap\"").orElseThrow() > 0, s);
        assertTrue(sample(s, "process_uptime_seconds").isPresent());
        assertTrue(sample(s, "jvm_threads_live_threads").orElseThrow() > 0);
    }
}
