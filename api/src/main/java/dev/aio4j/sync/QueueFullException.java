package dev.aio4j.sync;

/**
 * Thrown by {@link Queue#putNow} when the queue has no free slot: asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-queue.html#asyncio.QueueFull">{@code QueueFull}</a>.
 * An {@link IllegalStateException}, as {@link java.util.Queue#add} throws
 * when a capacity-restricted queue is full.
 */
public class QueueFullException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message which queue, and how full
     */
    public QueueFullException(String message) {
        super(message);
    }
}
