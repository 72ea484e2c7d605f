package io.mysqlresync.incident;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lag bookkeeping for a watch: samples, trend, ETA from the recent rate of catch-up, and the
 * verdict (in sync, still catching up, stalled, broken again). Pure; the scheduler calls it.
 */
public final class LagProgress {

    /** Enough for a trend and an ETA without the stored watch growing forever. */
    static final int MAX_SAMPLES = 30;
    /** The ETA uses the last few samples: catch-up speed changes as the backlog drains. */
    static final int RATE_WINDOW = 6;

    public enum Trend { FALLING, RISING, FLAT, UNKNOWN }

    public enum Verdict { CATCHING_UP, IN_SYNC, STALLED, BROKEN }

    private final int requiredInSyncChecks;
    private final Duration stalledAfter;

    public LagProgress(int requiredInSyncChecks, Duration stalledAfter) {
        this.requiredInSyncChecks = requiredInSyncChecks;
        this.stalledAfter = stalledAfter;
    }

    public static LagSample sample(Diagnosis d) {
        List<NodeLag> lags = new ArrayList<>();
        for (NodeStatus n : d.status().nodes()) {
            Optional<ReplicaChannel> ch = n.reachable() ? n.replica() : Optional.empty();
            boolean running = ch.map(ReplicaChannel::bothThreadsRunning).orElse(false);
            long lag = ch.filter(c -> c.secondsBehindSource().isPresent())
                    .map(c -> c.secondsBehindSource().getAsLong()).orElse(-1L);
            lags.add(new NodeLag(n.node(), running ? lag : -1, running));
        }
        return new LagSample(d.at(), lags);
    }

    public LagWatch observe(LagWatch w, LagSample s) {
        List<LagSample> samples = new ArrayList<>(w.samples());
        samples.add(s);
        if (samples.size() > MAX_SAMPLES) {
            samples = samples.subList(samples.size() - MAX_SAMPLES, samples.size());
        }
        int streak = s.allInSync() ? w.inSyncStreak() + 1 : 0;
        return new LagWatch(w.cluster(), w.channel(), w.messageTs(), w.threadTs(), w.startedAt(), samples, streak,
                w.alerted(), w.incidentId());
    }

    public Verdict verdict(LagWatch w, Diagnosis latest) {
        if (w.inSyncStreak() >= requiredInSyncChecks) {
            return Verdict.IN_SYNC;
        }
        if (latest.broken()) {
            return Verdict.BROKEN;
        }
        if (stalled(w)) {
            return Verdict.STALLED;
        }
        return Verdict.CATCHING_UP;
    }

    /** No new low of the lag for {@link #stalledAfter} on some node that is still behind. */
    boolean stalled(LagWatch w) {
        if (w.samples().isEmpty()) return false;
        LagSample last = w.samples().get(w.samples().size() - 1);
        for (NodeLag n : last.nodes()) {
            if (n.lagSeconds() <= 0) continue;
            Instant lastNewLow = w.startedAt();
            long min = Long.MAX_VALUE;
            for (LagSample s : w.samples()) {
                long lag = s.node(n.node()).map(NodeLag::lagSeconds).orElse(-1L);
                if (lag >= 0 && lag < min) {
                    min = lag;
                    lastNewLow = s.at();
                }
            }
            if (Duration.between(lastNewLow, last.at()).compareTo(stalledAfter) >= 0) {
                return true;
            }
        }
        return false;
    }

    public Trend trend(LagWatch w, String node) {
        List<Long> recent = recentLags(w, node);
        if (recent.size() < 2) return Trend.UNKNOWN;
        long first = recent.get(0);
        long last = recent.get(recent.size() - 1);
        if (last < first) return Trend.FALLING;
        if (last > first) return Trend.RISING;
        return Trend.FLAT;
    }

    /** Time to zero lag at the recent rate of catch-up; empty when not falling or unknown. */
    public Optional<Duration> eta(LagWatch w, String node) {
        List<LagSample> window = window(w);
        List<double[]> points = new ArrayList<>();
        for (LagSample s : window) {
            s.node(node).filter(n -> n.lagSeconds() >= 0).ifPresent(n ->
                    points.add(new double[]{s.at().toEpochMilli() / 1000.0, n.lagSeconds()}));
        }
        if (points.isEmpty()) return Optional.empty();
        double lastLag = points.get(points.size() - 1)[1];
        if (lastLag == 0) return Optional.of(Duration.ZERO);
        if (points.size() < 2) return Optional.empty();
        // least-squares slope: lag seconds per wall-clock second (negative while catching up)
        double mx = 0, my = 0;
        for (double[] p : points) { mx += p[0]; my += p[1]; }
        mx /= points.size();
        my /= points.size();
        double num = 0, den = 0;
        for (double[] p : points) {
            num += (p[0] - mx) * (p[1] - my);
            den += (p[0] - mx) * (p[0] - mx);
        }
        if (den == 0) return Optional.empty();
        double slope = num / den;
        if (slope >= 0) return Optional.empty();
        return Optional.of(Duration.ofSeconds((long) Math.ceil(lastLag / -slope)));
    }

    private List<Long> recentLags(LagWatch w, String node) {
        List<Long> out = new ArrayList<>();
        for (LagSample s : window(w)) {
            s.node(node).filter(n -> n.lagSeconds() >= 0).ifPresent(n -> out.add(n.lagSeconds()));
        }
        return out;
    }

    private static List<LagSample> window(LagWatch w) {
        List<LagSample> all = w.samples();
        return all.subList(Math.max(0, all.size() - RATE_WINDOW), all.size());
    }
}
