package dev.aio4j.sync;

/**
 * A {@link Semaphore} that refuses to be released more often than it was
 * acquired: asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-sync.html#asyncio.BoundedSemaphore">{@code BoundedSemaphore}</a>.
 * A {@link #release()} that would raise the free permits above the initial
 * number throws {@link IllegalStateException} (asyncio's {@code ValueError})
 * and changes nothing: a release without its acquire is a bug, found where it
 * happens.
 *
 * <p><b>Threads.</b> As {@link Semaphore}: bound to the first loop that uses
 * it, every method but {@link #toString()} and {@link #bound()} called on
 * that loop, {@code acquire()} and {@code hold()} in a task.
 *
 * <p>Memory consistency effects: as {@link Semaphore}, actions of a task
 * before {@code release()} happen-before the actions of the task that then
 * acquires the permit.
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    /**
     * A bounded semaphore with {@code permits} permits, which is also its bound.
     *
     * @param permits the initial permits, also the bound
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public BoundedSemaphore(int permits) {
        super(permits, "BoundedSemaphore");
        this.bound = permits;
    }

    /**
     * The initial number of permits, above which the free permits never go.
     *
     * @return the bound
     */
    public int bound() {
        return bound;
    }

    @Override
    void checkRelease(int free) {
        if (free >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times: all " + bound
                    + " permits are already free (a release() without its acquire())");
        }
    }
}
