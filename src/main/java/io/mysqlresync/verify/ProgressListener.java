package io.mysqlresync.verify;

/** Told after each chunk; must return quickly (a Slack update is throttled by the caller). */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = p -> { };

    void progress(VerifyProgress progress);
}
