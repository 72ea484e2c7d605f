package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Diagnosis;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The recovery proposal for one diagnosis: options to choose from, manual actions that no
 * option can do, and the preconditions (node states) it is only valid for.
 */
public record RecoveryPlan(String id, String cluster, Instant createdAt, Diagnosis diagnosis,
                           List<PlanOption> options, List<String> manualActions,
                           List<NodeExpectation> preconditions) {

    public RecoveryPlan {
        options = List.copyOf(options);
        manualActions = List.copyOf(manualActions);
        preconditions = List.copyOf(preconditions);
    }

    public Optional<PlanOption> option(String optionId) {
        return options.stream().filter(o -> o.id().equals(optionId)).findFirst();
    }

    public List<PlanOption> executableOptions() {
        return options.stream().filter(PlanOption::executable).toList();
    }

    public boolean nothingToDo() {
        return options.isEmpty() && manualActions.isEmpty();
    }
}
