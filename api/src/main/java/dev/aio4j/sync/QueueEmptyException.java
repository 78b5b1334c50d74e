package dev.aio4j.sync;

import java.util.NoSuchElementException;

/**
 * Thrown by {@link Queue#getNow} when no item can be taken at once: asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-queue.html#asyncio.QueueEmpty">{@code QueueEmpty}</a>.
 * A {@link NoSuchElementException}, as {@link java.util.Queue#remove} throws
 * on an empty queue.
 */
public class QueueEmptyException extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message which queue
     */
    public QueueEmptyException(String message) {
        super(message);
    }
}
