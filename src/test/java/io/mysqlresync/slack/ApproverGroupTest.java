package io.mysqlresync.slack;

import io.mysqlresync.testsupport.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApproverGroupTest {

    private final TestClock clock = new TestClock();
    private final AtomicReference<Optional<List<String>>> slack =
            new AtomicReference<>(Optional.of(List.of("U0ALICE", "U0BOB")));
    private final List<String> asked = new ArrayList<>();
    private final ApproverGroup group = new ApproverGroup("S0DBAS", id -> {
        asked.add(id);
        return slack.get();
    }, Duration.ofMinutes(1), clock);

    @Test
    void aBurstOfClicksAsksSlackOnce() {
        assertTrue(group.contains("U0ALICE"));
        assertTrue(group.contains("U0BOB"));
        assertFalse(group.contains("U0MALLORY"));
        assertEquals(List.of("S0DBAS"), asked);
    }

    @Test
    void someoneRemovedFromTheGroupLosesApprovalAfterTheTtl() {
        assertTrue(group.contains("U0BOB"));
        slack.set(Optional.of(List.of("U0ALICE")));
        clock.advance(Duration.ofSeconds(59));
        assertTrue(group.contains("U0BOB"), "still trusted within the ttl");
        clock.advance(Duration.ofSeconds(2));
        assertFalse(group.contains("U0BOB"));
        assertEquals(2, asked.size());
    }

    @Test
    void whenSlackCannotBeAskedNobodyIsAMemberAndTheNextClickAsksAgain() {
        slack.set(Optional.empty());
        assertFalse(group.contains("U0ALICE"));
        slack.set(Optional.of(List.of("U0ALICE")));
        assertTrue(group.contains("U0ALICE"), "a failed read is not cached");
        assertEquals(2, asked.size());
    }

    @Test
    void withoutAGroupNobodyIsAMemberAndSlackIsNotAsked() {
        AtomicInteger calls = new AtomicInteger();
        ApproverGroup none = new ApproverGroup(" ", id -> {
            calls.incrementAndGet();
            return Optional.of(List.of("U0ALICE"));
        }, Duration.ofMinutes(1), clock);
        assertFalse(none.configured());
        assertFalse(none.contains("U0ALICE"));
        assertEquals(0, calls.get());
    }
}
