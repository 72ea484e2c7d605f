package io.mysqlresync.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bot's one way to make worker threads: daemon threads (a stuck read or Slack call never keeps
 * the JVM alive after main is done) named after what they do, so a thread dump says who is stuck.
 */
public final class Threads {

    private Threads() {
    }

    /** Daemon threads named {@code name-1}, {@code name-2}, ... */
    public static ThreadFactory named(String name) {
        return named(name, true);
    }

    /** Threads named {@code name-1}, {@code name-2}, ...; non-daemon ones keep the JVM up while they work. */
    public static ThreadFactory named(String name, boolean daemon) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(daemon);
            return t;
        };
    }

    /** A fixed pool of at least one daemon thread. */
    public static ExecutorService fixedPool(String name, int threads) {
        return Executors.newFixedThreadPool(Math.max(1, threads), named(name));
    }
}
