package io.mysqlresync.audit;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Finding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The crash-safety audit as the rest of the bot uses it: audit a cluster's nodes, and explain a
 * diagnosis by the settings that made it happen. Reads through a {@link SettingsReader} port and
 * changes nothing.
 */
public final class CrashSafety {

    private static final Logger log = LoggerFactory.getLogger(CrashSafety.class);

    private final SettingsReader fresh;
    private final SettingsReader forExplaining;
    private final Auditor auditor;

    /**
     * @param fresh         reads the servers every time: audits a person or the schedule asked for
     * @param forExplaining may answer from a short-lived cache: explaining every alert update and
     *                      plan of an incident must not read every node each time
     */
    public CrashSafety(SettingsReader fresh, SettingsReader forExplaining, Auditor auditor) {
        this.fresh = fresh;
        this.forExplaining = forExplaining;
        this.auditor = auditor;
    }

    public CrashSafety(SettingsReader reader, Auditor auditor) {
        this(reader, reader, auditor);
    }

    /** Every node's settings read now, audited. */
    public AuditReport audit(String cluster) {
        return audit(cluster, fresh);
    }

    private AuditReport audit(String cluster, SettingsReader reader) {
        ClusterSettings settings = reader.read(cluster);
        return auditor.audit(cluster, settings.nodes(), settings.unreadable());
    }

    /**
     * The settings that explain the diagnosis's findings. Never throws: settings that cannot be
     * read cost the explanation, never the diagnosis. Reads nothing when no finding is of a kind a
     * setting can explain (a healthy pair, lag, an unreachable node).
     */
    public List<Cause> causes(Diagnosis d) {
        List<Finding> explainable = d.findings().stream()
                .filter(f -> IncidentCauses.EXPLAINABLE.contains(f.kind())).toList();
        if (explainable.isEmpty()) {
            return List.of();
        }
        try {
            return IncidentCauses.explain(explainable, audit(d.cluster(), forExplaining));
        } catch (RuntimeException e) {
            log.warn("cluster {}: could not read the settings that may explain the diagnosis: {}", d.cluster(),
                    e.toString());
            return List.of();
        }
    }

    /** The diagnosis with its causes' sentences attached (each said once). */
    public Diagnosis explain(Diagnosis d) {
        List<Cause> causes = causes(d);
        return causes.isEmpty() ? d : d.withCauses(causes.stream().map(Cause::sentence).distinct().toList());
    }
}
