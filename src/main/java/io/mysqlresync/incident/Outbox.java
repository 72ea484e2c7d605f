package io.mysqlresync.incident;

import java.time.Instant;
import java.util.Optional;

/**
 * The durable queue of messages for the chat (state database). Delivery is strictly in order:
 * only the oldest message still queued may be sent, by whoever claims it, so several bot replicas
 * can all deliver without two of them sending one message or passing each other.
 *
 * <p>Every method may throw when the state database is unreachable; the chat adapter then speaks
 * directly, as it would without an outbox.
 */
public interface Outbox {

    /**
     * Queues {@code m} and returns its id. Newer content for a keyed message still PENDING
     * replaces that message's content instead (the newest state is what matters, and it keeps its
     * place in the order). A second POST for a key that already has one returns the first one's id.
     */
    long add(OutboxMessage m);

    /** The oldest message still queued (PENDING or SENDING). */
    Optional<OutboxMessage> head();

    Optional<OutboxMessage> find(long id);

    /**
     * Takes message {@code id} for sending: true for one caller only. A message claimed before
     * {@code staleBefore} by a sender that never said how it went (it died) can be claimed again.
     */
    boolean claim(long id, String owner, Instant now, Instant staleBefore);

    void delivered(long id, String ts, Instant at);

    /** The chat refused it for good (channel gone, bad content): out of the queue, so it holds nothing up. */
    void refused(long id, String error, Instant at);

    /** The chat was unreachable: back in the queue, tried again from {@code nextTry}. */
    void retryLater(long id, String error, Instant nextTry);

    /** The chat answers again: messages waiting out a backoff (not a rate limit's) may be tried from {@code now}. */
    void retryNow(Instant now);

    /** The ts of the keyed message once posted. */
    Optional<String> postedTs(String key);

    /** Messages still queued. */
    int depth();

    /** Forgets delivered and refused messages older than {@code before}; how many. */
    int prune(Instant before);
}
