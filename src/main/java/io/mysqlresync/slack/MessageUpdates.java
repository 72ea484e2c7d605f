package io.mysqlresync.slack;

import java.util.concurrent.Executor;

/**
 * Updates one Slack message in place with the latest content only. A plan run reports each
 * statement as it completes; rather than one chat.update per statement (rate limits, and a slow
 * Slack holding up the SQL), the newest content replaces any update still waiting, and one
 * update at a time is in flight. The last content submitted is always the last one sent.
 */
final class MessageUpdates {

    /** Sends one update: directly, or through the outbox. */
    @FunctionalInterface
    interface Updater {
        void update(String channel, String ts, SlackMessage m, String what);
    }

    private final Updater slack;
    private final Executor executor;
    private final String channel;
    private final String ts;
    private final String what;
    private SlackMessage pending;
    private boolean draining;

    MessageUpdates(Updater slack, Executor executor, String channel, String ts, String what) {
        this.slack = slack;
        this.executor = executor;
        this.channel = channel;
        this.ts = ts;
        this.what = what;
    }

    void submit(SlackMessage m) {
        synchronized (this) {
            pending = m;
            if (draining) return;
            draining = true;
        }
        try {
            executor.execute(this::drain);
        } catch (RuntimeException rejected) {
            // Shutting down: send inline rather than lose the final state.
            drain();
        }
    }

    private void drain() {
        while (true) {
            SlackMessage next;
            synchronized (this) {
                next = pending;
                pending = null;
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            slack.update(channel, ts, next, what);
        }
    }
}
