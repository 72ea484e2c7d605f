package io.mysqlresync.recovery;

import java.util.List;
import java.util.Optional;

/**
 * The result of running (or refusing to run) an approved plan option.
 *
 * @param refusals     why the plan was not run at all: the nodes changed since it was made
 * @param outcomes     the plan's statements that ran, in order, up to and including the first failure
 * @param restorations after a failure: the statements that started again the threads the plan had
 *                     stopped (they were running before the plan), so a failed plan leaves replication
 *                     as it found it
 * @param nodesAfter   after a failure: each node the plan touched, as read again ("node1: IO thread
 *                     Yes, SQL thread No, ...")
 */
public record ExecutionReport(String planId, String optionId, List<String> refusals,
                              List<StatementOutcome> outcomes, List<StatementOutcome> restorations,
                              List<String> nodesAfter) {

    public ExecutionReport {
        refusals = List.copyOf(refusals);
        outcomes = List.copyOf(outcomes);
        restorations = restorations == null ? List.of() : List.copyOf(restorations);
        nodesAfter = nodesAfter == null ? List.of() : List.copyOf(nodesAfter);
    }

    public ExecutionReport(String planId, String optionId, List<String> refusals, List<StatementOutcome> outcomes) {
        this(planId, optionId, refusals, outcomes, List.of(), List.of());
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

    /** After a failure, one sentence: what was put back and where each node stands; empty otherwise. */
    public String aftermath() {
        if (succeeded() || refused()) return "";
        StringBuilder sb = new StringBuilder();
        if (!restorations.isEmpty()) {
            sb.append("Restarted what the plan had stopped: ");
            sb.append(String.join("; ", restorations.stream().map(r -> r.node() + ": " + r.sql()
                    + (r.succeeded() ? " OK" : " failed (" + r.errorMessage() + ")")).toList()));
            sb.append(". ");
        }
        if (!nodesAfter.isEmpty()) {
            sb.append("Now ").append(String.join("; ", nodesAfter)).append('.');
        }
        return sb.toString().trim();
    }
}
