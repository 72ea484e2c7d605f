package io.mysqlresync.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * The Quartz face of {@link LagWatcher}: one job per watched cluster, which deletes itself when
 * the watch is over so nothing is posted after "back in sync". Quartz only triggers it: the job's
 * data is written once, when the watch is scheduled, and never by a run; what the watch said
 * between checks is in the state store.
 */
@DisallowConcurrentExecution
final class LagWatchJob implements Job {

    private static final Logger log = LoggerFactory.getLogger(LagWatchJob.class);

    static final String GROUP = "lag-watch";
    static final String CLUSTER = "cluster";
    /**
     * Which watch this job was scheduled for, as epoch milliseconds of {@code LagWatch.startedAt}:
     * a finished run deletes the job only if no newer watch replaced it meanwhile.
     */
    static final String WATCH_STARTED_AT = "watchStartedAt";

    private final LagWatcher watcher;

    LagWatchJob(LagWatcher watcher) {
        this.watcher = watcher;
    }

    @Override
    public void execute(JobExecutionContext context) {
        JobDataMap data = context.getJobDetail().getJobDataMap();
        String cluster = data.getString(CLUSTER);
        String startedAt = data.getString(WATCH_STARTED_AT);
        if (watcher.check(cluster) != LagWatcher.Outcome.DONE) {
            return;
        }
        try {
            // Only this watch's job: a recovery may have scheduled a new watch under the same key meanwhile.
            JobDetail current = context.getScheduler().getJobDetail(context.getJobDetail().getKey());
            if (current != null && Objects.equals(current.getJobDataMap().getString(WATCH_STARTED_AT), startedAt)) {
                context.getScheduler().deleteJob(current.getKey());
            }
        } catch (SchedulerException e) {
            // The watch is gone from the store, so the next run ends up here again and retries.
            log.warn("lag watch of {}: could not unschedule: {}", cluster, e.toString(), e);
        }
    }
}
