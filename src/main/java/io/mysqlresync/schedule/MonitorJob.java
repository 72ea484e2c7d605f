package io.mysqlresync.schedule;

import io.mysqlresync.incident.ShardPoll;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz face of one monitor shard: polls the clusters whose name hashes to the shard. One
 * job and one trigger per shard, so Quartz's clustered job store spreads the shards over the
 * live replicas and gives a dead replica's shards to the others. Never two polls of a shard at
 * once, not even on two replicas. Quartz only triggers: what one poll leaves for the next is in
 * the state store, not in job data; the job data only names the shard.
 */
@DisallowConcurrentExecution
final class MonitorJob implements Job {

    private static final Logger log = LoggerFactory.getLogger(MonitorJob.class);

    static final String GROUP = "monitor";
    static final String SHARD = "shard";
    static final String SHARDS = "shards";

    /** Polls one shard; the scheduler knows the clusters and the store. */
    @FunctionalInterface
    interface ShardPoller {
        void poll(int shard, int shards, String instance);
    }

    private final ShardPoller poller;

    MonitorJob(ShardPoller poller) {
        this.poller = poller;
    }

    /** Cluster names cannot contain spaces, so this never meets a per-cluster job of an older bot. */
    static JobKey key(int shard, int shards) {
        return new JobKey(ShardPoll.label(shard, shards), GROUP);
    }

    @Override
    public void execute(JobExecutionContext context) {
        JobDataMap data = context.getJobDetail().getJobDataMap();
        if (!data.containsKey(SHARD) || !data.containsKey(SHARDS)) {
            // The single sweep of an older bot, still in a shared job store: removed at the next start.
            log.info("monitor job {} names no shard (an older bot's): not run", context.getJobDetail().getKey());
            return;
        }
        poller.poll(data.getInt(SHARD), data.getInt(SHARDS), instance(context));
    }

    private static String instance(JobExecutionContext context) {
        try {
            return context.getScheduler().getSchedulerInstanceId();
        } catch (org.quartz.SchedulerException e) {
            return "?";
        }
    }
}
