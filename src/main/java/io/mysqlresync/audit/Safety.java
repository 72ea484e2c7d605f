package io.mysqlresync.audit;

/** What a setting costs the pair at the next crash. Ordered from harmless up, so the worst is the max. */
public enum Safety {
    /** Crash-safe as recommended. */
    FINE,
    /** Survivable, but a crash or outage costs more time or data than it needs to. */
    RISKY,
    /** A crash with this setting can lose committed data or stop replication. */
    UNSAFE
}
