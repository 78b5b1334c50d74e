package dev.aio4j;

import java.util.List;

/**
 * A {@link Coroutine} running on a loop, and the future of its outcome:
 * asyncio's {@code Task}.
 *
 * <p>A task starts lazily: {@link Loop#createTask} schedules its first step
 * with {@link Loop#callSoon}; none of its body runs before that (SPEC T1).
 * It switches only at await points. It ends when its body returns (result),
 * throws (exception) or throws {@link CancelledError} or
 * {@link java.util.concurrent.CancellationException} (cancelled).
 *
 * <p><b>Cancellation</b> is a request: {@link #cancel(String)} is delivered
 * as a {@link CancelledError} at the task's next await point (or before
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

    /**
     * The task's name: given at creation, or {@code Task-<n>} from a process-wide counter. Any thread.
     *
     * @return the name
     */
    String getName();

    /**
     * Renames the task. Loop thread.
     *
     * @param name the new name
     */
    void setName(String name);

    /**
     * Requests cancellation, on behalf of the calling task (or of the loop,
     * when a callback calls it): {@code cancel(message, origin)} with that
     * origin.
     *
     * @return false if the task is done; true otherwise, also when called again
     */
    @Override
    boolean cancel(String message);

    /**
     * Requests cancellation on behalf of {@code origin}, recorded as a
     * {@link CancelRequest}. The request cancels the future the task waits
     * on, or is delivered as a {@link CancelledError} at the task's next
     * await point (or before its first step); several requests before the
     * delivery make one delivery (SPEC C9).
     *
     * @param message carried by the {@link CancelledError}; may be null
     * @param origin who asks: a task, a scope, any object compared by identity
     * @return false if the task is done (nothing is recorded); true otherwise
     * @throws NullPointerException if {@code origin} is null
     */
    boolean cancel(String message, Object origin);

    /**
     * How many cancellation requests are pending (not withdrawn by {@code uncancel}).
     *
     * @return {@code cancelRequests().size()}
     */
    int cancelling();

    /**
     * The pending cancellation requests, oldest first.
     *
     * @return an unmodifiable snapshot
     */
    List<CancelRequest> cancelRequests();

    /**
     * Withdraws the most recent cancellation request; reaching zero also
     * withdraws a request not yet delivered (asyncio 3.13, SPEC C8).
     *
     * @return the new count, never below zero
     */
    int uncancel();

    /**
     * Withdraws the most recent request of {@code origin} (compared by
     * identity), if one is pending; reaching zero also withdraws a request
     * not yet delivered, as {@link #uncancel()} does. A scope that
     * cancelled its task withdraws its own request with it, whatever
     * others asked for since.
     *
     * @param origin the origin its request named
     * @return whether a request of {@code origin} was pending
     * @throws NullPointerException if {@code origin} is null
     */
    boolean uncancel(Object origin);

    /**
     * Where the task's body is now: the stack of the thread that runs it, from
     * the innermost frame down to where the body starts, as asyncio's
     * {@code Task.get_stack()}; empty for a task that is done or has not
     * started. For reports (a task that will not stop, a task the loop waits
     * for). Any thread; the stack of a running task is a snapshot that may
     * already be out of date.
     *
     * @return the frames, innermost first; empty if none
     */
    StackTraceElement[] getStack();
}
