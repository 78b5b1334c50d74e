package dev.aio4j.sync;

/**
 * Thrown by {@link Barrier#await()} when the barrier is aborted, or reset
 * while the task waits in it: asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-sync.html#asyncio.BrokenBarrierError">{@code BrokenBarrierError}</a>,
 * a {@code RuntimeError} there, an {@link IllegalStateException} here.
 * Unlike {@link java.util.concurrent.BrokenBarrierException}, it is unchecked.
 */
public class BrokenBarrierException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message what broke the barrier
     */
    public BrokenBarrierException(String message) {
        super(message);
    }
}
