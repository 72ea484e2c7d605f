package io.mysqlresync.schedule;

import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ResyncService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires plans nobody approved in time and redraws their messages, so a stale Approve button
 * is gone before someone clicks it. One run at a time, on one replica.
 */
@DisallowConcurrentExecution
final class PlanExpiryJob implements Job {

    static final String GROUP = "plans";
    static final String NAME = "expire";

    private static final Logger log = LoggerFactory.getLogger(PlanExpiryJob.class);

    private final ResyncService service;
    private final Notifier notifier;

    PlanExpiryJob(ResyncService service, Notifier notifier) {
        this.service = service;
        this.notifier = notifier;
    }

    @Override
    public void execute(JobExecutionContext context) {
        try {
            service.expireOldPlans().forEach(notifier::planExpired);
        } catch (RuntimeException e) {
            log.warn("expiring old plans failed, trying again at the next run: {}", e.toString(), e);
        }
    }
}
