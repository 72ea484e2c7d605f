package io.mysqlresync.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Where verifications are kept: the state database, with one audit entry each. */
public interface VerificationLog {

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
