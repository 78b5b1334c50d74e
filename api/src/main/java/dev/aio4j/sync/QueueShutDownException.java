package dev.aio4j.sync;

/**
 * Thrown by a {@link Queue} that was {@linkplain Queue#shutdown(boolean) shut down}:
 * by every put, and by a get once the queue is empty (at once after an
 * immediate shutdown, which empties it); tasks waiting in {@code put} or
 * {@code get} when the queue is shut down are woken with it. asyncio 3.13's
 * <a href="https://docs.python.org/3/library/asyncio-queue.html#asyncio.QueueShutDown">{@code QueueShutDown}</a>.
 * An {@link IllegalStateException}: the queue is in a state that refuses the call.
 */
public class QueueShutDownException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message the call, and which queue
     */
    public QueueShutDownException(String message) {
        super(message);
    }
}
