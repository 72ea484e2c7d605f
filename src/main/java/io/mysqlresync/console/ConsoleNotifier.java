package io.mysqlresync.console;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.incident.Incident;
import io.mysqlresync.incident.Interruption;
import io.mysqlresync.incident.StateOutage;
import io.mysqlresync.incident.LagWatch;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ProgressView;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.incident.ShardPoll;
import io.mysqlresync.incident.Durations;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Alerts and lag progress printed in the terminal, for terminal mode and the demo. */
public final class ConsoleNotifier implements Notifier {

    private final PrintStream out;
    private final AtomicLong messages = new AtomicLong();

    public ConsoleNotifier(PrintStream out) {
        this.out = out;
    }

    private MessageRef print(String text) {
        synchronized (out) {
            out.println();
            out.print(text);
            out.flush();
        }
        return new MessageRef("console", Long.toString(messages.incrementAndGet()));
    }

    @Override
    public void shardsLate(List<ShardPoll> late, int shards, Duration limit) {
        print("*** MONITORING GAP *** not polled for more than " + Durations.words(limit) + ": "
                + String.join(", ", late.stream().map(p -> p.label(shards)).toList())
                + "; their clusters are not being checked.\n");
    }

    @Override
    public void shardsPolledAgain(List<ShardPoll> back, int shards) {
        print("*** monitoring resumed *** " + String.join(", ", back.stream()
                .map(p -> p.label(shards) + " by " + p.instance()).toList()) + "\n");
    }

    @Override
    public MessageRef incidentOpened(Incident incident, Diagnosis diagnosis) {
        return print("*** ALERT " + incident.id() + " *** " + incident.headline() + "\n"
                + TextRenderer.whatIsBroken(diagnosis)
                + "Type 'plan " + incident.cluster() + "' to see the recovery plan.\n\n"
                + TextRenderer.evidence(diagnosis));
    }

    @Override
    public void incidentChanged(Incident incident, Diagnosis diagnosis) {
        print("*** ALERT " + incident.id() + " changed *** " + incident.headline() + "\n"
                + TextRenderer.nodeTable(diagnosis));
    }

    @Override
    public void incidentCleared(Incident incident, Diagnosis diagnosis) {
        print("*** " + incident.id() + " cleared by itself *** " + diagnosis.headline() + "\n");
    }

    @Override
    public MessageRef planInterrupted(Interruption i) {
        ProposedPlan p = i.plan();
        return print("*** PLAN " + p.id() + " INTERRUPTED *** the bot running it stopped before the end; nothing runs "
                + "again by itself.\nWhat ran:\n" + (i.ran().isEmpty() ? "  (nothing)\n"
                : String.join("", i.ran().stream().map(r -> "  " + r + "\n").toList()))
                + (i.fresh() == null ? "Type 'plan " + p.cluster() + "' for a fresh plan.\n"
                : "Fresh plan " + i.fresh().id() + ": type 'plan " + p.cluster() + "' to see it.\n"));
    }

    @Override
    public MessageRef stateOutage(MessageRef message, StateOutage outage) {
        MessageRef printed = print("*** STATE DATABASE *** " + outage.text() + "\n");
        return message.ts().isEmpty() ? printed : message;
    }

    @Override
    public MessageRef progressStarted(LagWatch watch, ProgressView view) {
        return print(TextRenderer.progress(view, watch));
    }

    @Override
    public void progressUpdated(LagWatch watch, ProgressView view) {
        print(TextRenderer.progress(view, watch));
    }

    @Override
    public void planExpired(ProposedPlan plan) {
        print("Plan " + plan.id() + " for " + plan.cluster() + " expired unapproved; 'plan " + plan.cluster()
                + "' makes a fresh one.\n");
    }

    @Override
    public void progressMilestone(LagWatch watch, String text) {
        print(">> " + watch.cluster() + ": " + text + "\n");
    }
}
