package io.mysqlresync.repair;

import io.mysqlresync.replication.ServerVersion;
import io.mysqlresync.verify.TableRef;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The port that changes rows on a node; the JDBC adapter lives in the mysql package. */
public interface RowRepairs {

    /**
     * The grants the bot lacks on {@code target} to apply this plan there (exact GRANT
     * statements); empty when it has them all.
     */
    List<String> missingGrants(String cluster, String target, RepairPlan plan);

    Session open(String cluster, String source, String target);

    /** DATA_TYPE per column per table on {@code node}, for the literals a plan shows; empty when unreadable. */
    Map<TableRef, Map<String, String>> columnTypes(String cluster, String node);

    /** The server {@code node} runs, for the rebuild procedure; null when it cannot be read. */
    ServerVersion version(String cluster, String node);

    /** Connections to a pair for one table's repair. */
    interface Session extends AutoCloseable {

        /**
         * Locks the row on the target, reads it again on both nodes, asks {@code changed}
         * whether either differs from the verification, and only if not applies the fix.
         */
        RowOutcome apply(RowFix fix, ChangeCheck changed);

        @Override
        void close();
    }

    /** Why the row is no longer as the verification saw it, or empty when it still is. */
    @FunctionalInterface
    interface ChangeCheck {
        Optional<String> changedSince(RowFix fix, List<String> sourceNow, List<String> targetNow);
    }
}
