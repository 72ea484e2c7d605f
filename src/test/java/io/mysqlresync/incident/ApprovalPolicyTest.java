package io.mysqlresync.incident;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.recovery.Planner;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.mysqlresync.testsupport.Statuses.NOW;
import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApprovalPolicyTest {

    private final ProposedPlan plan = new ProposedPlan(
            new Planner().plan(new Diagnoser(Thresholds.DEFAULT).diagnose(seedIncident("8.0.36")), "p-abcdefgh", NOW),
            "UREQUESTER", NOW.plusSeconds(900), PlanState.PROPOSED, "", null, "C1", "");

    @Test
    void listedApproversAndGroupMembersMayApprove() {
        ApprovalPolicy p = new ApprovalPolicy(Set.of("UALICE"), true, false);
        assertTrue(p.refusal(plan, "UALICE", false, NOW).isEmpty());
        assertTrue(p.refusal(plan, "UBOB", true, NOW).isEmpty());
        assertTrue(p.refusal(plan, "UMALLORY", false, NOW).orElseThrow().contains("not an approver"));
    }

    @Test
    void groupMembershipCountsOnlyWhenAGroupIsConfigured() {
        ApprovalPolicy p = new ApprovalPolicy(Set.of("UALICE"), false, false);
        assertTrue(p.refusal(plan, "UBOB", true, NOW).isPresent());
    }

    @Test
    void theTwoPersonRuleStopsTheRequesterApprovingTheirOwnPlan() {
        ApprovalPolicy p = new ApprovalPolicy(Set.of("UREQUESTER", "UALICE"), false, true);
        assertTrue(p.refusal(plan, "UREQUESTER", false, NOW).orElseThrow().contains("two-person rule"));
        assertTrue(p.refusal(plan, "UALICE", false, NOW).isEmpty());
    }

    @Test
    void theOperatorAtTheBotsTerminalIsAnApprover() {
        ApprovalPolicy p = new ApprovalPolicy(Set.of(), false, true);
        ProposedPlan own = new ProposedPlan(plan.plan(), "console:alice", plan.expiresAt(), PlanState.PROPOSED, "",
                null, "console", "");
        assertTrue(p.refusal(own, "console:alice", false, NOW).isEmpty());
        assertTrue(p.refusal(own, "UALICE", false, NOW).isPresent(), "a Slack user still needs to be listed");
    }
}
