package io.mysqlresync.audit;

import java.time.Instant;
import java.util.Optional;

/** The last scheduled audit of each cluster, kept so the next one says only what changed. Implemented by the state store. */
public interface AuditReports {

    Optional<AuditReport> last(String cluster);

    void save(AuditReport report, Instant at);
}
