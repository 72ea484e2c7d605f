package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Evidence;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.FindingKind;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Which recipe fixes each finding kind, registered once. Kinds only a human can fix get one
 * sentence here; kinds the bot can fix have a recipe class. Every kind must be registered: a
 * kind without a recipe fails here, at start-up, rather than being silently left out of plans.
 */
final class Recipes {

    private static final Map<FindingKind, Recipe> BY_KIND = new EnumMap<>(FindingKind.class);

    static {
        register(FindingKind.HEALTHY, Recipe.NOTHING);
        register(FindingKind.LAGGING, Recipe.NOTHING);
        register(FindingKind.RECENTLY_RESTARTED, Recipe.NOTHING);
        register(FindingKind.RELAY_LOG_CORRUPT, new RefetchRelayLog());
        register(FindingKind.SOURCE_BINLOG_TRUNCATED, new ResumeFromNextBinlog());
        register(FindingKind.THREADS_STOPPED_BY_OPERATOR, new StartReplicationAgain());
        register(FindingKind.DUPLICATE_KEY, new SkipOrRebuild("the conflicting insert"));
        register(FindingKind.ROW_NOT_FOUND, new SkipOrRebuild("the change to the missing row"));
        register(FindingKind.SOURCE_BINLOGS_PURGED, byHand(f -> "Rebuild " + f.node() + " from a backup or clone of "
                + f.sourceNode() + ": the binlogs it needs are gone, no statement can bring them back."));
        register(FindingKind.REPLICA_AHEAD_OF_SOURCE, new ResumeAtSourceGtidPosition());
        register(FindingKind.REPLICATION_AUTH_FAILURE, byHand(f -> "On " + f.sourceNode() + ": fix the replication user's "
                + "password or grants, then run START SLAVE IO_THREAD (or START REPLICA IO_THREAD) on " + f.node() + "."));
        register(FindingKind.SOURCE_UNREACHABLE, byHand(f -> "Bring " + f.sourceNode() + " back or fix the network between "
                + f.node() + " and " + f.sourceNode() + "; replication resumes by itself."));
        register(FindingKind.WRONG_SOURCE, byHand(f -> "On " + f.node() + ", check which server "
                + evidence(f, "Master_Host", "Source_Host") + ":" + evidence(f, "Master_Port", "Source_Port")
                + " is, then point replication back at " + f.sourceNode() + " (" + evidence(f, f.sourceNode() + " configured address")
                + "): STOP SLAVE IO_THREAD; CHANGE MASTER TO MASTER_HOST=..., MASTER_PORT=...; START SLAVE IO_THREAD "
                + "(MySQL 8.0.23+: STOP REPLICA IO_THREAD; CHANGE REPLICATION SOURCE TO SOURCE_HOST=..., SOURCE_PORT=...; "
                + "START REPLICA IO_THREAD). The bot never writes host settings."));
        register(FindingKind.SOURCE_LOGIN_NEEDS_SECURE_CONNECTION, new SecureSourceLogin());
        register(FindingKind.EVENT_LARGER_THAN_PACKET_LIMIT, new RaisePacketLimit());
        register(FindingKind.SOURCE_TLS_FAILURE, byHand(f -> "Fix TLS between " + f.node() + " and " + f.sourceNode()
                + ": compare the channel's SOURCE_SSL_CA / SOURCE_SSL_CERT / SOURCE_TLS_VERSION (SHOW REPLICA STATUS) with "
                + f.sourceNode() + "'s certificates and tls_version, fix them, then START REPLICA IO_THREAD on " + f.node()
                + ". It will not clear by itself."));
        register(FindingKind.TABLE_MISSING, byHand(f -> "On " + f.node() + ": check the replication filters "
                + "(Replicate_* in the replica status), then create the table from SHOW CREATE TABLE on " + f.sourceNode()
                + " and copy its rows (or rebuild " + f.node() + "), then START REPLICA SQL_THREAD (START SLAVE SQL_THREAD)."));
        register(FindingKind.GTID_OUT_OF_ORDER, byHand(f -> "Give each node its own gtid_domain_id (SET GLOBAL "
                + "gtid_domain_id, and in the config file); compare the transactions of the clashing domain on both nodes "
                + "(pt-table-checksum), then rebuild " + f.node() + " or move its gtid_slave_pos past the clash by hand."));
        register(FindingKind.GTID_POSITION_NOT_ON_SOURCE, byHand(f -> "On " + f.node() + ": find the last GTID it "
                + "really applied from " + f.sourceNode() + " (compare the rows, or the backup it was restored from), "
                + "then STOP SLAVE; SET GLOBAL gtid_slave_pos = '<that position>'; START SLAVE. A wrong position skips or "
                + "repeats transactions, so no statement is guessed."));
        register(FindingKind.NODE_UNREACHABLE, byHand(f -> "Bring " + f.node() + " back (or let the bot reach it), then ask for "
                + "the plan again."));
        register(FindingKind.NOT_A_REPLICA, byHand(f -> "Configure replication on " + f.node() + " from " + f.sourceNode()
                + " by hand: the bot never writes host, user or password settings."));
        register(FindingKind.UNKNOWN_ERROR, byHand(f -> "Read the error on " + f.node() + " and fix it by hand: "
                + f.summary() + "."));
        for (FindingKind kind : FindingKind.values()) {
            if (!BY_KIND.containsKey(kind)) {
                throw new IllegalStateException("No recovery recipe registered for finding kind " + kind);
            }
        }
    }

    private Recipes() {
    }

    static Recipe of(FindingKind kind) {
        return BY_KIND.get(kind);
    }

    private static void register(FindingKind kind, Recipe recipe) {
        if (BY_KIND.put(kind, recipe) != null) {
            throw new IllegalStateException("Two recovery recipes registered for finding kind " + kind);
        }
    }

    /** The first of these evidence fields the finding carries (column names differ per flavor). */
    private static String evidence(Finding f, String... names) {
        for (String name : names) {
            for (Evidence e : f.evidence()) {
                if (e.field().equals(name)) return e.value();
            }
        }
        return "?";
    }

    /** A kind only a human can fix: one manual action, in the finding's words. */
    private static Recipe byHand(Function<Finding, String> action) {
        return (at, plan) -> plan.manual(action.apply(at.finding()));
    }
}
