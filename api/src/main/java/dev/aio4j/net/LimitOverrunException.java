package dev.aio4j.net;

import java.io.IOException;

/**
 * A line or chunk is longer than the reader's limit: asyncio's
 * {@code LimitOverrunError}. The reader fails cleanly instead of buffering
 * without bound.
 */
public final class LimitOverrunException extends IOException {
    private static final long serialVersionUID = 1L;

    /** How many buffered bytes the read looked at. */
    private final int consumed;

    /**
     * An exception saying what was exceeded and how far the read looked.
     *
     * @param message what was exceeded
     * @param consumed how many buffered bytes the read looked at: the length
     *     of the chunk before the separator, or how far it searched
     */
    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /**
     * How many buffered bytes the read looked at.
     *
     * @return the number of bytes
     */
    public int consumed() {
        return consumed;
    }
}
