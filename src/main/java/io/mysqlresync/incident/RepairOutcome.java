package io.mysqlresync.incident;

import io.mysqlresync.repair.RowOutcome;
import io.mysqlresync.verify.VerificationResult;

import java.util.List;

/**
 * What became of a click on Approve for a repair plan.
 *
 * @param rows  each statement's outcome, for a repair that ran
 * @param after the verification of the repaired rows, for a repair that ran
 */
public record RepairOutcome(Kind kind, String message, RepairRequest request, List<RowOutcome> rows,
                            VerificationResult after) {

    public enum Kind {
        /** Every statement applied and the rows verified identical afterwards. */
        REPAIRED_IDENTICAL,
        /** It ran, but rows were skipped (changed since the verification) or still differ. */
        ROWS_STILL_DIFFER,
        FAILED,
        REFUSED_UNAUTHORISED, REFUSED_EXPIRED, REFUSED_ALREADY_DECIDED, REFUSED_NOT_READY, REFUSED_MISSING_GRANTS,
        REFUSED_PLAN_CHANGED, REJECTED, UNKNOWN_PLAN;

        public boolean ran() {
            return this == REPAIRED_IDENTICAL || this == ROWS_STILL_DIFFER || this == FAILED;
        }

        /** For the command line: 0 repaired and verified identical, 2 rows still differ or skipped, 1 otherwise. */
        public int exitCode() {
            return switch (this) {
                case REPAIRED_IDENTICAL -> 0;
                case ROWS_STILL_DIFFER -> 2;
                default -> 1;
            };
        }
    }

    public RepairOutcome {
        rows = List.copyOf(rows);
    }

    static RepairOutcome refused(Kind kind, String message, RepairRequest r) {
        return new RepairOutcome(kind, message, r, List.of(), null);
    }
}
