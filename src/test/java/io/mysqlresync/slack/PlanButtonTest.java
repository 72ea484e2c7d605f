package io.mysqlresync.slack;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanButtonTest {

    @Test
    void approveValuesCarryOnlyAPlanIdAndAKnownOption() {
        assertEquals(Optional.of(new PlanButton("p-abcd2345", "resync")), PlanButton.parseApprove("p-abcd2345:resync"));
        assertEquals(Optional.of(new PlanButton("p-abcd2345", "skip-event")),
                PlanButton.parseApprove(PlanButton.approveValue("p-abcd2345", "skip-event")));
    }

    @Test
    void anythingElseIsRefused() {
        for (String forged : new String[]{null, "", "p-abcd2345", "p-abcd2345:", "p-abcd2345:rebuild",
                "p-abcd2345:resync; DROP TABLE x", "p-ABCD2345:resync", "p-abcd234:resync", "p-abcd23456:resync",
                "../p-abcd2345:resync", "p-abcd2345:resync:resync", "x".repeat(3000)}) {
            assertTrue(PlanButton.parseApprove(forged).isEmpty(), "accepted " + forged);
        }
        assertTrue(PlanButton.parseReject("p-abcd2345").isPresent());
        assertTrue(PlanButton.parseReject("p-abcd2345:resync").isEmpty());
        assertTrue(PlanButton.parseReject("shop").isEmpty());
    }
}
