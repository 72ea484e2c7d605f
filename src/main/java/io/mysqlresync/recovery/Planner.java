package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.NodeStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns findings into recovery options with exact SQL per node. Pure, like the diagnosis. Each
 * finding kind's recipe adds its steps, risks and manual actions; {@link Recipes} says which.
 */
public final class Planner {

    public static final String RESYNC = "resync";
    public static final String SKIP_EVENT = "skip-event";
    public static final String REBUILD = "rebuild";

    private final GrantSource grants;

    /** Without knowing the bot's grants: options stay as the recipes make them. */
    public Planner() {
        this(GrantSource.UNKNOWN);
    }

    /** Offers an option as runnable only when the bot's grants allow every statement of it. */
    public Planner(GrantSource grants) {
        this.grants = grants;
    }

    public RecoveryPlan plan(Diagnosis diagnosis, String planId, Instant now) {
        PlanDraft draft = new PlanDraft();
        for (Finding f : diagnosis.findings()) {
            Recipes.of(f.kind()).addTo(new Situation(f, diagnosis.status(), diagnosis.ledger()), draft);
        }
        List<NodeExpectation> pre = diagnosis.status().nodes().stream()
                .map(n -> draft.pinned(NodeExpectation.of(n), n)).toList();
        List<PlanOption> options = draft.options().stream().map(o -> withinGrants(o, diagnosis.status())).toList();
        return new RecoveryPlan(planId, diagnosis.cluster(), now, diagnosis, options, draft.manualActions(), pre);
    }

    /**
     * An option the bot's grants do not cover becomes instructions for a human, naming the
     * missing grant: run, it would stop replication and then fail half-way (1227).
     */
    private PlanOption withinGrants(PlanOption option, ClusterStatus status) {
        if (!option.executable()) return option;
        List<String> lacking = new ArrayList<>();
        for (NodeStep step : option.steps()) {
            Optional<NodeStatus> node = status.node(step.node()).filter(NodeStatus::reachable);
            if (node.isEmpty()) continue; // not asked: a dead node would hold the plan up for its connect timeout
            Optional<BotGrants> held = grants.grantsOn(status.cluster(), step.node());
            if (held.isEmpty()) continue; // unknown: the executor stops at the first failure and restores
            Flavor flavor = node.get().version().flavor();
            for (StatementPrivileges.Need need : StatementPrivileges.missing(step.statements(), flavor, held.get())) {
                List<String> others = need.anyOf().subList(1, need.anyOf().size());
                lacking.add("The bot's user lacks " + need.first()
                        + (others.isEmpty() ? "" : " (or " + String.join(" or ", others) + ")") + " on " + step.node() + ", needed for `"
                        + need.statement() + "`" + (held.get().roles().isEmpty() ? ""
                        : " (unless a role grants it: " + String.join(", ", held.get().roles()) + ")")
                        + ". Run the statements above by hand as a user that has it, or `GRANT " + need.first()
                        + " ON *.* TO` the bot's user on " + step.node() + " and ask for the plan again.");
            }
        }
        if (lacking.isEmpty()) return option;
        List<String> manual = new ArrayList<>(lacking);
        manual.addAll(option.manualActions());
        return new PlanOption(option.id(), option.title(), false, option.steps(), manual, option.risks(),
                option.estimatedDataLoss());
    }
}
