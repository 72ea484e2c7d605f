package io.mysqlresync.recovery;

import java.util.List;

/**
 * One way to recover. Most incidents have exactly one executable option; findings that need
 * human judgement (1062, 1032) get several, each with its warnings, and none is chosen silently.
 *
 * @param executable    the bot may run {@link #steps()} once approved; otherwise the option is
 *                      instructions for a human
 * @param manualActions what a human has to do, in order (for non-executable options, or besides the steps)
 */
public record PlanOption(String id, String title, boolean executable, List<NodeStep> steps,
                         List<String> manualActions, List<String> risks, List<String> estimatedDataLoss) {
    public PlanOption {
        steps = List.copyOf(steps);
        manualActions = List.copyOf(manualActions);
        risks = List.copyOf(risks);
        estimatedDataLoss = List.copyOf(estimatedDataLoss);
    }
}
