package dev.aio4j;

/**
 * A callback scheduled for a deadline by {@link Loop#callLater} or
 * {@link Loop#callAt}. Cancelling it removes it from the loop's timer heap
 * lazily, without leaking (SPEC S8).
 */
public interface TimerHandle extends Handle {
    /**
     * The absolute deadline, in nanoseconds of the loop's clock ({@link Loop#time()}).
     *
     * @return the deadline, in {@link Loop#time()} nanoseconds
     */
    long when();
}
