package io.mysqlresync.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Where verifications are kept: the state database, with one audit entry each. */
public interface VerificationLog {

    /** What a verification is stored as and named by in `repair`: "v-" and 8 hex digits. */
    java.util.regex.Pattern ID = java.util.regex.Pattern.compile("v-[0-9a-f]{8}");

    /** A fresh id in the {@link #ID} form: the first 8 hex digits of a random UUID. */
    static String newId() {
        return "v-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The re-check of a repair's rows ("v-" + the repair's hex + "-after"): kept for `history`,
     * and not in the {@link #ID} form on purpose, as it compares only those rows and no repair
     * is made from it.
     */
    static String afterRepair(String repairId) {
        return "v-" + repairId.substring(repairId.indexOf('-') + 1) + "-after";
    }

    /** A verification as kept: enough for `history`; its rows come from {@link #differences}. */
    record Stored(String id, String cluster, Instant started, Duration took, TableVerdict verdict, String headline,
                  long rowsCompared, String requestedBy, List<String> tables) {
    }

    /** Stores the verification and its differing rows and writes it to the audit trail, in one transaction. */
    void record(String id, String requestedBy, VerificationResult result);

    /** Newest first. */
    List<Stored> recent(String cluster, int limit);

    List<RowDifference> differences(String verificationId);

    /** One verification by its id (as `verify` prints it), for a repair. */
    java.util.Optional<Stored> find(String verificationId);
}
