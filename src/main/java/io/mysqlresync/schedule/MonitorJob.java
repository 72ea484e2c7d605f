package io.mysqlresync.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.PersistJobDataAfterExecution;

/**
 * The Quartz face of {@link ClusterMonitor}: one job per configured cluster. Never two polls of
 * one cluster at once (with the clustered JDBC store, not even on two replicas), and the job's
 * data, which remembers each node's start time, is written back after every run.
 */
@DisallowConcurrentExecution
@PersistJobDataAfterExecution
final class MonitorJob implements Job {

    static final String GROUP = "monitor";
    static final String CLUSTER = "cluster";

    private final ClusterMonitor monitor;

    MonitorJob(ClusterMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public void execute(JobExecutionContext context) {
        monitor.poll(context.getJobDetail().getJobDataMap().getString(CLUSTER),
                context.getJobDetail().getJobDataMap());
    }
}
