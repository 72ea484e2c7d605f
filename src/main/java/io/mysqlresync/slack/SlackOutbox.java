package io.mysqlresync.slack;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.util.json.GsonFactory;
import io.mysqlresync.incident.Outbox;
import io.mysqlresync.incident.OutboxMessage;
import io.mysqlresync.incident.OutboxMessage.Kind;
import io.mysqlresync.incident.OutboxMessage.State;
import io.mysqlresync.util.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the monitor and the lag watch say in Slack goes through here: written to the outbox in the
 * state database first, then delivered in the order it was written, by this replica or another.
 * While Slack is unreachable (5xx, timeouts, rate limits longer than a caller can wait) messages
 * wait with backoff and jitter, and arrive late, in order, each once, when Slack is back, even
 * if the bot restarted meanwhile. A message that arrives more than a minute late says so.
 *
 * <p>Keyed messages (an incident's alert, a lag watch's progress) are posted once; newer content
 * for one not yet delivered replaces the old, so a Slack outage ends with one up-to-date alert,
 * not a burst of stale versions. When the state database itself is unreachable, messages go to
 * Slack directly, as they would without an outbox.
 */
final class SlackOutbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SlackOutbox.class);

    /** Later than this, a post or reply says when it was written. */
    static final Duration LATE = Duration.ofMinutes(1);
    /** A claim older than this belongs to a sender that died mid-send: someone else sends it. */
    static final Duration CLAIM_TIMEOUT = SlackBot.CALL_TIMEOUT.multipliedBy(3); // a send ends within its call timeout
    /** Short enough that messages follow within seconds of Slack coming back, long enough to spare it meanwhile. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    /** A caller waits this long for another thread's delivery before leaving its message queued. */
    private static final Duration CALLER_WAIT = Duration.ofSeconds(5);
    private static final Duration KEEP_DELIVERED = Duration.ofDays(7);

    private static final Gson GSON = GsonFactory.createSnakeCase();
    private static final Type BLOCKS = new TypeToken<List<LayoutBlock>>() { }.getType();

    private volatile Outbox outbox;
    private final SlackGateway slack;
    private final String owner;
    private final Clock clock;
    private final ReentrantLock delivering = new ReentrantLock();
    private final AtomicInteger depth = new AtomicInteger();
    private final AtomicReference<Instant> oldest = new AtomicReference<>();
    private volatile Instant unreachableSince;
    private volatile boolean stateDatabaseDown;
    private volatile ScheduledExecutorService ticker;
    private Instant lastPrune = Instant.EPOCH;

    /** @param outbox null: no state database to keep messages in (yet); they go to Slack directly */
    SlackOutbox(Outbox outbox, SlackGateway slack, String owner, Clock clock) {
        this.outbox = outbox;
        this.slack = slack;
        this.owner = owner;
        this.clock = clock;
    }

    /** Told when a keyed post reaches Slack later than its caller waited: key, channel, ts. */
    @FunctionalInterface
    interface Posted {
        void posted(String key, String channel, String ts);
    }

    private volatile Posted posted = (k, c, t) -> { };

    void onPosted(Posted listener) {
        this.posted = listener;
    }

    void use(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Delivers whatever is due every {@code every} in the background (messages of a replica that died, backoffs). */
    synchronized void start(Duration every) {
        if (ticker != null) return;
        ticker = Executors.newSingleThreadScheduledExecutor(Threads.named("slack-outbox", true));
        ticker.scheduleWithFixedDelay(this::tick, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Slack answers again (its Socket Mode link opened): what waits out a backoff is tried now,
     * not up to 15 s later. In the background: the caller may be a socket's own thread.
     */
    synchronized void slackIsBack() {
        Outbox outbox = this.outbox;
        if (outbox == null || ticker == null) return;
        ticker.execute(() -> {
            try {
                outbox.retryNow(clock.instant());
            } catch (RuntimeException e) {
                return; // the state database is away: the tick that follows finds out
            }
            tick();
        });
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    /** True when what is not delivered now is kept for later (an outbox, and its database up). */
    boolean keepsMessages() {
        return outbox != null && !stateDatabaseDown;
    }

    /** Messages waiting for Slack, as of the last look (a gauge). */
    int depth() {
        return depth.get();
    }

    /** When the oldest waiting message was written, or null. */
    Instant oldestQueued() {
        return oldest.get();
    }

    // ---- what the bot says ---------------------------------------------------------------

    /** Posts a message; its ts when Slack has it now, empty when it waits in the outbox. */
    Optional<String> post(String key, String channel, String threadKey, String threadTs, SlackMessage m, String what) {
        Outbox outbox = usable();
        if (outbox == null) {
            return slack.post(channel, threadTs, m, what);
        }
        try {
            if (!key.isEmpty()) {
                Optional<String> posted = outbox.postedTs(key);
                if (posted.isPresent()) {
                    // Posted already (by an earlier try, or another replica): bring it up to date instead.
                    update(key, channel, posted.get(), m, what);
                    return posted;
                }
            }
            long id = outbox.add(OutboxMessage.of(Kind.POST, key, channel, threadKey, threadTs, "", encode(m), what,
                    clock.instant()));
            stateDatabaseBack();
            deliverNow();
            return awaitDelivered(outbox, id);
        } catch (RuntimeException outboxDown) {
            stateDatabaseDown(outboxDown);
            return slack.post(channel, threadTs, m, what);
        }
    }

    /**
     * The ts of message {@code id} once delivered. Messages ahead of it (this replica's or
     * another's) go first, so while Slack answers the caller waits a little for its turn: an
     * alert's ts is kept with its incident, and the recovery's messages go in its thread. Not
     * while Slack is backing off: then the message is left to the outbox.
     */
    private Optional<String> awaitDelivered(Outbox outbox, long id) {
        long until = System.nanoTime() + CALLER_WAIT.toNanos();
        while (true) {
            Optional<OutboxMessage> m = outbox.find(id);
            if (m.isEmpty() || m.get().state() == State.FAILED) {
                return Optional.empty();
            }
            if (m.get().state() == State.DELIVERED) {
                return Optional.of(m.get().ts()).filter(ts -> !ts.isEmpty());
            }
            Optional<OutboxMessage> head = outbox.head();
            boolean backingOff = unreachableSince != null || head.isPresent()
                    && head.get().state() == State.PENDING && head.get().nextTryAt().isAfter(clock.instant());
            if (backingOff || System.nanoTime() > until) {
                return Optional.empty();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            deliverNow();
        }
    }

    /** New content for a posted message ({@code ts} when known, else found by {@code key}). */
    void update(String key, String channel, String ts, SlackMessage m, String what) {
        Outbox outbox = usable();
        if (outbox == null) {
            if (ts != null && !ts.isEmpty()) slack.update(channel, ts, m, what);
            return;
        }
        try {
            outbox.add(OutboxMessage.of(Kind.UPDATE, key, channel, "", "", ts, encode(m), what, clock.instant()));
            stateDatabaseBack();
            deliverNow();
        } catch (RuntimeException outboxDown) {
            stateDatabaseDown(outboxDown);
            if (ts != null && !ts.isEmpty()) {
                slack.update(channel, ts, m, what);
            }
        }
    }

    /** A plain text reply in the thread of {@code threadTs}, or of the keyed message {@code threadKey}. */
    void reply(String channel, String threadKey, String threadTs, String text, String what) {
        Outbox outbox = usable();
        if (outbox == null) {
            slack.reply(channel, threadTs, text, what);
            return;
        }
        try {
            outbox.add(OutboxMessage.of(Kind.REPLY, "", channel, threadKey, threadTs, "",
                    encode(new SlackMessage(text, List.of())), what, clock.instant()));
            stateDatabaseBack();
            deliverNow();
        } catch (RuntimeException outboxDown) {
            stateDatabaseDown(outboxDown);
            slack.reply(channel, threadTs, text, what);
        }
    }

    /**
     * The outbox, unless there is none or its database was found down: then the caller speaks
     * directly rather than wait for the pool's connection timeout on every message. The ticker
     * keeps trying the database and turns the outbox back on when it answers.
     */
    private Outbox usable() {
        Outbox o = outbox;
        return o == null || (stateDatabaseDown && ticker != null) ? null : o;
    }

    // ---- delivery ------------------------------------------------------------------------

    private void tick() {
        Outbox outbox = this.outbox;
        if (outbox == null) return;
        try {
            deliver();
            Instant now = clock.instant();
            if (Duration.between(lastPrune, now).compareTo(Duration.ofHours(1)) > 0) {
                lastPrune = now;
                outbox.prune(now.minus(KEEP_DELIVERED));
            }
            stateDatabaseBack();
        } catch (RuntimeException e) {
            stateDatabaseDown(e);
        }
    }

    /** From a caller: deliver now, unless another thread is at it for longer than a caller may wait. */
    private void deliverNow() {
        try {
            if (!delivering.tryLock(CALLER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return; // the thread at it, or the ticker, delivers this one too
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            drain();
        } finally {
            delivering.unlock();
        }
    }

    /** Delivers every message that is due, oldest first; stops at the first that must wait. */
    void deliver() {
        if (outbox == null) return;
        delivering.lock();
        try {
            drain();
        } finally {
            delivering.unlock();
        }
    }

    private void drain() {
        Outbox outbox = this.outbox;
        if (outbox == null) return;
        while (true) {
            Optional<OutboxMessage> head = outbox.head();
            look(outbox, head);
            if (head.isEmpty()) {
                return;
            }
            OutboxMessage m = head.get();
            Instant now = clock.instant();
            if (m.state() == State.PENDING && m.nextTryAt().isAfter(now)) {
                return; // backing off: Slack was unreachable a moment ago
            }
            if (!outbox.claim(m.id(), owner, now, now.minus(CLAIM_TIMEOUT))) {
                return; // another replica is sending it; the order holds only if we wait for it
            }
            if (!send(outbox, m)) {
                return;
            }
        }
    }

    private void look(Outbox outbox, Optional<OutboxMessage> head) {
        oldest.set(head.map(OutboxMessage::createdAt).orElse(null));
        depth.set(head.isEmpty() ? 0 : outbox.depth());
    }

    /** True when the queue may move on (delivered or refused for good). */
    private boolean send(Outbox outbox, OutboxMessage m) {
        SlackMessage content = decode(m.body());
        Instant now = clock.instant();
        String thread = !m.threadTs().isEmpty() ? m.threadTs()
                : m.threadKey().isEmpty() ? "" : outbox.postedTs(m.threadKey()).orElse("");
        SlackGateway.Outcome<?> outcome;
        String ts;
        if (m.kind() == Kind.UPDATE) {
            ts = !m.targetTs().isEmpty() ? m.targetTs() : outbox.postedTs(m.key()).orElse("");
            if (ts.isEmpty()) {
                // Its post was refused or never written: better the message late than not at all.
                outcome = slack.tryPost(m.channel(), "", late(content, m, now), m.what() + " (posted: nothing to update)");
            } else {
                outcome = slack.tryUpdate(m.channel(), ts, content, m.what());
            }
        } else {
            ts = "";
            outcome = slack.tryPost(m.channel(), thread, late(content, m, now), m.what());
        }
        if (outcome instanceof SlackGateway.Outcome.Sent<?> sent) {
            String delivered = sent.response() instanceof com.slack.api.methods.response.chat.ChatPostMessageResponse p
                    ? p.getTs() : ts;
            outbox.delivered(m.id(), delivered, clock.instant());
            if (m.kind() == Kind.POST && !m.key().isEmpty() && delivered != null && !delivered.isEmpty()) {
                try {
                    posted.posted(m.key(), m.channel(), delivered);
                } catch (RuntimeException e) {
                    log.warn("could not record where {} was posted: {}", m.what(), e.toString());
                }
            }
            if (unreachableSince != null) {
                log.info("Slack reachable again after {} s; delivering what waited",
                        Duration.between(unreachableSince, now).toSeconds());
                unreachableSince = null;
            }
            return true;
        }
        if (outcome instanceof SlackGateway.Outcome.Refused<?> refused) {
            outbox.refused(m.id(), refused.error(), clock.instant());
            return true;
        }
        SlackGateway.Outcome.Unreachable<?> down = (SlackGateway.Outcome.Unreachable<?>) outcome;
        Duration wait = backoff(m.attempts(), down.retryAfter());
        if (unreachableSince == null) {
            unreachableSince = now;
            log.warn("Slack unreachable ({}); {} and what follows it wait in the outbox, next try in {} ms",
                    down.why(), m.what(), wait.toMillis());
        }
        outbox.retryLater(m.id(), down.why(), now.plus(wait));
        return false;
    }

    /** The same equal-jitter backoff as Socket Mode's reconnects, from 1 s up to {@link #MAX_BACKOFF}. */
    private static final ReconnectPolicy RETRIES = new ReconnectPolicy(Duration.ZERO, Duration.ofSeconds(1), MAX_BACKOFF,
            Duration.ZERO);

    /** The wait after {@code attempts} earlier failed tries and this one; never shorter than Slack's Retry-After. */
    static Duration backoff(int attempts, Duration retryAfter) {
        Duration wait = RETRIES.backoff(attempts + 1, ThreadLocalRandom.current()::nextDouble);
        return wait.compareTo(retryAfter) >= 0 ? wait : retryAfter;
    }

    private static SlackMessage late(SlackMessage m, OutboxMessage queued, Instant now) {
        Duration late = Duration.between(queued.createdAt(), now);
        if (late.compareTo(LATE) < 0) {
            return m;
        }
        String note = "Sent late: written at " + BlockKit.utc(queued.createdAt()) + ", while Slack could not be reached ("
                + late.toMinutes() + " min).";
        if (m.blocks().isEmpty()) {
            return new SlackMessage(m.text() + "\n_" + note + "_", List.of());
        }
        List<LayoutBlock> blocks = new ArrayList<>(m.blocks());
        if (blocks.size() < BlockKit.MAX_BLOCKS) {
            blocks.add(ContextBlock.builder().elements(List.of(MarkdownTextObject.builder().text(":hourglass: " + note)
                    .build())).build());
        }
        return new SlackMessage(m.text(), blocks);
    }

    static String encode(SlackMessage m) {
        JsonObject o = new JsonObject();
        o.addProperty("text", m.text());
        o.add("blocks", GSON.toJsonTree(m.blocks(), BLOCKS));
        return GSON.toJson(o);
    }

    static SlackMessage decode(String body) {
        JsonObject o = GSON.fromJson(body, JsonObject.class);
        List<LayoutBlock> blocks = GSON.fromJson(o.get("blocks"), BLOCKS);
        return new SlackMessage(o.get("text").getAsString(), blocks == null ? List.of() : blocks);
    }

    private void stateDatabaseDown(RuntimeException e) {
        if (!stateDatabaseDown) {
            stateDatabaseDown = true;
            log.warn("Slack outbox unavailable (state database: {}); speaking to Slack directly until it is back",
                    e.getMessage());
        }
    }

    private void stateDatabaseBack() {
        if (stateDatabaseDown) {
            stateDatabaseDown = false;
            log.info("Slack outbox available again");
        }
    }
}
