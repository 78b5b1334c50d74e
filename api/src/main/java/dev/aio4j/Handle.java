package dev.aio4j;

/**
 * A callback scheduled on a {@link Loop} by {@link Loop#callSoon} or
 * {@link Loop#callSoonThreadsafe}.
 *
 * <p>Thread confinement: {@link #cancel()} MUST be called on the loop (it
 * changes loop state without synchronisation); {@link #isCancelled()} may be
 * read from any thread.
 */
public interface Handle {
    /**
     * Cancels the callback if it has not run yet. Idempotent. A cancelled
     * callback is skipped, never run (SPEC S3).
     */
    void cancel();

    /**
     * Whether {@link #cancel()} was called.
     *
     * @return true once cancelled
     */
    boolean isCancelled();
}
