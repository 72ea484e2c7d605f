package io.mysqlresync.verify;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops a verification: checked between chunks, and every registered action runs at once on
 * cancel (the adapter registers Statement.cancel for the query in flight).
 */
public final class CancelToken {

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();

    public static CancelToken none() {
        return new CancelToken();
    }

    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            for (Runnable r : onCancel) {
                try {
                    r.run();
                } catch (RuntimeException ignored) {
                    // one failing cancel action must not keep the others from running
                }
            }
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Runs {@code action} on cancel (at once if already cancelled); the returned handle unregisters it. */
    public AutoCloseable onCancel(Runnable action) {
        onCancel.add(action);
        if (cancelled.get()) {
            action.run();
        }
        return () -> onCancel.remove(action);
    }

    public void throwIfCancelled() {
        if (isCancelled()) {
            throw new VerifyException(InconclusiveReason.CANCELLED, "verification cancelled");
        }
    }
}
