package dev.aio4j;

/**
 * Thrown when an operation does not fit a {@link Future}'s state: a result
 * set twice, or asked for before the future is done. The Java form of
 * asyncio's {@code InvalidStateError}.
 */
public class InvalidStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message what was attempted and in which state
     */
    public InvalidStateException(String message) {
        super(message);
    }
}
