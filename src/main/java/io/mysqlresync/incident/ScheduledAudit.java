package io.mysqlresync.incident;

import io.mysqlresync.audit.AuditReport;
import io.mysqlresync.audit.AuditReports;
import io.mysqlresync.audit.CrashSafety;
import io.mysqlresync.audit.SettingFinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The weekly crash-safety audit: audits every cluster and says only what changed since the last
 * one (the first one has nothing to compare with, so it says every problem once). Nothing is said
 * when nothing changed. Never changes a setting.
 */
public final class ScheduledAudit {

    private static final Logger log = LoggerFactory.getLogger(ScheduledAudit.class);

    private final List<String> clusters;
    private final CrashSafety crashSafety;
    private final AuditReports reports;
    private final ResyncStore store;
    private final Notifier notifier;
    private final Clock clock;

    public ScheduledAudit(List<String> clusters, CrashSafety crashSafety, AuditReports reports, ResyncStore store,
                          Notifier notifier, Clock clock) {
        this.clusters = List.copyOf(clusters);
        this.crashSafety = crashSafety;
        this.reports = reports;
        this.store = store;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** Audits every cluster; one that fails is logged and audited again next time. */
    public void run() {
        for (String cluster : clusters) {
            try {
                run(cluster);
            } catch (RuntimeException e) {
                log.warn("scheduled audit of {} failed; it is tried again at the next one: {}", cluster, e.toString(), e);
            }
        }
    }

    /** True when something changed and was said. */
    public boolean run(String cluster) {
        Instant now = clock.instant();
        AuditReport report = crashSafety.audit(cluster);
        AuditReport previous = reports.last(cluster).orElse(new AuditReport(cluster, List.of(), Map.of()));
        AuditReport.Changes changes = report.changesSince(previous);
        AuditReport kept = keepUnread(report, previous);
        if (changes.isEmpty()) {
            reports.save(kept, now);
            return false;
        }
        if (!notifier.settingsChanged(report, changes)) {
            return false; // kept unsaid: the next audit compares with the same previous report
        }
        reports.save(kept, now);
        store.audit(new AuditEntry(now, cluster, "", "bot", "audit", "scheduled: " + changes.appeared().size()
                + " new or changed, " + changes.fixed().size() + " fixed"));
        return true;
    }

    /**
     * What is kept for the next comparison: a node that could not be read keeps its previous
     * findings, so its problems are not announced again as new once it answers.
     */
    static AuditReport keepUnread(AuditReport report, AuditReport previous) {
        if (report.unreadable().isEmpty()) {
            return report;
        }
        List<SettingFinding> findings = new ArrayList<>(report.findings());
        previous.findings().stream().filter(f -> report.unreadable().containsKey(f.node())).forEach(findings::add);
        return new AuditReport(report.cluster(), findings, report.unreadable());
    }
}
