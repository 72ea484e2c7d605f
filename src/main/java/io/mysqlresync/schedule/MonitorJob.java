package io.mysqlresync.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;

/**
 * The Quartz face of {@link MonitorSweep}: one job per bot that polls every configured cluster.
 * Never two sweeps at once (with the clustered JDBC store, not even on two replicas). Quartz
 * only triggers it: what one poll leaves for the next is in the state store, not in job data.
 */
@DisallowConcurrentExecution
final class MonitorJob implements Job {

    static final String GROUP = "monitor";
    /** Not a possible cluster name (they cannot contain spaces), so it never meets a job of an older bot. */
    static final JobKey KEY = new JobKey("all clusters", GROUP);

    private final MonitorSweep sweep;

    MonitorJob(MonitorSweep sweep) {
        this.sweep = sweep;
    }

    @Override
    public void execute(JobExecutionContext context) {
        sweep.sweep();
    }
}
