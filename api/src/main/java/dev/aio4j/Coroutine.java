package dev.aio4j;

/**
 * The body of a {@link Task}: code that runs on the loop and may suspend at
 * {@link Future#await()} and the other await points of this library.
 *
 * <p>A coroutine is an ordinary lambda. It runs in its own execution context
 * (a virtual thread, so that it has a stack to suspend), but never at the same
 * time as anything else of its loop: it switches only where it awaits.
 *
 * <p>Checked exceptions: {@code call} may throw any exception. The task that
 * runs it fails with that exact exception, and awaiting the task rethrows it
 * unchanged (see {@link Future#await()}).
 *
 * @param <T> the result type; use {@code Void} and return {@code null} for none
 */
@FunctionalInterface
public interface Coroutine<T> {
    /**
     * Runs the body. Called once, on the loop, by the task that owns it.
     *
     * @return the task's result
     * @throws Exception any failure, which becomes the task's exception
     */
    T call() throws Exception;
}
