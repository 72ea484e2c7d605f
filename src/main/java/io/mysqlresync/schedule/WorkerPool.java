package io.mysqlresync.schedule;

import org.quartz.SchedulerConfigException;
import org.quartz.simpl.SimpleThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Quartz's worker pool, counting the runs still in a worker. A job leaves Quartz's list of
 * executing jobs before its end is recorded in the job store; a stop in that moment shut the
 * job store down under the worker, and Quartz logged "JobStore is shutdown - aborting retry"
 * with a stack trace (seen once on SIGTERM in a full test run). The stop waits for this count,
 * and a job that still ends in that moment (fired just as the stop began) is logged as what it is.
 */
public final class WorkerPool extends SimpleThreadPool {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    /** The pool the last scheduler created got; read under ResyncScheduler's creation lock. */
    static volatile WorkerPool lastCreated;

    private final AtomicInteger running = new AtomicInteger();

    @Override
    public void initialize() throws SchedulerConfigException {
        super.initialize();
        lastCreated = this;
    }

    @Override
    public boolean runInThread(Runnable run) {
        if (run == null) {
            return false;
        }
        running.incrementAndGet();
        boolean taken = false;
        try {
            taken = super.runInThread(() -> {
                try {
                    run.run();
                } catch (IllegalStateException e) {
                    if (!String.valueOf(e.getMessage()).startsWith("JobStore is shutdown")) {
                        throw e;
                    }
                    // A job that ended as the stop shut the job store: its end goes unrecorded, as
                    // with a replica that dies; the job store's recovery (or the next start) sees to
                    // its trigger. Not an error with a stack trace on every such stop.
                    log.info("a job ended while the scheduler stopped; its end is not recorded");
                } finally {
                    running.decrementAndGet();
                }
            });
            return taken;
        } finally {
            if (!taken) {
                running.decrementAndGet();
            }
        }
    }

    /** Runs handed to a worker and not yet returned, the job store's record of their end included. */
    int running() {
        return running.get();
    }
}
