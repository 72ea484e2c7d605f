package io.mysqlresync.incident;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.ApprovalPolicy.Reason;
import io.mysqlresync.incident.ApprovalPolicy.Refusal;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.repair.RepairPlan;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.mysqlresync.testsupport.Statuses.NOW;
import static io.mysqlresync.testsupport.Statuses.seedIncident;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one gate of recovery plans and repair plans: who, the two-person rule, expiry, decided once. */
class ApprovalPolicyTest {

    private final ProposedPlan plan = new ProposedPlan(
            new Planner().plan(new Diagnoser(Thresholds.DEFAULT).diagnose(seedIncident("8.0.36")), "p-abcdefgh", NOW),
            "UREQUESTER", NOW.plusSeconds(900), PlanState.PROPOSED, "", null, "C1", "");

    private final RepairRequest repair = new RepairRequest(new RepairPlan("r-abcdefgh", "shop", "v-1a2b3c4d", NOW,
            List.of("node1", "node2"), List.of(), 1000, null, List.of()), 0, "UREQUESTER", NOW.plusSeconds(900),
            PlanState.PROPOSED, "", null, "C1", "", List.of());

    private static Optional<String> message(Optional<Refusal> r) {
        return r.map(Refusal::message);
    }

    @Test
    void listedApproversAndGroupMembersMayApprove() {
        ApprovalPolicy p = new ApprovalPolicy(Set.of("UALICE"), true, false);
        assertTrue(p.approval(plan, "UALICE", false, NOW).isEmpty());
        assertTrue(p.approval(plan, "UBOB", true, NOW).isEmpty());
        assertTrue(message(p.approval(plan, "UMALLORY", false, NOW)).orElseThrow().contains("not an approver"));
    }

    @Test
    void groupMembershipCountsOnlyWhenAGroupIsConfigured() {
        ApprovalPolicy p = new ApprovalPolicy(Set.of("UALICE"), false, false);
        assertTrue(p.approval(plan, "UBOB", true, NOW).isPresent());
    }

    @Test
    void theTwoPersonRuleStopsTheRequesterApprovingTheirOwnPlan() {
        ApprovalPolicy p = new ApprovalPolicy(Set.of("UREQUESTER", "UALICE"), false, true);
        assertTrue(message(p.approval(plan, "UREQUESTER", false, NOW)).orElseThrow().contains("two-person rule"));
        assertTrue(p.approval(plan, "UALICE", false, NOW).isEmpty());
        assertEquals(Reason.UNAUTHORISED, p.approval(repair, "UREQUESTER", false, NOW).orElseThrow().reason(),
                "the same rule for a repair plan");
        assertTrue(p.approval(repair, "UALICE", false, NOW).isEmpty());
        assertTrue(new ApprovalPolicy(Set.of("UREQUESTER"), false, false).approval(plan, "UREQUESTER", false, NOW)
                .isEmpty(), "without the rule the requester may approve");
    }

    @Test
    void theOperatorAtTheBotsTerminalIsAnApprover() {
        ApprovalPolicy p = new ApprovalPolicy(Set.of(), false, true);
        ProposedPlan own = new ProposedPlan(plan.plan(), "console:alice", plan.expiresAt(), PlanState.PROPOSED, "",
                null, "console", "");
        assertTrue(p.approval(own, "console:alice", false, NOW).isEmpty());
        assertTrue(p.approval(own, "UALICE", false, NOW).isPresent(), "a Slack user still needs to be listed");
    }

    @Test
    void aPlanPastItsExpiryIsNotRunAndSaysHowToGetAFreshOne() {
        ApprovalPolicy p = new ApprovalPolicy(Set.of("UALICE"), false, true);
        assertTrue(p.approval(plan, "UALICE", false, plan.expiresAt()).isEmpty(), "still valid at its expiry instant");
        Refusal late = p.approval(plan, "UALICE", false, plan.expiresAt().plusSeconds(1)).orElseThrow();
        assertEquals(Reason.EXPIRED, late.reason());
        assertEquals("plan p-abcdefgh expired at " + plan.expiresAt() + "; ask for a fresh plan", late.message());
        assertEquals("repair plan r-abcdefgh expired at " + repair.expiresAt() + "; verify again for a fresh plan",
                p.approval(repair, "UALICE", false, repair.expiresAt().plusSeconds(1)).orElseThrow().message());
    }

    @Test
    void whoMayApproveIsWeighedBeforeExpirySoAStrangerExpiresNothing() {
        ApprovalPolicy p = new ApprovalPolicy(Set.of("UALICE"), false, true);
        assertEquals(Reason.UNAUTHORISED,
                p.approval(plan, "UMALLORY", false, plan.expiresAt().plusSeconds(1)).orElseThrow().reason());
    }

    @Test
    void aDecidedPlanIsNotDecidedAgainWhoeverClicks() {
        ApprovalPolicy p = new ApprovalPolicy(Set.of("UALICE"), false, true);
        ProposedPlan done = plan.withState(PlanState.SUCCEEDED, "UALICE", NOW);
        Refusal again = p.approval(done, "UMALLORY", false, NOW.plusSeconds(3600)).orElseThrow();
        assertEquals(Reason.ALREADY_DECIDED, again.reason(), "before who or when");
        assertEquals("plan p-abcdefgh was already succeeded by UALICE; nothing was run again", again.message());
        ProposedPlan expired = plan.withState(PlanState.EXPIRED, "", NOW);
        assertEquals("plan p-abcdefgh was already expired; nothing was run again",
                p.approval(expired, "UALICE", false, NOW).orElseThrow().message(), "no 'by' when nobody decided");
        RepairRequest rejected = new RepairRequest(repair.plan(), 0, "UREQUESTER", repair.expiresAt(),
                PlanState.REJECTED, "UBOB", NOW, "C1", "", List.of());
        assertEquals("repair plan r-abcdefgh was already rejected by UBOB; nothing was run again",
                p.approval(rejected, "UALICE", false, NOW).orElseThrow().message());
    }

    @Test
    void approversAndTheRequesterMayRejectNobodyElse() {
        ApprovalPolicy p = new ApprovalPolicy(Set.of("UALICE"), false, true);
        assertTrue(p.rejection(plan, "UALICE", false).isEmpty());
        assertTrue(p.rejection(plan, "UREQUESTER", false).isEmpty(), "the two-person rule is about running, not rejecting");
        assertEquals(new Refusal(Reason.UNAUTHORISED, "only an approver or the requester can reject this plan"),
                p.rejection(plan, "UMALLORY", false).orElseThrow());
        assertEquals("only an approver or the requester can reject this repair plan",
                p.rejection(repair, "UMALLORY", false).orElseThrow().message());
    }
}
