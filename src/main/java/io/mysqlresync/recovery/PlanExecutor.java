package io.mysqlresync.recovery;

import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        ClusterStatus now = reader.read(plan.cluster());
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

    public ExecutionReport execute(RecoveryPlan plan, String optionId, Consumer<StatementOutcome> onEach) {
        Optional<PlanOption> option = plan.option(optionId);
        if (option.isEmpty()) {
            return new ExecutionReport(plan.id(), optionId, List.of("plan " + plan.id() + " has no option '"
                    + optionId + "'"), List.of());
        }
        if (!option.get().executable()) {
            return new ExecutionReport(plan.id(), optionId, List.of("option '" + optionId
                    + "' is instructions for a human, the bot cannot run it"), List.of());
        }
        List<String> diffs = recheck(plan);
        if (!diffs.isEmpty()) {
            return new ExecutionReport(plan.id(), optionId, diffs, List.of());
        }
        List<StatementOutcome> outcomes = new ArrayList<>();
        for (NodeStep step : option.get().steps()) {
            for (String sql : step.statements()) {
                StatementOutcome outcome = runner.run(plan.cluster(), step.node(), sql);
                outcomes.add(outcome);
                onEach.accept(outcome);
                if (!outcome.succeeded()) {
                    return new ExecutionReport(plan.id(), optionId, List.of(), outcomes);
                }
            }
        }
        return new ExecutionReport(plan.id(), optionId, List.of(), outcomes);
    }
}
