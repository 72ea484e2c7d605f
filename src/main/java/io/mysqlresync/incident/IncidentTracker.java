package io.mysqlresync.incident;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.Severity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Decides, poll after poll, whether a cluster's state is a new incident, a change to the open
 * one, or the open one clearing by itself, so that a problem produces one alert, not one per poll.
 */
public final class IncidentTracker {

    public enum Action { NONE, OPEN, UPDATE, CLEAR }

    public record Decision(Action action, Incident incident) {
    }

    /**
     * What the incident is about: the problem kinds per node, plus nodes seen restarting since the
     * last poll. Lag counts too: lag above the threshold is a problem for readers of that node.
     */
    public static String problemKey(Diagnosis d, List<String> restartedNodes) {
        TreeSet<String> parts = new TreeSet<>();
        for (Finding f : d.findings()) {
            if (f.severity().compareTo(Severity.WARNING) >= 0) {
                parts.add(f.node() + ":" + f.kind().name());
            }
        }
        for (String n : restartedNodes) {
            parts.add(n + ":RESTARTED");
        }
        return String.join(",", parts);
    }

    public Decision decide(Optional<Incident> open, Diagnosis d, List<String> restartedNodes, Instant now,
                           Supplier<String> newId) {
        String key = problemKey(d, restartedNodes);
        String headline = restartedNodes.isEmpty() ? d.headline()
                : d.headline() + " (restarted: " + String.join(", ", restartedNodes) + ")";
        if (open.isEmpty()) {
            if (key.isEmpty()) {
                return new Decision(Action.NONE, null);
            }
            return new Decision(Action.OPEN, new Incident(newId.get(), d.cluster(), IncidentState.OPEN, key,
                    headline, now, now, "", ""));
        }
        Incident inc = open.get();
        if (inc.state() == IncidentState.CATCHING_UP) {
            // The lag watch owns an incident under recovery; it alerts if replication breaks again.
            return new Decision(Action.NONE, inc);
        }
        if (key.isEmpty()) {
            return new Decision(Action.CLEAR, inc.with(IncidentState.CLEARED, inc.problemKey(), d.headline(), now));
        }
        if (!key.equals(inc.problemKey()) && !onlyRestartMarkersGone(inc.problemKey(), key)) {
            return new Decision(Action.UPDATE, inc.with(IncidentState.OPEN, key, headline, now));
        }
        return new Decision(Action.NONE, inc);
    }

    /** A restart marker lasts one poll; its disappearance alone is not news. */
    private static boolean onlyRestartMarkersGone(String before, String now) {
        TreeSet<String> b = new TreeSet<>(List.of(before.split(",")));
        b.removeIf(s -> s.endsWith(":RESTARTED"));
        return String.join(",", b).equals(now);
    }
}
