package io.mysqlresync.incident;

import java.time.Instant;
import java.util.List;

/**
 * A verification the lifecycle asked for: why it runs, what it compares, which incident its
 * verdict decides and where the verdict is said. Kept with the job that runs it (in the shared
 * job store), so another bot replica can run it if this one dies.
 *
 * @param incidentId the incident the verdict moves ("" for none)
 * @param channel    where the verdict is said ("" for the incident channel)
 * @param messageTs  the lag watch's progress message, whose thread gets the verdict ("" for none)
 * @param threadTs   the thread the lag watch lived in ("" for none)
 * @param tables     "schema" or "schema.table"; empty: every replicated table (or the configured include list)
 */
public record VerificationOrder(String cluster, Reason reason, Scope scope, String incidentId, String channel,
                                String messageTs, String threadTs, List<String> tables, String requestedBy,
                                Instant at) {

    /** Why a verification runs: it decides what its verdict may do to incidents. */
    public enum Reason {
        /** Replication caught up after a recovery: the verdict closes the incident. */
        RECOVERY,
        /** The monitor saw a node restart: drift opens an alert. */
        RESTART,
        /** The scheduled check: drift opens an alert, once per table. */
        SCHEDULE
    }

    /** What is compared: "full" (the ledger's rows first, then every table) or "ledger" (its rows only). */
    public enum Scope { FULL, LEDGER }

    public VerificationOrder {
        incidentId = incidentId == null ? "" : incidentId;
        channel = channel == null ? "" : channel;
        messageTs = messageTs == null ? "" : messageTs;
        threadTs = threadTs == null ? "" : threadTs;
        tables = List.copyOf(tables);
    }

    /** The thread the verdict goes to, as the lag watch's notifier addresses it. */
    public LagWatch thread() {
        return new LagWatch(cluster, channel, messageTs, threadTs, at, List.of(), 0, false, incidentId);
    }

    /** Whether the verdict has a thread to go to (a recovery's lag watch); else it speaks through the alert. */
    public boolean hasThread() {
        return !messageTs.isEmpty() || !threadTs.isEmpty();
    }
}
