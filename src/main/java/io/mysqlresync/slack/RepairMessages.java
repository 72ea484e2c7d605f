package io.mysqlresync.slack;

import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.RepairOutcome;
import io.mysqlresync.incident.RepairRequest;
import io.mysqlresync.repair.RepairPlan;
import io.mysqlresync.repair.RowFix;
import io.mysqlresync.repair.RowOutcome;
import io.mysqlresync.repair.TableRepair;

import java.util.ArrayList;
import java.util.List;

import static io.mysqlresync.slack.BlockKit.escape;
import static io.mysqlresync.slack.BlockKit.escapeCode;
import static io.mysqlresync.slack.BlockKit.time;
import static io.mysqlresync.slack.BlockKit.truncate;
import static io.mysqlresync.slack.BlockKit.who;

/**
 * The "Repair plan" message: per table the source of truth (a button per node to choose it,
 * the bot's suggestion and why), the statements on the other node, then Approve / Reject; after
 * the click, what ran, what was skipped and what the verification of the repaired rows says.
 */
final class RepairMessages {

    /** A message holds at most 50 blocks; the statements beyond these are in `repair` on the command line and the audit. */
    static final int STATEMENTS_SHOWN = 15;

    private RepairMessages() {
    }

    static SlackMessage plan(RepairRequest r) {
        BlockList b = body(r);
        if (r.state() == PlanState.PROPOSED && !r.plan().refused()) {
            List<BlockElement> buttons = new ArrayList<>();
            if (r.plan().ready() && !r.manual()) {
                buttons.add(ButtonElement.builder().actionId(RepairButton.APPROVE_ACTION)
                        .value(RepairButton.approveValue(r.id(), r.revision())).style("primary")
                        .text(plain("Approve repair"))
                        .confirm(ConfirmationDialogObject.builder().title(plain(truncate("Repair " + r.cluster() + "?", BlockKit.MAX_CONFIRM_TITLE)))
                                .text(plain(truncate(r.plan().fixes().size() + " statements on "
                                        + String.join(", ", r.plan().tables().stream().map(TableRepair::target)
                                        .distinct().toList()) + ", binary logging off; rows changed since the"
                                        + " verification are skipped.", BlockKit.MAX_CONFIRM_TEXT)))
                                .confirm(plain("Repair")).deny(plain("Cancel")).style("primary").build())
                        .build());
            }
            buttons.add(ButtonElement.builder().actionId(RepairButton.REJECT_ACTION).value(r.id()).style("danger")
                    .text(plain("Reject")).build());
            b.actions("repair:" + r.id(), buttons);
            b.context(r.plan().ready() ? "Approving runs each statement once, with binary logging off on the"
                    + " drifted node, after re-reading the row on both nodes. Expires " + time(r.expiresAt()) + "."
                    : "Choose the node whose rows are right for each table; Approve appears when every table has one.");
        }
        return new SlackMessage("Repair plan " + r.id() + " for " + r.cluster() + ": " + r.plan().headline(), b.build());
    }

    static SlackMessage decided(RepairOutcome o) {
        RepairRequest r = o.request();
        BlockList b = body(r);
        String icon = switch (o.kind()) {
            case REPAIRED_IDENTICAL -> ":white_check_mark:";
            case ROWS_STILL_DIFFER -> ":warning:";
            case REJECTED -> ":no_entry_sign:";
            default -> ":x:";
        };
        b.section(icon + " *" + (o.kind().ran() ? "Approved by " + who(r.decidedBy()) + "*: " : o.kind() == RepairOutcome
                .Kind.REJECTED ? "Rejected*: " : "Not run*: ") + escape(o.message()));
        List<String> skipped = o.rows().stream().filter(x -> x.result() != RowOutcome.Result.APPLIED)
                .limit(10).map(RowOutcome::line).toList();
        if (!skipped.isEmpty()) {
            b.code("*Skipped or failed*", skipped.stream().map(BlockKit::escapeCode).toList());
        }
        String text = o.kind() == RepairOutcome.Kind.REPAIRED_IDENTICAL
                ? r.cluster() + ": repaired, the repaired rows are identical on both nodes"
                : r.cluster() + ": repair " + r.id() + ": " + o.message();
        return new SlackMessage(truncate(text, 3000), b.build());
    }

    private static BlockList body(RepairRequest r) {
        RepairPlan p = r.plan();
        BlockList b = new BlockList("The full plan: `repair " + p.verificationId() + " --source <node>` on the command line");
        b.header(":wrench: Repair plan: " + p.headline());
        b.context("Repair `" + r.id() + "` · from verification `" + p.verificationId() + "` · requested by "
                + who(r.requestedBy()) + " · made " + time(p.createdAt()));
        if (p.refused()) {
            b.section(":no_entry: *" + escape(p.refusal()) + "*");
            List<String> steps = new ArrayList<>();
            for (int i = 0; i < p.rebuild().size(); i++) {
                steps.add((i + 1) + ". " + p.rebuild().get(i));
            }
            b.sections(escape(String.join("\n", steps)));
            return b;
        }
        int shown = 0;
        for (int t = 0; t < p.tables().size(); t++) {
            TableRepair table = p.tables().get(t);
            b.divider();
            b.section("*" + escape(table.table().toString()) + "*: " + (table.chosen()
                    ? "source of truth *" + escape(table.source()) + "*" : "_choose the source of truth_")
                    + (table.suggestion() == null ? "\n_No suggestion: the loss ledger names no lost transaction here._"
                    : "\nSuggested: *" + escape(table.suggestion().node()) + "*, " + escape(table.suggestion().reason()))
                    + "\n" + escape(table.endsWith()));
            if (r.state() == PlanState.PROPOSED) {
                List<BlockElement> choose = new ArrayList<>();
                for (int n = 0; n < p.nodes().size(); n++) {
                    String node = p.nodes().get(n);
                    ButtonElement.ButtonElementBuilder button = ButtonElement.builder()
                            .actionId(RepairButton.sourceActionId(t, n))
                            .value(RepairButton.sourceValue(r.id(), t, n))
                            .text(plain(truncate(node + " is right", BlockKit.MAX_BUTTON_TEXT)));
                    if (node.equals(table.source())) button.style("primary");
                    choose.add(button.build());
                }
                b.actions("repair-source:" + r.id() + ":" + t, choose);
            }
            List<String> lines = new ArrayList<>();
            for (RowFix f : table.fixes()) {
                if (shown++ < STATEMENTS_SHOWN) lines.add(escapeCode(f.display()) + ";");
            }
            if (!lines.isEmpty()) {
                b.code("*On " + escape(table.target()) + "*", lines);
            }
        }
        if (shown > STATEMENTS_SHOWN) {
            b.context((shown - STATEMENTS_SHOWN) + " more statements: `repair " + p.verificationId()
                    + " --source <node>` prints them all.");
        }
        if (r.manual()) {
            b.sections(":raising_hand: *Manual*: the bot lacks the grants to apply this itself without replicating"
                    + " it. Grant:\n" + escape(String.join("\n", r.missingGrants()))
                    + "\nor run the statements by hand after `SET SESSION sql_log_bin = 0`.");
        }
        return b;
    }

    private static PlainTextObject plain(String text) {
        return PlainTextObject.builder().text(text).emoji(true).build();
    }
}
