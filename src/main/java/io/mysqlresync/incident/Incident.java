package io.mysqlresync.incident;

import java.time.Instant;

/**
 * @param problemKey what the incident is about, e.g. "node1:RELAY_LOG_CORRUPT,node2:SOURCE_BINLOG_TRUNCATED";
 *                   a change of key updates the incident instead of opening a new one
 */
public record Incident(String id, String cluster, IncidentState state, String problemKey, String headline,
                       Instant openedAt, Instant updatedAt, String channel, String messageTs) {

    public Incident with(IncidentState s, String key, String head, Instant at) {
        return new Incident(id, cluster, s, key, head, openedAt, at, channel, messageTs);
    }

    public Incident withMessage(String ch, String ts) {
        return new Incident(id, cluster, state, problemKey, headline, openedAt, updatedAt, ch, ts);
    }
}
