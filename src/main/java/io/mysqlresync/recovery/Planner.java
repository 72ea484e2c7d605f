package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Finding;

import java.time.Instant;
import java.util.List;

/**
 * Turns findings into recovery options with exact SQL per node. Pure, like the diagnosis. Each
 * finding kind's recipe adds its steps, risks and manual actions; {@link Recipes} says which.
 */
public final class Planner {

    public static final String RESYNC = "resync";
    public static final String SKIP_EVENT = "skip-event";
    public static final String REBUILD = "rebuild";

    public RecoveryPlan plan(Diagnosis diagnosis, String planId, Instant now) {
        PlanDraft draft = new PlanDraft();
        for (Finding f : diagnosis.findings()) {
            Recipes.of(f.kind()).addTo(new Situation(f, diagnosis.status(), diagnosis.ledger()), draft);
        }
        List<NodeExpectation> pre = diagnosis.status().nodes().stream().map(NodeExpectation::of).toList();
        return new RecoveryPlan(planId, diagnosis.cluster(), now, diagnosis, draft.options(), draft.manualActions(), pre);
    }
}
