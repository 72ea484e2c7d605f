package io.mysqlresync.incident;

/** One node's lag at one check. {@code lagSeconds} is -1 when unknown (thread stopped, NULL lag). */
public record NodeLag(String node, long lagSeconds, boolean threadsRunning) {
    public boolean inSync() {
        return threadsRunning && lagSeconds == 0;
    }
}
