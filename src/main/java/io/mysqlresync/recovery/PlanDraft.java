package io.mysqlresync.recovery;

import java.util.ArrayList;
import java.util.List;

/**
 * The plan while recipes add to it, one finding at a time, then its options. Steps that are safe
 * for every finding go into every executable option; skipping a conflicting event is offered as
 * a separate option, and rebuilding a diverged node as a third, for a human to choose.
 */
final class PlanDraft {

    private final List<NodeStep> safeSteps = new ArrayList<>();
    private final List<String> safeRisks = new ArrayList<>();
    private final List<String> safeLoss = new ArrayList<>();
    private final List<NodeStep> skipSteps = new ArrayList<>();
    private final List<String> skipRisks = new ArrayList<>();
    private final List<String> rebuildActions = new ArrayList<>();
    private final List<String> manual = new ArrayList<>();

    /** A step safe to run whichever option is chosen. */
    void safeStep(NodeStep step) {
        safeSteps.add(step);
    }

    void safeRisk(String risk) {
        safeRisks.add(risk);
    }

    void safeLoss(String loss) {
        safeLoss.add(loss);
    }

    /** A step that skips a conflicting event: only in the skip option. */
    void skipStep(NodeStep step) {
        skipSteps.add(step);
    }

    /** A warning for the skip option; a manual action when no skip step could be planned. */
    void skipRisk(String risk) {
        skipRisks.add(risk);
    }

    /** A manual action of the rebuild option. */
    void rebuild(String action) {
        rebuildActions.add(action);
    }

    /** What a human has to do that no option can. */
    void manual(String action) {
        manual.add(action);
    }

    List<PlanOption> options() {
        List<PlanOption> options = new ArrayList<>();
        if (!safeSteps.isEmpty()) {
            options.add(new PlanOption(Planner.RESYNC, skipSteps.isEmpty() && rebuildActions.isEmpty()
                    ? "Resync the pair" : "Fix what is safe, leave the conflict for later",
                    true, safeSteps, List.of(), safeRisks, safeLoss));
        }
        if (!skipSteps.isEmpty()) {
            List<NodeStep> steps = new ArrayList<>(safeSteps);
            steps.addAll(skipSteps);
            List<String> risks = new ArrayList<>(skipRisks);
            risks.addAll(safeRisks);
            List<String> loss = new ArrayList<>(safeLoss);
            loss.add("The skipped event(s): the rows they touch differ between the nodes until repaired.");
            options.add(new PlanOption(Planner.SKIP_EVENT, "Skip the conflicting event", true, steps, List.of(), risks, loss));
        }
        if (!rebuildActions.isEmpty()) {
            options.add(new PlanOption(Planner.REBUILD, "Rebuild the diverged node", false, List.of(), rebuildActions,
                    List.of("The node is out of service while it is rebuilt."), List.of("None, if the copy is consistent.")));
        }
        return options;
    }

    List<String> manualActions() {
        List<String> actions = new ArrayList<>(manual);
        if (skipSteps.isEmpty()) {
            actions.addAll(skipRisks);
        }
        return actions;
    }
}
