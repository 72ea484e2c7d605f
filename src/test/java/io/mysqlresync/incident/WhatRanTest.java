package io.mysqlresync.incident;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What an interrupted plan's message says ran, read back from its audit lines. */
class WhatRanTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static AuditEntry line(String action, String detail) {
        return new AuditEntry(T, "demo", "p-aaaaaaaa", "bot", action, detail);
    }

    @Test
    void eachStatementWithItsOutcomeAndOneSentButNeverAnsweredAsUnknown() {
        List<String> ran = ResyncService.whatRan(List.of(
                line("approve", "option resync"),
                line(ResyncService.SENDING, "node1: STOP SLAVE"),
                line("statement", "node1: STOP SLAVE -> OK (2 ms)"),
                line(ResyncService.SENDING, "node2: START SLAVE")));
        assertEquals(List.of("node1: STOP SLAVE -> OK (2 ms)",
                "node2: START SLAVE -> sent, outcome unknown: the bot died while it ran; check the node"), ran);
    }

    @Test
    void nothingSentIsNothingRan() {
        assertEquals(List.of(), ResyncService.whatRan(List.of(line("approve", "option resync"))));
    }
}
