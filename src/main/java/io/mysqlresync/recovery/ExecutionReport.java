package io.mysqlresync.recovery;

import java.util.List;
import java.util.Optional;

/**
 * The result of running (or refusing to run) an approved plan option.
 *
 * @param refusals why the plan was not run at all: the nodes changed since it was made
 */
public record ExecutionReport(String planId, String optionId, List<String> refusals,
                              List<StatementOutcome> outcomes) {

    public ExecutionReport {
        refusals = List.copyOf(refusals);
        outcomes = List.copyOf(outcomes);
    }

    public boolean refused() {
        return !refusals.isEmpty();
    }

    public boolean succeeded() {
        return !refused() && outcomes.stream().allMatch(StatementOutcome::succeeded);
    }

    public Optional<StatementOutcome> firstFailure() {
        return outcomes.stream().filter(o -> !o.succeeded()).findFirst();
    }
}
