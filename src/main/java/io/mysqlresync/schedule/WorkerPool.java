package io.mysqlresync.schedule;

import org.quartz.SchedulerConfigException;
import org.quartz.simpl.SimpleThreadPool;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Quartz's worker pool, counting the runs still in a worker. A job leaves Quartz's list of
 * executing jobs before its end is recorded in the job store; a stop in that moment shut the
 * job store down under the worker, and Quartz logged "JobStore is shutdown - aborting retry"
 * with a stack trace (seen once on SIGTERM in a full test run). The stop waits for this count.
 */
public final class WorkerPool extends SimpleThreadPool {

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
