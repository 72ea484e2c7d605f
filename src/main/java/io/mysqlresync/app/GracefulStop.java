package io.mysqlresync.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops the bot in order on SIGTERM and SIGINT, before the JVM's shutdown hooks run.
 *
 * <p>Why not only a shutdown hook: hooks run concurrently, and the embedded H2 state database
 * closes itself from its own hook (with the default {@code AUTO_SERVER=TRUE} URL it cannot be
 * told not to). A Quartz job finishing meanwhile then found its database closed and Quartz
 * logged stack traces ("Database is already closed", "JobStore is shutdown - aborting retry").
 * Handling the signal ourselves runs the whole stop (scheduler, Slack with its running plans,
 * connections, state database) first, then exits with the signal's status (128 + number); the
 * shutdown hook remains for any other way the JVM ends, and the stop runs once either way.
 */
final class GracefulStop {

    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

    private final String what;
    private final Runnable stop;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);

    private GracefulStop(String what, Runnable stop) {
        this.what = what;
        this.stop = stop;
    }

    /** Installs the handlers; {@code stop} runs once, on the first signal or at JVM exit. */
    static GracefulStop install(String what, Runnable stop) {
        GracefulStop g = new GracefulStop(what, stop);
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), sig -> {
                    g.run("SIG" + sig.getName());
                    System.exit(128 + sig.getNumber());
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.debug("no handler for SIG{} here ({}); the shutdown hook stops the bot", name, e.toString());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> g.run("JVM exit"), "shutdown"));
        return g;
    }

    /** Runs the stop, or waits for the one already running. Never throws. */
    void run(String why) {
        if (!started.compareAndSet(false, true)) {
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        long t0 = System.nanoTime();
        log.info("{}: stopping {}: running plans finish first", why, what);
        try {
            stop.run();
            log.info("{} stopped in {} ms", what, (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            log.warn("{} did not stop cleanly: {}", what, e.toString());
        } finally {
            finished.countDown();
        }
    }

    /** Whether a stop has begun (a console session ends its loop then). */
    boolean stopping() {
        return started.get();
    }
}
