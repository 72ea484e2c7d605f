package io.mysqlresync.recovery;

import io.mysqlresync.replication.NodeStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private final Set<String> slavePosPins = new LinkedHashSet<>();
    private final Map<String, Long> domainPins = new LinkedHashMap<>();

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

    /** The plan sets {@code node}'s gtid_slave_pos from what it is now: approval re-reads and compares it. */
    void pinGtidSlavePos(String node) {
        slavePosPins.add(node);
    }

    /** The plan was computed from {@code node}'s own GTID in {@code domain}: approval re-reads and compares it. */
    void pinGtidInDomain(String node, long domain) {
        domainPins.put(node, domain);
    }

    /** {@code e} with the GTID pins a recipe asked for on its node. */
    NodeExpectation pinned(NodeExpectation e, NodeStatus now) {
        NodeExpectation out = e;
        if (now.reachable() && slavePosPins.contains(e.node())) out = out.withGtidSlavePos(now);
        if (now.reachable() && domainPins.containsKey(e.node())) out = out.withGtidInDomain(now, domainPins.get(e.node()));
        return out;
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
