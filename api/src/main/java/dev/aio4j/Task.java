package dev.aio4j;

/**
 * A {@link Coroutine} running on a loop, and the future of its outcome:
 * asyncio's {@code Task}.
 *
 * <p>A task starts lazily: {@link Loop#createTask} schedules its first step
 * with {@link Loop#callSoon}; none of its body runs before that (SPEC T1).
 * It switches only at await points. It ends when its body returns (result),
 * throws (exception) or throws {@link java.util.concurrent.CancellationException}
 * (cancelled).
 *
 * <p><b>Cancellation</b> is a request: {@link #cancel(String)} is delivered
 * as a {@code CancellationException} at the task's next await point (or before
 * its first step). The body may catch it; {@link #cancelling()} counts pending
 * requests, {@link #uncancel()} withdraws one (SPEC C section).
 *
 * <p>{@link #setResult} and {@link #setException} are not for tasks: they
 * throw {@link UnsupportedOperationException}.
 *
 * <p>Threads: as for {@link Future}; {@link #getName()} is safe from any thread.
 *
 * @param <T> the result type
 */
public interface Task<T> extends Future<T> {

    /** The task's name: given at creation, or {@code Task-<n>} from a process-wide counter. Any thread. */
    String getName();

    /** Renames the task. Loop thread. */
    void setName(String name);

    /**
     * Requests cancellation.
     *
     * @return false if the task is done; true otherwise, also when called again
     */
    @Override
    boolean cancel(String message);

    /** How many cancellation requests are pending (not withdrawn by {@link #uncancel()}). */
    int cancelling();

    /**
     * Withdraws one cancellation request; reaching zero also withdraws a
     * request not yet delivered (asyncio 3.13, SPEC C8).
     *
     * @return the new count, never below zero
     */
    int uncancel();
}
