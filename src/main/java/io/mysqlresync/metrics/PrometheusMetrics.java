package io.mysqlresync.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mysqlresync.incident.ApprovalOutcome;
import io.mysqlresync.incident.BotMetrics;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ThreadState;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

/**
 * The one metrics registry (Micrometer, exposed in Prometheus' text format by {@link #scrape()}),
 * implementing the core's {@link BotMetrics} port. Names follow Prometheus' conventions: the
 * unit in the name, {@code _total} on counters; labels are only {@code cluster} and {@code node}
 * plus a few closed sets of words ({@code result}, {@code reason}), never plan ids or error
 * texts, so 1,000 nodes make a few thousand series, not an unbounded number.
 *
 * <p>With several replicas, each exposes what <em>it</em> read: the monitor job runs on one
 * replica per poll. {@code mysql_resync_node_last_poll_timestamp_seconds} tells which replica's
 * figures are current; the alert rules in deploy/kubernetes use only those.
 */
public final class PrometheusMetrics implements BotMetrics, AutoCloseable {

    static final String PREFIX = "mysql_resync_";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<String, Value> values = new ConcurrentHashMap<>();
    private final Timer sweep;
    private final Counter sweepOverruns;
    private final Timer slackAck;

    public PrometheusMetrics(Clock clock) {
        this.clock = clock;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        this.sweep = Timer.builder("mysql.resync.monitor.sweep.duration")
                .description("One monitor sweep over every cluster, from its start to the end of its last poll")
                .register(registry);
        this.sweepOverruns = Counter.builder("mysql.resync.monitor.sweep.overruns")
                .description("Sweeps that skipped a cluster because its previous poll was still running")
                .register(registry);
        // Slack wants an ack within 3 s; buckets around the 50 ms target (BENCHMARKS.md) and the limit.
        this.slackAck = Timer.builder("mysql.resync.slack.ack.duration")
                .description("Time from a Slack request reaching the bot to its acknowledgement")
                .serviceLevelObjectives(ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500), ms(1000), ms(3000))
                .register(registry);
    }

    /** Socket Mode's state, read at each scrape. */
    public void socketModeConnected(BooleanSupplier connected) {
        Gauge.builder("mysql.resync.slack.socket.connected", connected, c -> c.getAsBoolean() ? 1 : 0)
                .description("1 while the Socket Mode connection to Slack is open")
                .strongReference(true) // a method reference held nowhere else would be collected: NaN
                .register(registry);
    }

    /** Messages waiting in the Slack outbox, and how long the oldest has waited: Slack unreachable. */
    public void slackOutbox(IntSupplier waiting, DoubleSupplier oldestSeconds) {
        Gauge.builder("mysql.resync.slack.outbox.messages", waiting, IntSupplier::getAsInt)
                .description("Messages for Slack kept in the state database, not delivered yet")
                .strongReference(true)
                .register(registry);
        Gauge.builder("mysql.resync.slack.outbox.oldest", oldestSeconds, DoubleSupplier::getAsDouble)
                .description("How long the oldest message waiting for Slack has waited")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void nodeRead(String cluster, NodeStatus status, Duration took) {
        Tags tags = Tags.of("cluster", cluster, "node", status.node());
        Timer.builder("mysql.resync.node.read.duration")
                .description("Reading one node's replication status (the slowest part of a poll)")
                .tags(tags).register(registry).record(took);
        value("node_reachable", tags, "1 when the node answered the last read").set(status.reachable() ? 1 : 0);
        // With two replicas each shows what it read last; this says whose figures are current.
        value("node_last_poll_timestamp_seconds", tags, "When this replica last read the node, answered or not (Unix time)")
                .set(status.readAt().toEpochMilli() / 1000.0);
        if (!status.reachable()) {
            // What an unreachable node's threads do is unknown, not stopped.
            value("replica_io_thread_running", tags, IO_HELP).set(Double.NaN);
            value("replica_sql_thread_running", tags, SQL_HELP).set(Double.NaN);
            value("replica_lag_seconds", tags, LAG_HELP).set(Double.NaN);
            return;
        }
        value("node_last_read_timestamp_seconds", tags, "When the node was last read successfully (Unix time)")
                .set(status.readAt().toEpochMilli() / 1000.0);
        ReplicaChannel replica = status.replica().orElse(null);
        value("replica_io_thread_running", tags, IO_HELP).set(running(replica == null ? null : replica.ioThread()));
        value("replica_sql_thread_running", tags, SQL_HELP).set(running(replica == null ? null : replica.sqlThread()));
        value("replica_lag_seconds", tags, LAG_HELP).set(replica == null || replica.secondsBehindSource().isEmpty()
                ? Double.NaN : replica.secondsBehindSource().getAsLong());
    }

    private static final String IO_HELP =
            "1 when the replica IO thread runs (Slave_IO_Running: Yes), 0 when stopped, connecting or not a replica";
    private static final String SQL_HELP =
            "1 when the replica SQL thread runs (Slave_SQL_Running: Yes), 0 when stopped or not a replica";
    private static final String LAG_HELP =
            "Seconds_Behind_Master / Seconds_Behind_Source; NaN when the server reports NULL";

    private static double running(ThreadState state) {
        return state == ThreadState.RUNNING ? 1 : 0;
    }

    @Override
    public void incidentOpen(String cluster, boolean open) {
        value("open_incidents", Tags.of("cluster", cluster),
                "Incidents open on the cluster (alerted, proposed, recovering), as of this replica's last poll")
                .set(open ? 1 : 0);
    }

    @Override
    public void verified(String cluster, boolean identical, long rowsDiffering) {
        Tags tags = Tags.of("cluster", cluster);
        value("verification_identical", tags, "1 when the last verification found both nodes' data identical")
                .set(identical ? 1 : 0);
        value("verification_rows_differing", tags, "Rows that differ between the nodes at the last verification")
                .set(rowsDiffering);
        value("verification_last_timestamp_seconds", tags, "When the last verification finished (Unix time)")
                .set(clock.millis() / 1000.0);
    }

    @Override
    public void approval(String cluster, ApprovalOutcome.Kind outcome) {
        String c = cluster == null ? "" : cluster;
        switch (outcome) {
            case EXECUTED, FAILED -> Counter.builder("mysql.resync.plans.executed")
                    .description("Plans the bot ran after an approval, by result")
                    .tags("cluster", c, "result", outcome == ApprovalOutcome.Kind.EXECUTED ? "succeeded" : "failed")
                    .register(registry).increment();
            case REJECTED -> Counter.builder("mysql.resync.plans.rejected")
                    .description("Plans a person rejected")
                    .tags("cluster", c).register(registry).increment();
            default -> Counter.builder("mysql.resync.plans.refused")
                    .description("Approvals that ran nothing, by reason (stale, expired, unauthorised, ...)")
                    .tags("cluster", c, "reason", reason(outcome))
                    .register(registry).increment();
        }
    }

    /** REFUSED_STALE -> stale, UNKNOWN_PLAN -> unknown_plan: a closed set of words. */
    static String reason(ApprovalOutcome.Kind kind) {
        String name = kind.name().toLowerCase(Locale.ROOT);
        return name.startsWith("refused_") ? name.substring("refused_".length()) : name;
    }

    @Override
    public void sweep(Duration took, boolean overran) {
        sweep.record(took);
        if (overran) sweepOverruns.increment();
    }

    @Override
    public void slackAck(Duration took) {
        slackAck.record(took);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /** A settable gauge; the map holds it strongly (Micrometer's gauges only hold a weak reference). */
    private Value value(String name, Tags tags, String help) {
        return values.computeIfAbsent(name + tags, k -> {
            Value v = new Value();
            Gauge.builder("mysql.resync." + name.replace('_', '.'), v, Value::get)
                    .description(help).tags(tags).register(registry);
            return v;
        });
    }

    private static final class Value {
        private volatile double value = Double.NaN;

        void set(double v) {
            value = v;
        }

        double get() {
            return value;
        }
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}
