package io.mysqlresync.store;

import io.mysqlresync.config.StateSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quartz's JDBC job store runs on the state database and its pool, and keeps jobs over a restart. */
class QuartzOnStateDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void quartz_fires_a_job_from_an_h2_state_database_and_keeps_jobs_over_a_restart() throws Exception {
        firesAndKeeps(TestStateDatabases.h2File(dir), false);
    }

    @Test
    void quartz_fires_a_job_clustered_on_mariadb_and_keeps_jobs_over_a_restart() throws Exception {
        try (TestStateDatabases.ThrowawayMysql server = TestStateDatabases.ThrowawayMysql.createOrSkip()) {
            // clustered=false in the settings: a shared server is clustered all the same.
            firesAndKeeps(server.settings(false), true);
        }
    }

    private void firesAndKeeps(StateSettings settings, boolean clustered) throws Exception {
        JobKey later = JobKey.jobKey("lag-progress-prod-eu", "resync");
        try (StateDatabase db = StateDatabase.open(settings)) {
            Properties props = db.quartzProperties();
            assertEquals(Boolean.toString(clustered), props.getProperty("org.quartz.jobStore.isClustered"));
            Scheduler scheduler = new StdSchedulerFactory(props).getScheduler();
            try {
                scheduler.start();
                Ping.fired = new CountDownLatch(1);
                long t0 = System.nanoTime();
                scheduler.scheduleJob(JobBuilder.newJob(Ping.class).withIdentity("ping", "resync").build(),
                        TriggerBuilder.newTrigger().startNow().build());
                assertTrue(Ping.fired.await(20, TimeUnit.SECONDS), "the job did not fire within 20 s");
                System.out.printf("quartz on %s: job fired %d ms after scheduling%n", db.describe(),
                        (System.nanoTime() - t0) / 1_000_000);
                assertTrue(scheduler.getMetaData().isJobStoreSupportsPersistence());
                assertEquals(clustered, scheduler.getMetaData().isJobStoreClustered());

                JobDetail job = JobBuilder.newJob(Ping.class).withIdentity(later).storeDurably().build();
                scheduler.scheduleJob(job, TriggerBuilder.newTrigger().forJob(job)
                        .startAt(new Date(System.currentTimeMillis() + 3_600_000))
                        .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(10)).build());
                assertEquals(1, count(db, "SELECT COUNT(*) FROM QRTZ_JOB_DETAILS WHERE JOB_NAME = 'lag-progress-prod-eu'"),
                        "the job is in the state database, not in memory");
                if (clustered) {
                    assertEquals(1, count(db, "SELECT COUNT(*) FROM QRTZ_SCHEDULER_STATE"),
                            "a clustered scheduler checks in");
                }
            } finally {
                scheduler.shutdown(true);
            }
        }
        try (StateDatabase db = StateDatabase.open(settings)) {
            Scheduler scheduler = new StdSchedulerFactory(db.quartzProperties()).getScheduler();
            try {
                assertTrue(scheduler.checkExists(later), "the scheduled job survived the restart");
            } finally {
                scheduler.shutdown(true);
            }
        }
    }

    private static long count(StateDatabase db, String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static class Ping implements Job {
        static volatile CountDownLatch fired = new CountDownLatch(1);

        @Override
        public void execute(JobExecutionContext context) {
            fired.countDown();
        }
    }
}
