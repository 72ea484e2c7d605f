package io.mysqlresync.console;

import io.mysqlresync.incident.RepairOutcome;
import io.mysqlresync.incident.RepairRequest;
import io.mysqlresync.repair.RepairPlan;
import io.mysqlresync.repair.RowFix;
import io.mysqlresync.repair.TableRepair;

/** A repair plan and its outcome as terminal text: the command line and terminal mode print the same. */
public final class RepairText {

    /** Enough statements to read; the audit trail has them all. */
    static final int STATEMENTS_SHOWN = 200;

    private RepairText() {
    }

    public static String plan(RepairRequest r) {
        RepairPlan p = r.plan();
        StringBuilder out = new StringBuilder();
        out.append("Repair plan ").append(p.id()).append(" for ").append(p.cluster()).append(", from verification ")
                .append(p.verificationId()).append(": ").append(p.headline()).append('\n');
        if (p.refused()) {
            out.append("REFUSED: ").append(p.refusal()).append('\n');
            for (int i = 0; i < p.rebuild().size(); i++) {
                out.append("  ").append(i + 1).append(". ").append(p.rebuild().get(i)).append('\n');
            }
            return out.toString();
        }
        int shown = 0;
        for (TableRepair t : p.tables()) {
            out.append('\n').append(t.table()).append(": ");
            out.append(t.chosen() ? "source of truth " + t.source() : "source of truth not chosen yet");
            if (t.suggestion() != null) {
                out.append(" (suggested: ").append(t.suggestion().node()).append(", ").append(t.suggestion().reason())
                        .append(')');
            } else {
                out.append(" (no suggestion: the loss ledger names no lost transaction here)");
            }
            out.append("\n  ").append(t.endsWith()).append('\n');
            for (RowFix f : t.fixes()) {
                if (shown++ < STATEMENTS_SHOWN) {
                    out.append("  ").append(f.target()).append(": ").append(f.display()).append(";\n");
                }
            }
        }
        if (shown > STATEMENTS_SHOWN) {
            out.append("  ... and ").append(shown - STATEMENTS_SHOWN).append(" more statements\n");
        }
        if (p.ready()) {
            out.append("\n").append(p.fixes().size()).append(" statement").append(p.fixes().size() == 1 ? "" : "s")
                    .append(", each run with binary logging off (SET SESSION sql_log_bin = 0) so it never replicates,")
                    .append(" after re-reading the row on both nodes: a row changed since the verification is skipped.\n");
        }
        if (r.manual()) {
            out.append("\nMANUAL: the bot lacks the grants to apply this itself. Either grant them:\n");
            r.missingGrants().forEach(g -> out.append("  ").append(g).append('\n'));
            out.append("or run the statements above by hand on the drifted node after SET SESSION sql_log_bin = 0;\n");
        }
        return out.toString();
    }

    public static String outcome(RepairOutcome o) {
        return switch (o.kind()) {
            case REPAIRED_IDENTICAL -> "Repaired: " + o.message();
            case ROWS_STILL_DIFFER -> "Repaired in part: " + o.message();
            case FAILED -> "Repair failed: " + o.message();
            case REJECTED -> "Not applied: " + o.message();
            default -> "Refused: " + o.message();
        };
    }
}
