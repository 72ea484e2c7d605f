package io.mysqlresync.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;

import java.util.function.Consumer;

/**
 * The scheduled verification (setting verify.schedule, a cron expression): orders a
 * {@link VerificationJob} for every configured cluster. A cluster already being verified is left
 * to that run.
 */
@DisallowConcurrentExecution
final class ScheduledVerificationJob implements Job {

    static final JobKey KEY = new JobKey("all clusters", "verify-schedule");

    private final Consumer<String> verifyCluster;
    private final Iterable<String> clusters;

    ScheduledVerificationJob(Iterable<String> clusters, Consumer<String> verifyCluster) {
        this.clusters = clusters;
        this.verifyCluster = verifyCluster;
    }

    @Override
    public void execute(JobExecutionContext context) {
        clusters.forEach(verifyCluster);
    }
}
