package io.mysqlresync.incident;

import java.time.Instant;

/**
 * One message for the chat, kept in the state database until the chat has it: Slack may be
 * unreachable for minutes exactly while an incident runs, and what the bot says meanwhile must
 * arrive late and in order rather than not at all, even across a restart of the bot.
 *
 * @param id        order of writing; delivered in this order
 * @param kind      a new message, a reply in a thread, or new content for a message already posted
 * @param key       which message this is, for the bot ("incident:INC-7"), or "" for a one-off. One
 *                  post per key; newer content for a key not yet delivered replaces the old
 * @param channel   where it goes
 * @param threadKey the key of the message whose thread it goes in, when that one's ts is not known yet
 * @param threadTs  the thread's ts when known
 * @param targetTs  for an update: the message's ts when known (else found by {@code key})
 * @param body      the content, in the chat adapter's own form (opaque here)
 * @param what      what it is for the logs ("incident INC-7 alert")
 * @param createdAt when the bot said it
 * @param attempts  delivery attempts that failed because the chat was unreachable
 * @param nextTryAt not before this
 */
public record OutboxMessage(long id, Kind kind, String key, String channel, String threadKey, String threadTs,
                            String targetTs, String body, String what, Instant createdAt, int attempts,
                            Instant nextTryAt, State state, String owner, Instant claimedAt, String ts) {

    public enum Kind { POST, REPLY, UPDATE }

    /** PENDING and SENDING are in the queue; DELIVERED and FAILED (refused by the chat) are out of it. */
    public enum State { PENDING, SENDING, DELIVERED, FAILED }

    public OutboxMessage {
        key = key == null ? "" : key;
        threadKey = threadKey == null ? "" : threadKey;
        threadTs = threadTs == null ? "" : threadTs;
        targetTs = targetTs == null ? "" : targetTs;
        owner = owner == null ? "" : owner;
        ts = ts == null ? "" : ts;
    }

    /** A message to write: id, attempts, claim and result are the outbox's. */
    public static OutboxMessage of(Kind kind, String key, String channel, String threadKey, String threadTs,
                                   String targetTs, String body, String what, Instant at) {
        return new OutboxMessage(0, kind, key, channel, threadKey, threadTs, targetTs, body, what, at, 0, at,
                State.PENDING, "", null, "");
    }
}
