package io.mysqlresync.incident;

import io.mysqlresync.replication.ThreadState;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What a lag progress message shows: per node lag, trend, ETA and thread states, plus the verdict. */
public record ProgressView(String cluster, List<NodeProgress> nodes, LagProgress.Verdict verdict, int inSyncStreak,
                           int requiredInSyncChecks) {

    public ProgressView {
        nodes = List.copyOf(nodes);
    }

    /** @param lagSeconds -1 when unknown */
    public record NodeProgress(String node, long lagSeconds, LagProgress.Trend trend, Optional<Duration> eta,
                               ThreadState ioThread, ThreadState sqlThread, String problem) {
    }

    public static ProgressView of(LagProgress progress, LagWatch w, io.mysqlresync.diagnosis.Diagnosis latest,
                                  int requiredInSyncChecks) {
        List<NodeProgress> rows = latest.status().nodes().stream().map(n -> {
            var ch = n.reachable() ? n.replica() : Optional.<io.mysqlresync.replication.ReplicaChannel>empty();
            long lag = ch.filter(c -> c.secondsBehindSource().isPresent())
                    .map(c -> c.secondsBehindSource().getAsLong()).orElse(-1L);
            String problem = latest.on(n.node()).stream()
                    .filter(f -> f.severity().compareTo(io.mysqlresync.diagnosis.Severity.WARNING) >= 0
                            && f.kind() != io.mysqlresync.diagnosis.FindingKind.LAGGING)
                    .map(io.mysqlresync.diagnosis.Finding::summary).findFirst().orElse("");
            return new NodeProgress(n.node(), lag, progress.trend(w, n.node()), progress.eta(w, n.node()),
                    ch.map(io.mysqlresync.replication.ReplicaChannel::ioThread).orElse(ThreadState.STOPPED),
                    ch.map(io.mysqlresync.replication.ReplicaChannel::sqlThread).orElse(ThreadState.STOPPED),
                    problem);
        }).toList();
        return new ProgressView(w.cluster(), rows, progress.verdict(w, latest), w.inSyncStreak(), requiredInSyncChecks);
    }
}
