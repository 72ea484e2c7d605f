package io.mysqlresync.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The stop waits for Quartz's workers by this count: a run counts until it returns, its job store record included. */
class WorkerPoolTest {

    @Test
    void aJobEndingAsTheJobStoreShutsIsNotAnErrorWithAStackTrace() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(WorkerPool.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        logger.addAppender(events);
        WorkerPool pool = new WorkerPool();
        pool.setThreadCount(1);
        pool.setThreadNamePrefix("worker-pool-test");
        pool.initialize();
        try {
            // What Quartz's JobStoreSupport throws when a worker records a job's end after shutdown.
            pool.runInThread(() -> {
                throw new IllegalStateException("JobStore is shutdown - aborting retry");
            });
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pool.running() == 0
                    && !events.list.isEmpty());
            assertEquals(List.of(ch.qos.logback.classic.Level.INFO), events.list.stream().map(e -> e.getLevel()).toList());
            assertEquals(null, events.list.get(0).getThrowableProxy(), "no stack trace");
        } finally {
            pool.shutdown(true);
            logger.detachAppender(events);
        }
    }

    @Test
    void aRunCountsUntilItReturns() throws Exception {
        WorkerPool pool = new WorkerPool();
        pool.setThreadCount(1);
        pool.setThreadNamePrefix("worker-pool-test");
        pool.initialize();
        try {
            assertSame(pool, WorkerPool.lastCreated, "the scheduler finds the pool it got");
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            assertTrue(pool.runInThread(() -> {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(inside.await(5, TimeUnit.SECONDS));
            assertEquals(1, pool.running());
            release.countDown();
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> pool.running() == 0);
            assertTrue(!pool.runInThread(null) && pool.running() == 0, "nothing to run counts nothing");
        } finally {
            pool.shutdown(true);
        }
    }
}
