package io.mysqlresync.recovery;

import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;

import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ThreadState;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs an approved plan option: reads the servers again, refuses if they no longer match the
 * plan's preconditions, then runs each statement in order, stopping at the first failure.
 * Knows nothing of JDBC: the reader and runner are ports.
 */
public final class PlanExecutor {

    private final ClusterReader reader;
    private final StatementRunner runner;

    public PlanExecutor(ClusterReader reader, StatementRunner runner) {
        this.reader = reader;
        this.runner = runner;
    }

    /** Re-reads the cluster and lists every way it differs from what the plan was made for. */
    public List<String> recheck(RecoveryPlan plan) {
        return differences(plan, reader.read(plan.cluster()));
    }

    private static List<String> differences(RecoveryPlan plan, ClusterStatus now) {
        List<String> diffs = new ArrayList<>();
        for (NodeExpectation expected : plan.preconditions()) {
            Optional<NodeStatus> node = now.node(expected.node());
            if (node.isEmpty()) {
                diffs.add(expected.node() + " is no longer configured");
            } else {
                diffs.addAll(expected.differencesFrom(node.get()));
            }
        }
        return diffs;
    }

    /**
     * Runs the option's statements in order and stops at the first failure. Then it starts again
     * every replication thread the plan had stopped that was running before it (a STOP SLAVE
     * followed by a refused SET GLOBAL must not leave the IO thread down), and reads the nodes
     * again to say where each stands. Every statement, restoring ones included, goes to {@code onEach}.
     */
    public ExecutionReport execute(RecoveryPlan plan, String optionId, Consumer<StatementOutcome> onEach) {
        return execute(plan, optionId, (node, sql) -> { }, onEach);
    }

    /**
     * As {@link #execute(RecoveryPlan, String, Consumer)}, telling {@code beforeEach} each plan
     * statement (node, SQL) just before it is sent: if the bot dies while it runs, the record says
     * it was sent even though its outcome was never known.
     */
    public ExecutionReport execute(RecoveryPlan plan, String optionId, BiConsumer<String, String> beforeEach,
                                   Consumer<StatementOutcome> onEach) {
        Optional<PlanOption> option = plan.option(optionId);
        if (option.isEmpty()) {
            return new ExecutionReport(plan.id(), optionId, List.of("plan " + plan.id() + " has no option '"
                    + optionId + "'"), List.of());
        }
        if (!option.get().executable()) {
            return new ExecutionReport(plan.id(), optionId, List.of("option '" + optionId
                    + "' is instructions for a human, the bot cannot run it"), List.of());
        }
        ClusterStatus before = reader.read(plan.cluster());
        List<String> diffs = differences(plan, before);
        if (!diffs.isEmpty()) {
            return new ExecutionReport(plan.id(), optionId, diffs, List.of());
        }
        List<StatementOutcome> outcomes = new ArrayList<>();
        // node -> threads this plan stopped that were running before it and are not started again yet
        Map<String, EnumSet<ReplicationThread>> stopped = new LinkedHashMap<>();
        // node -> the STOP statement that ran there: its restart keeps the connection or channel name
        Map<String, String> stopStatements = new LinkedHashMap<>();
        for (NodeStep step : option.get().steps()) {
            for (String sql : step.statements()) {
                beforeEach.accept(step.node(), sql);
                StatementOutcome outcome = runner.run(plan.cluster(), step.node(), sql);
                outcomes.add(outcome);
                onEach.accept(outcome);
                if (!outcome.succeeded()) {
                    return afterFailure(plan, optionId, outcomes, stopped, stopStatements, onEach);
                }
                if (track(stopped, step.node(), sql, before)) stopStatements.put(step.node(), sql);
            }
        }
        return new ExecutionReport(plan.id(), optionId, List.of(), outcomes);
    }

    private ExecutionReport afterFailure(RecoveryPlan plan, String optionId, List<StatementOutcome> outcomes,
                                         Map<String, EnumSet<ReplicationThread>> stopped,
                                         Map<String, String> stopStatements, Consumer<StatementOutcome> onEach) {
        List<StatementOutcome> restorations = new ArrayList<>();
        for (Map.Entry<String, EnumSet<ReplicationThread>> e : stopped.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            String start = ReplicationThread.restart(stopStatements.get(e.getKey()), e.getValue());
            StatementOutcome outcome = runner.run(plan.cluster(), e.getKey(), start);
            restorations.add(outcome);
            onEach.accept(outcome);
        }
        Set<String> touched = new LinkedHashSet<>();
        outcomes.forEach(o -> touched.add(o.node()));
        ClusterStatus after = reader.read(plan.cluster());
        List<String> nodesAfter = new ArrayList<>();
        for (String name : touched) {
            after.node(name).ifPresent(n -> nodesAfter.add(describe(n)));
        }
        return new ExecutionReport(plan.id(), optionId, List.of(), outcomes, restorations, nodesAfter);
    }

    /** Returns whether {@code sql} stopped a thread that was running. */
    private static boolean track(Map<String, EnumSet<ReplicationThread>> stopped, String node, String sql,
                                 ClusterStatus before) {
        Optional<ReplicaChannel> was = before.node(node).flatMap(NodeStatus::replica);
        EnumSet<ReplicationThread> mine = stopped.computeIfAbsent(node, n -> EnumSet.noneOf(ReplicationThread.class));
        EnumSet<ReplicationThread> stops = ReplicationThread.stoppedBy(sql);
        boolean stoppedOne = false;
        for (ReplicationThread t : stops) {
            // only threads that were doing their job before: a thread that was already down stays down
            if (was.isPresent() && t.state(was.get()) != ThreadState.STOPPED) {
                mine.add(t);
                stoppedOne = true;
            }
        }
        mine.removeAll(ReplicationThread.startedBy(sql));
        return stoppedOne;
    }

    private static String describe(NodeStatus n) {
        if (!n.reachable()) return n.node() + " unreachable (" + n.unreachableReason() + ")";
        Optional<ReplicaChannel> ch = n.replica();
        if (ch.isEmpty()) return n.node() + " has no replication channel";
        ReplicaChannel c = ch.get();
        StringBuilder sb = new StringBuilder(n.node()).append(": IO thread ").append(c.ioThread().statusWord())
                .append(", SQL thread ").append(c.sqlThread().statusWord());
        if (c.sqlError().present()) sb.append(" (SQL error ").append(c.sqlError().code()).append(')');
        if (c.ioError().present()) sb.append(" (IO error ").append(c.ioError().code()).append(')');
        return sb.toString();
    }
}
