package io.mysqlresync.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state database is (or was) unreachable: since when, until when, and what the polls that
 * went on meanwhile saw on each cluster. One message, updated in place.
 *
 * @param back      when it answered again; null while it is still down
 * @param headlines cluster to the headline of its last poll during the outage
 * @param polls     how many polls ran during the outage
 */
public record StateOutage(Instant since, Instant back, Map<String, String> headlines, int polls) {

    public StateOutage {
        headlines = Map.copyOf(new LinkedHashMap<>(headlines));
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        if (back == null) {
            sb.append("The state database is unreachable since ").append(since)
                    .append(": approvals, plans and the audit trail are paused (nothing is run). "
                            + "Polling goes on (").append(polls).append(" polls so far): ");
        } else {
            sb.append("The state database is back after ").append(Durations.words(Duration.between(since, back)))
                    .append(": approvals and plans work again. Polls during the outage: ").append(polls)
                    .append(". Last seen: ");
        }
        sb.append(String.join("; ", headlines.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + e.getValue()).toList())).append('.');
        return sb.toString();
    }
}
