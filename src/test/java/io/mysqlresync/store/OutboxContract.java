package io.mysqlresync.store;

import io.mysqlresync.config.StateSettings;
import io.mysqlresync.incident.OutboxMessage;
import io.mysqlresync.incident.OutboxMessage.Kind;
import io.mysqlresync.incident.OutboxMessage.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Slack outbox in each kind of state database (V9__slack_outbox.sql on H2 and MariaDB). */
abstract class OutboxContract {

    private static final Instant T0 = Instant.parse("2026-11-30T03:00:00.000000001Z");

    StateDatabase db;
    JdbcOutbox outbox;

    abstract StateSettings settings();

    @BeforeEach
    void open() throws Exception {
        db = StateDatabase.open(settings());
        outbox = new JdbcOutbox(db.dataSource());
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM resync_outbox");
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static OutboxMessage post(String key, String body) {
        return OutboxMessage.of(Kind.POST, key, "C0INCIDENTS", "", "", "", body, "test post " + key, T0);
    }

    private static OutboxMessage update(String key, String ts, String body) {
        return OutboxMessage.of(Kind.UPDATE, key, "C0INCIDENTS", "", "", ts, body, "test update " + key, T0);
    }

    private static OutboxMessage reply(String threadKey, String body) {
        return OutboxMessage.of(Kind.REPLY, "", "C0INCIDENTS", threadKey, "", "", body, "test reply", T0);
    }

    @Test
    void theHeadIsTheOldestQueuedMessageAndMovesOnlyWhenItIsDone() {
        long a = outbox.add(post("incident:A", "a"));
        long b = outbox.add(reply("incident:A", "b"));
        long c = outbox.add(post("", "c"));
        assertTrue(a < b && b < c);
        assertEquals(3, outbox.depth());
        assertEquals(a, outbox.head().orElseThrow().id());

        assertTrue(outbox.claim(a, "r1", T0, T0.minusSeconds(120)));
        assertEquals(a, outbox.head().orElseThrow().id(), "a message being sent is still the head");
        assertEquals(State.SENDING, outbox.head().orElseThrow().state());
        outbox.delivered(a, "1700000000.000100", T0.plusSeconds(1));
        assertEquals(b, outbox.head().orElseThrow().id());
        assertEquals("1700000000.000100", outbox.postedTs("incident:A").orElseThrow());

        assertTrue(outbox.claim(b, "r1", T0, T0.minusSeconds(120)));
        outbox.refused(b, "chat.postMessage: channel_not_found", T0.plusSeconds(2));
        assertEquals(c, outbox.head().orElseThrow().id(), "a refused message holds nothing up");
        assertEquals(State.FAILED, outbox.find(b).orElseThrow().state());
        assertEquals(1, outbox.depth());
    }

    @Test
    void newerContentForAWaitingKeyedMessageReplacesItInItsPlace() {
        long alert = outbox.add(post("incident:A", "v1"));
        long other = outbox.add(post("", "gap alert"));
        assertEquals(alert, outbox.add(update("incident:A", "", "v2")));
        assertEquals(alert, outbox.add(post("incident:A", "v3")), "a second post of a key is the first one");
        assertEquals(2, outbox.depth());
        OutboxMessage head = outbox.head().orElseThrow();
        assertEquals(alert, head.id());
        assertEquals(Kind.POST, head.kind());
        assertEquals("v3", head.body());
        assertTrue(other > alert);
    }

    @Test
    void contentForAMessageAlreadyBeingSentIsQueuedBehindIt() {
        long alert = outbox.add(post("incident:A", "v1"));
        assertTrue(outbox.claim(alert, "r1", T0, T0.minusSeconds(120)));
        long next = outbox.add(update("incident:A", "", "v2"));
        assertTrue(next > alert);
        assertEquals("v1", outbox.find(alert).orElseThrow().body());
        assertEquals(Kind.UPDATE, outbox.find(next).orElseThrow().kind());
        // a further change joins the waiting update, not the post in flight
        assertEquals(next, outbox.add(update("incident:A", "", "v3")));
        assertEquals("v3", outbox.find(next).orElseThrow().body());
    }

    @Test
    void aMessageIsClaimedOnceAndAgainOnlyWhenItsSenderDied() {
        long id = outbox.add(post("", "x"));
        assertTrue(outbox.claim(id, "r1", T0, T0.minusSeconds(120)));
        assertFalse(outbox.claim(id, "r2", T0.plusSeconds(5), T0.plusSeconds(5).minusSeconds(120)),
                "r1 is still sending it");
        Instant later = T0.plusSeconds(121);
        assertTrue(outbox.claim(id, "r2", later, later.minusSeconds(120)), "r1 died mid-send: r2 takes it over");
        assertEquals("r2", outbox.find(id).orElseThrow().owner());
    }

    @Test
    void aMessageSlackCouldNotTakeWaitsItsBackoffWithItsAttemptsCounted() {
        long id = outbox.add(post("", "x"));
        assertTrue(outbox.claim(id, "r1", T0, T0.minusSeconds(120)));
        outbox.retryLater(id, "chat.postMessage: HTTP 503", T0.plusSeconds(4));
        OutboxMessage m = outbox.head().orElseThrow();
        assertEquals(State.PENDING, m.state());
        assertEquals(1, m.attempts());
        assertEquals(T0.plusSeconds(4), m.nextTryAt());
        assertTrue(outbox.claim(id, "r2", T0.plusSeconds(4), T0.minusSeconds(116)));
    }

    @Test
    void whenTheChatAnswersAgainTheWaitingMessagesAreDueAtOnce() {
        long id = outbox.add(post("", "x"));
        assertTrue(outbox.claim(id, "r1", T0, T0.minusSeconds(120)));
        outbox.retryLater(id, "chat.postMessage: HTTP 503", T0.plusSeconds(15));
        long limited = outbox.add(post("", "rate limited"));
        long sending = outbox.add(post("", "being sent"));
        outbox.retryLater(limited, "chat.postMessage: HTTP 429", T0.plusSeconds(45));
        assertTrue(outbox.claim(sending, "r2", T0, T0.minusSeconds(120)));
        outbox.retryNow(T0.plusSeconds(2));
        OutboxMessage m = outbox.head().orElseThrow();
        assertEquals(T0.plusSeconds(2), m.nextTryAt(), "not 15 s later");
        assertEquals(1, m.attempts(), "the tries made are still counted");
        assertEquals(State.PENDING, m.state());
        assertEquals(T0.plusSeconds(45), outbox.find(limited).orElseThrow().nextTryAt(), "a rate limit's wait stands");
        assertEquals(State.SENDING, outbox.find(sending).orElseThrow().state(), "a message being sent stays so");
    }

    @Test
    void twoReplicasClaimingTheSameHeadAtOnceGetItOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            long id = outbox.add(post("", "m" + round));
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Boolean>> claims = new ArrayList<>();
                for (String replica : List.of("r1", "r2")) {
                    claims.add(pool.submit(() -> {
                        go.await();
                        return outbox.claim(id, replica, T0, T0.minusSeconds(120));
                    }));
                }
                go.countDown();
                int won = 0;
                for (Future<Boolean> f : claims) {
                    won += f.get() ? 1 : 0;
                }
                assertEquals(1, won, "round " + round);
            } finally {
                pool.shutdownNow();
            }
            outbox.delivered(id, "ts" + round, T0);
        }
    }

    @Test
    void twoReplicasPostingOneKeyAtOnceQueueOnePost() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> ids = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String body = "from replica " + i;
                ids.add(pool.submit(() -> {
                    go.await();
                    return outbox.add(post("incident:B", body));
                }));
            }
            go.countDown();
            assertEquals(ids.get(0).get(), ids.get(1).get());
            assertEquals(1, outbox.depth());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deliveredMessagesAreForgottenAfterAWhileAndQueuedOnesNever() {
        long old = outbox.add(post("", "old"));
        long waiting = outbox.add(post("", "waiting"));
        outbox.claim(old, "r1", T0, T0.minusSeconds(120));
        outbox.delivered(old, "ts", T0);
        assertEquals(1, outbox.prune(T0.plus(Duration.ofDays(8))));
        assertTrue(outbox.find(old).isEmpty());
        assertEquals(waiting, outbox.head().orElseThrow().id());
        assertEquals(1, outbox.depth());
    }
}
