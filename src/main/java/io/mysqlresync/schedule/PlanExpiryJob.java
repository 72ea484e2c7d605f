package io.mysqlresync.schedule;

import io.mysqlresync.incident.Interruption;
import io.mysqlresync.incident.MessageRef;
import io.mysqlresync.incident.Notifier;
import io.mysqlresync.incident.ResyncService;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires plans nobody approved in time and redraws their messages, so a stale Approve button
 * is gone before someone clicks it; and finds plans whose bot died mid-run (marked interrupted,
 * a fresh plan offered). One run at a time, on one replica: on the clustered job store a
 * surviving replica runs it.
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
        try {
            for (Interruption i : service.recoverInterrupted()) {
                log.warn("plan {} on {} was interrupted: its bot ({}) died after {} statement(s); fresh plan {}",
                        i.plan().id(), i.plan().cluster(), i.executor(), i.ran().size(),
                        i.fresh() == null ? "none" : i.fresh().id());
                MessageRef posted = notifier.planInterrupted(i);
                if (i.fresh() != null && !posted.ts().isEmpty()) {
                    service.planPosted(i.fresh().id(), posted.channel(), posted.ts());
                }
            }
        } catch (RuntimeException e) {
            log.warn("looking for interrupted plans failed, trying again at the next run: {}", e.toString());
        }
    }
}
