package io.mysqlresync.audit;

import java.time.Duration;

/**
 * The operator's targets the settings are measured against.
 *
 * @param longestOutage          how long a node may be down and still resume replication from
 *                               the other node's binlogs (binlog retention must cover it)
 * @param deadSourceNoticedWithin how soon a replica must notice a source that vanished without
 *                               closing its connections (a power cut): slave_net_timeout at most
 */
public record AuditPolicy(Duration longestOutage, Duration deadSourceNoticedWithin) {

    /** A long weekend plus a margin; half a minute, about what a DBA waits before looking. */
    public static final AuditPolicy DEFAULT = new AuditPolicy(Duration.ofDays(7), Duration.ofSeconds(30));
}
