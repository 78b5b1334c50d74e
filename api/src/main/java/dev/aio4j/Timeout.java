package dev.aio4j;

/**
 * A deadline on part of a task's body: asyncio's {@code asyncio.Timeout}, as
 * {@link AsyncIO#timeout(java.time.Duration, Timeout.Body)} gives it to the
 * body it runs.
 *
 * <p>At the deadline the scope cancels its task, on its own behalf (its
 * {@link CancelRequest} names the scope). When the body ends, the scope
 * withdraws its request, and turns the {@link CancelledError} into a
 * {@link java.util.concurrent.TimeoutException} only if no other request is
 * pending: a cancellation someone else asked for (the task's own
 * {@code cancel()}, an enclosing scope) stays a cancellation, also when it
 * arrives just after the deadline. A body that fails with something else
 * after the deadline keeps its exception, with the timeout attached as
 * suppressed.
 *
 * <p>Threads: the loop of the task that runs the scope. Times are
 * {@link Loop#time()} nanoseconds.
 */
public interface Timeout {

    /**
     * The deadline in {@link Loop#time()} nanoseconds, or {@link Long#MAX_VALUE} for none.
     *
     * @return the deadline, in {@link Loop#time()} nanoseconds
     */
    long when();

    /**
     * Moves the deadline, while the body runs (not after it expired). A
     * deadline already past cancels the task in the next iteration;
     * {@link Long#MAX_VALUE} removes it.
     *
     * @param deadlineNanos the new deadline, in {@link Loop#time()} nanoseconds
     * @throws IllegalStateException if the deadline already expired or the body ended
     */
    void reschedule(long deadlineNanos);

    /**
     * Whether the deadline passed and the scope cancelled its task.
     *
     * @return true if the deadline cut the body short
     */
    boolean expired();

    /**
     * A body that sees its scope (to read or move the deadline).
     *
     * @param <T> the body's result type
     */
    @FunctionalInterface
    interface Body<T> {
        /**
         * Runs in the task that entered the scope.
         *
         * @param scope the scope, to read or move the deadline
         * @return the body's result
         * @throws Exception whatever the body throws, unchanged
         */
        T call(Timeout scope) throws Exception;
    }
}
