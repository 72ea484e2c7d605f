package io.mysqlresync.slack;

import io.mysqlresync.incident.BotMetrics;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.DataVerifier;
import io.mysqlresync.verify.RowDifference;
import io.mysqlresync.verify.TableResult;
import io.mysqlresync.verify.VerificationLog;
import io.mysqlresync.verify.VerificationResult;
import io.mysqlresync.verify.VerifyProgress;
import io.mysqlresync.verify.VerifyRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * {@code /mysql-resync verify <cluster> [schema[.table] ...]}: one message in the channel, posted
 * at the start and edited in place as tables are done (tables, rows, ETA), then replaced by the
 * verdict with the differing rows and both nodes' values. Verifications run one at a time on
 * their own thread, never on the command workers, so a long one does not hold other commands up.
 * Table names are only matched against the catalog by the verifier, never put into SQL.
 */
final class VerifyConversation implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VerifyConversation.class);

    /** Edits of the progress message: far below chat.update's limit of about one a second per message. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);
    /** Rows shown in the message; the state database keeps them all (`history`, the CLI's --json). */
    static final int ROWS_SHOWN = 20;

    private final DataVerifier verifier;
    private final VerificationLog verifications;
    private final SlackGateway slack;
    private final Duration progressEvery;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "slack-verify");
        t.setDaemon(true);
        return t;
    });
    private final CancelToken cancel = new CancelToken();
    private final java.util.function.Supplier<BotMetrics> metrics;

    /** An identical result closes the cluster's drift incident (see IncidentLifecycle.closeDriftIfIdentical). */
    private volatile java.util.function.BiFunction<VerificationResult, String,
            java.util.Optional<io.mysqlresync.incident.Incident>> closesDrift = (r, u) -> java.util.Optional.empty();

    void closesDrift(java.util.function.BiFunction<VerificationResult, String,
            java.util.Optional<io.mysqlresync.incident.Incident>> hook) {
        this.closesDrift = hook;
    }

    VerifyConversation(DataVerifier verifier, VerificationLog verifications, SlackGateway slack, Duration progressEvery,
                       java.util.function.Supplier<BotMetrics> metrics) {
        this.metrics = metrics;
        this.verifier = verifier;
        this.verifications = verifications;
        this.slack = slack;
        this.progressEvery = progressEvery;
    }

    /**
     * Posts the progress message and queues the verification. {@code fail} gets a message for the
     * user alone (the bot cannot post in the channel, an unknown table).
     */
    void start(String cluster, List<String> tables, String user, String channel, Consumer<String> fail) {
        Optional<String> ts = slack.post(channel, "", progress(cluster, tables, null), "verify progress of " + cluster);
        if (ts.isEmpty()) {
            fail.accept(":x: I could not post in this channel. Invite me here (`/invite`) or use a channel I am in.");
            return;
        }
        try {
            runner.execute(() -> run(cluster, tables, user, channel, ts.get(), fail));
        } catch (RejectedExecutionException e) {
            slack.update(channel, ts.get(), text(":x: The bot is stopping: " + cluster + " was not verified."),
                    "verify of " + cluster);
        }
    }

    private void run(String cluster, List<String> tables, String user, String channel, String ts, Consumer<String> fail) {
        long[] last = {System.nanoTime()};
        VerificationResult result;
        try {
            result = verifier.verify(cluster, VerifyRequest.of(tables), p -> {
                long now = System.nanoTime();
                if (now - last[0] >= progressEvery.toNanos() && p.tablesDone() < p.tablesTotal()) {
                    last[0] = now;
                    slack.update(channel, ts, progress(cluster, tables, p), "verify progress of " + cluster);
                }
            }, cancel);
        } catch (IllegalArgumentException e) {
            // An unknown schema or table: the verifier names what exists.
            slack.update(channel, ts, text(":x: Nothing verified on " + BlockKit.escape(cluster) + ": "
                    + BlockKit.escape(e.getMessage())), "verify of " + cluster);
            fail.accept(":x: " + BlockKit.escape(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            log.warn("verify of {} for {} failed: {}", cluster, user, e.toString(), e);
            slack.update(channel, ts, text(":x: The verification of " + BlockKit.escape(cluster) + " failed, so the data"
                    + " was NOT verified: " + BlockKit.escape(String.valueOf(e.getMessage()))), "verify of " + cluster);
            return;
        }
        try {
            metrics.get().verified(cluster, result.verdict() == io.mysqlresync.verify.TableVerdict.IDENTICAL,
                    result.differences().size());
        } catch (RuntimeException e) {
            log.warn("verify of {}: metrics: {}", cluster, e.toString());
        }
        String id = VerificationLog.newId();
        String stored = "";
        try {
            verifications.record(id, user, result);
        } catch (RuntimeException e) {
            log.warn("verify of {}: not stored: {}", cluster, e.toString());
            stored = "Not stored in the state database: " + e.getMessage();
        }
        slack.update(channel, ts, result(result, user, id, stored), "verify result of " + cluster);
        try {
            VerificationResult r = result;
            closesDrift.apply(result, user).ifPresent(i -> slack.reply(channel, ts, ":white_check_mark: "
                    + BlockKit.escape(cluster) + " is back in sync with identical data: " + BlockKit.escape(r.headline())
                    + "; drift incident " + i.id() + " closed.", "drift closed on " + cluster));
        } catch (RuntimeException e) {
            log.warn("verify of {}: the drift incident was not closed: {}", cluster, e.toString(), e);
        }
    }

    static SlackMessage progress(String cluster, List<String> tables, VerifyProgress p) {
        String what = tables.isEmpty() ? "every replicated table" : String.join(", ", tables);
        BlockList b = new BlockList("");
        b.header(":mag: Verifying " + cluster);
        b.section(p == null ? "Comparing " + BlockKit.escape(what) + " on both nodes…"
                : bar(p) + " " + BlockKit.escape(p.line()));
        return new SlackMessage(BlockKit.truncate("Verifying " + cluster + (p == null ? "" : ": " + p.line()),
                BlockKit.MAX_FALLBACK_TEXT), b.build());
    }

    /** "▓▓▓▓▓░░░░░" by rows (or tables while the row count is unknown). */
    static String bar(VerifyProgress p) {
        double done = p.rowsEstimated() > 0 ? Math.min(1.0, (double) p.rowsDone() / p.rowsEstimated())
                : p.tablesTotal() == 0 ? 0 : (double) p.tablesDone() / p.tablesTotal();
        int filled = (int) Math.round(done * 10);
        return "`" + "▓".repeat(filled) + "░".repeat(10 - filled) + "`";
    }

    static SlackMessage result(VerificationResult r, String user, String id, String storedNote) {
        BlockList b = new BlockList("… more in `" + SlashCommand.COMMAND + " history " + r.cluster() + "`");
        String icon = switch (r.verdict()) {
            case IDENTICAL -> ":white_check_mark:";
            case DIFFERS -> ":warning:";
            case INCONCLUSIVE -> ":grey_question:";
        };
        String head = switch (r.verdict()) {
            case IDENTICAL -> r.cluster() + ": identical";
            case DIFFERS -> r.cluster() + ": rows differ";
            case INCONCLUSIVE -> r.cluster() + ": NOT verified";
        };
        b.header(icon + " " + head);
        b.section(BlockKit.escape(r.headline()) + String.format(" in %.1f s.", r.took().toMillis() / 1000.0));
        List<String> lines = new ArrayList<>();
        for (TableResult t : r.tables()) {
            lines.add(t.summary());
            t.notes().forEach(n -> lines.add("    note: " + n));
        }
        b.code("", lines);
        List<RowDifference> diffs = r.differences();
        if (!diffs.isEmpty()) {
            List<String> rows = new ArrayList<>();
            diffs.stream().limit(ROWS_SHOWN).forEach(d -> rows.add(d.describe()));
            if (diffs.size() > ROWS_SHOWN) {
                rows.add("… and " + (diffs.size() - ROWS_SHOWN) + " more (stored with verification " + id + ")");
            }
            b.code("*Rows that differ* (" + diffs.size() + "):", rows);
        }
        r.notes().forEach(n -> b.context("note: " + BlockKit.escape(n)));
        b.context("Verification `" + id + "` requested by " + BlockKit.who(user)
                + (storedNote.isEmpty() ? "" : " · " + BlockKit.escape(storedNote)));
        return new SlackMessage(BlockKit.truncate(icon + " " + r.cluster() + ": " + r.headline(), BlockKit.MAX_FALLBACK_TEXT),
                b.build());
    }

    private static SlackMessage text(String mrkdwn) {
        BlockList b = new BlockList("");
        b.section(mrkdwn);
        return new SlackMessage(BlockKit.truncate(mrkdwn, BlockKit.MAX_FALLBACK_TEXT), b.build());
    }

    /** Cancels a running verification (its statements on the nodes too) and stops taking new ones. */
    @Override
    public void close() {
        cancel.cancel();
        runner.shutdownNow();
    }
}
