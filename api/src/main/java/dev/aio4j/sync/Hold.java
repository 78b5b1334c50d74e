package dev.aio4j.sync;

/**
 * What a primitive holds for a task, released by {@link #close()}: the
 * {@code async with lock:} of asyncio as a try-with-resources.
 *
 * <pre>{@code
 * try (Hold h = lock.hold()) {      // acquire() (may suspend the task)
 *     ...                           // the critical section
 * }                                 // release(), also when the body throws
 * }</pre>
 *
 * <p>Threads: close it on the loop of the primitive, as every other call of
 * the primitive.
 *
 * <p>Memory consistency effects: those of the primitive's release, which
 * {@code close()} is.
 */
public interface Hold extends AutoCloseable {
    /**
     * Releases what was acquired. The first call releases; later calls do
     * nothing, so that a hold closed explicitly and then again by a
     * try-with-resources releases once.
     */
    @Override
    void close();
}
