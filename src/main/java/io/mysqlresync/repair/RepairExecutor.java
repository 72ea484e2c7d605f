package io.mysqlresync.repair;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs an approved repair plan table by table, each row re-read on both nodes just before its
 * statement: the application keeps writing on both masters, and a row it changed since the
 * verification is its to decide, so it is skipped and reported, never overwritten.
 */
public final class RepairExecutor {

    private final RowRepairs repairs;

    public RepairExecutor(RowRepairs repairs) {
        this.repairs = repairs;
    }

    public List<RowOutcome> execute(RepairPlan plan, Consumer<RowOutcome> onEach) {
        if (!plan.ready()) {
            throw new IllegalStateException("repair plan " + plan.id() + " is not ready to run");
        }
        List<RowOutcome> out = new ArrayList<>();
        for (TableRepair t : plan.tables()) {
            try (RowRepairs.Session s = repairs.open(plan.cluster(), t.source(), t.target())) {
                for (RowFix fix : t.fixes()) {
                    RowOutcome o = s.apply(fix, RepairExecutor::changedSince);
                    out.add(o);
                    onEach.accept(o);
                }
            }
        }
        return out;
    }

    /** Compared the way the verification stored the values: long ones cut for display. */
    static Optional<String> changedSince(RowFix fix, List<String> sourceNow, List<String> targetNow) {
        List<String> why = new ArrayList<>();
        if (!same(fix.sourceValues(), sourceNow)) {
            why.add(fix.source() + " " + change(fix.sourceValues(), sourceNow));
        }
        if (!same(fix.targetValues(), targetNow)) {
            why.add(fix.target() + " " + change(fix.targetValues(), targetNow));
        }
        return why.isEmpty() ? Optional.empty()
                : Optional.of("changed since the verification: " + String.join(", ", why));
    }

    private static String change(List<String> then, List<String> now) {
        if (then == null) return "has it now";
        if (now == null) return "no longer has it";
        return "has other values now";
    }

    static boolean same(List<String> verified, List<String> now) {
        if (verified == null || now == null) return verified == now;
        if (verified.size() != now.size()) return false;
        for (int i = 0; i < verified.size(); i++) {
            if (!sameValue(verified.get(i), now.get(i))) return false;
        }
        return true;
    }

    /** The verification keeps a long value as its first characters and its length (RowDifference.MAX_VALUE_CHARS). */
    static boolean sameValue(String verified, String now) {
        if (Objects.equals(verified, now)) return true;
        if (verified == null || now == null) return false;
        int max = io.mysqlresync.verify.RowDifference.MAX_VALUE_CHARS;
        return now.length() > max && verified.equals(now.substring(0, max) + "…(" + now.length() + " chars)");
    }
}
