package io.mysqlresync.schedule;

import io.mysqlresync.incident.ScheduledAudit;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/**
 * The scheduled crash-safety audit (audit.schedule): every cluster audited, only changes posted.
 * One run at a time, on one replica of a clustered bot.
 */
@DisallowConcurrentExecution
final class AuditJob implements Job {

    static final String GROUP = "audit";
    static final String NAME = "settings";

    private final ScheduledAudit audit;

    AuditJob(ScheduledAudit audit) {
        this.audit = audit;
    }

    @Override
    public void execute(JobExecutionContext context) {
        audit.run(); // logs and goes on per cluster: never throws for one
    }
}
