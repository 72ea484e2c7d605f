package io.mysqlresync.bench;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ProgressView;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bot's notifier (the real SlackNotifier, or nothing), with the moment the monitor decided
 * to alert: {@link System#nanoTime()} when {@link #incidentOpened} was called, before posting.
 */
final class TimedNotifier implements Notifier {

    record Opened(long atNanos, Incident incident) {
    }

    private final Notifier delegate;
    private final List<Opened> opened = new CopyOnWriteArrayList<>();

    TimedNotifier(Notifier delegate) {
        this.delegate = delegate;
    }

    /** Alerts only counted, nothing posted. */
    static TimedNotifier silent() {
        return new TimedNotifier(null);
    }

    List<Opened> opened() {
        return List.copyOf(opened);
    }

    @Override
    public MessageRef incidentOpened(Incident incident, Diagnosis diagnosis) {
        opened.add(new Opened(System.nanoTime(), incident));
        return delegate == null ? new MessageRef("C0BENCH", "1700000000." + opened.size())
                : delegate.incidentOpened(incident, diagnosis);
    }

    @Override
    public void incidentChanged(Incident incident, Diagnosis diagnosis) {
        if (delegate != null) delegate.incidentChanged(incident, diagnosis);
    }

    @Override
    public void incidentCleared(Incident incident, Diagnosis diagnosis) {
        if (delegate != null) delegate.incidentCleared(incident, diagnosis);
    }

    @Override
    public MessageRef progressStarted(LagWatch watch, ProgressView view) {
        return delegate == null ? new MessageRef("C0BENCH", "1700000001.0") : delegate.progressStarted(watch, view);
    }

    @Override
    public void progressUpdated(LagWatch watch, ProgressView view) {
        if (delegate != null) delegate.progressUpdated(watch, view);
    }

    @Override
    public void progressMilestone(LagWatch watch, String text) {
        if (delegate != null) delegate.progressMilestone(watch, text);
    }
}
