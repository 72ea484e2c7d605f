package io.mysqlresync.schedule;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.incident.ShardPoll;

import java.time.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Slack is an edge: the scheduler is tested against what it asked the notifier to say, in order,
 * with the moment it asked. SlackNotifier is tested against a fake Slack on its own.
 */
class RecordingNotifier implements Notifier {

    enum Kind { OPENED, CHANGED, CLEARED, PROGRESS_STARTED, PROGRESS_UPDATED, MILESTONE, SHARDS_LATE, SHARDS_BACK,
        SETTINGS_CHANGED, REPAIR_NEEDED }

    /**
     * @param atNanos System.nanoTime() when the call arrived, to time alerts against a fault
     * @param replica which scheduler made the call, when several share this notifier
     */
    record Call(Kind kind, long atNanos, String replica, Incident incident, Diagnosis diagnosis, LagWatch watch,
                ProgressView view, String text) {
        @Override
        public String toString() {
            return kind + (incident != null ? " " + incident.id() + " " + incident.state() + " [" + incident.problemKey()
                    + "]" : "") + (view != null ? " " + lags(view) + " " + view.verdict() : "")
                    + (text != null ? " \"" + text + "\"" : "") + (replica.isEmpty() ? "" : " by " + replica);
        }

        private static String lags(ProgressView v) {
            return v.nodes().stream().map(n -> n.node() + "=" + n.lagSeconds()).toList().toString();
        }
    }

    private final List<Call> calls = new ArrayList<>();
    /** Late and polled-again shard notices: apart, so tests of incidents and watches never see them. */
    private final List<Call> shardCalls = new ArrayList<>();
    private final AtomicInteger ts = new AtomicInteger();
    private final String replica;
    private final RecordingNotifier shared;
    /** Calls of these kinds throw, as a Slack outage would, while the predicate holds. */
    private volatile Predicate<Kind> failing = k -> false;

    RecordingNotifier() {
        this("", null);
    }

    private RecordingNotifier(String replica, RecordingNotifier shared) {
        this.replica = replica;
        this.shared = shared;
    }

    /** A notifier for one replica that records into this one, tagged with the replica's name. */
    RecordingNotifier forReplica(String name) {
        return new RecordingNotifier(name, this);
    }

    void failWhile(Predicate<Kind> kinds) {
        failing = kinds;
    }

    private MessageRef record(Kind kind, Incident incident, Diagnosis d, LagWatch watch, ProgressView view, String text) {
        if (shared != null) {
            return shared.record(kind, incident, d, watch, view, text, replica);
        }
        return record(kind, incident, d, watch, view, text, replica);
    }

    private MessageRef record(Kind kind, Incident incident, Diagnosis d, LagWatch watch, ProgressView view, String text,
                              String by) {
        if (failing.test(kind)) {
            throw new IllegalStateException("Slack is down (test): " + kind);
        }
        List<Call> into = kind == Kind.SHARDS_LATE || kind == Kind.SHARDS_BACK ? shardCalls : calls;
        synchronized (calls) {
            into.add(new Call(kind, System.nanoTime(), by, incident, d, watch, view, text));
        }
        return new MessageRef("C-TEST", "1700000000." + String.format("%06d", ts.incrementAndGet()));
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    List<Call> calls(Kind kind) {
        if (kind == Kind.SHARDS_LATE || kind == Kind.SHARDS_BACK) {
            synchronized (calls) {
                return shardCalls.stream().filter(c -> c.kind() == kind).toList();
            }
        }
        return calls().stream().filter(c -> c.kind() == kind).toList();
    }

    int count(Kind kind) {
        return calls(kind).size();
    }

    void clear() {
        synchronized (calls) {
            calls.clear();
            shardCalls.clear();
        }
    }

    @Override
    public MessageRef incidentOpened(Incident incident, Diagnosis diagnosis) {
        return record(Kind.OPENED, incident, diagnosis, null, null, null);
    }

    @Override
    public void incidentChanged(Incident incident, Diagnosis diagnosis) {
        record(Kind.CHANGED, incident, diagnosis, null, null, null);
    }

    @Override
    public void incidentCleared(Incident incident, Diagnosis diagnosis) {
        record(Kind.CLEARED, incident, diagnosis, null, null, null);
    }

    @Override
    public MessageRef progressStarted(LagWatch watch, ProgressView view) {
        return record(Kind.PROGRESS_STARTED, null, null, watch, view, null);
    }

    @Override
    public void progressUpdated(LagWatch watch, ProgressView view) {
        record(Kind.PROGRESS_UPDATED, null, null, watch, view, null);
    }

    @Override
    public void progressMilestone(LagWatch watch, String text) {
        record(Kind.MILESTONE, null, null, watch, null, text);
    }

    /** The text is the verification's id and who the repair is asked by: "v-1 bot". */
    @Override
    public void repairNeeded(LagWatch watch, String verificationId, String requestedBy) {
        record(Kind.REPAIR_NEEDED, null, null, watch, null, verificationId + " " + requestedBy);
    }

    /** The text names the shards, numbered from 0: "0,3". */
    @Override
    public void shardsLate(List<ShardPoll> late, int shards, Duration limit) {
        record(Kind.SHARDS_LATE, null, null, null, null, shardList(late));
    }

    @Override
    public void shardsPolledAgain(List<ShardPoll> back, int shards) {
        record(Kind.SHARDS_BACK, null, null, null, null, shardList(back));
    }

    private static String shardList(List<ShardPoll> polls) {
        return String.join(",", polls.stream().map(p -> Integer.toString(p.shard())).toList());
    }

    /** The scheduled audit's changes, recorded as "node item current" per new problem and "fixed: ..." per fixed one. */
    @Override
    public boolean settingsChanged(AuditReport report, AuditReport.Changes changes) {
        List<String> said = new ArrayList<>();
        changes.appeared().forEach(f -> said.add(f.node() + " " + f.item() + " " + f.current()));
        changes.fixed().forEach(f -> said.add("fixed: " + f.node() + " " + f.item()));
        record(Kind.SETTINGS_CHANGED, null, null, null, null, String.join("; ", said));
        return true;
    }
}
