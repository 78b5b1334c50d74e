package dev.aio4j;

/**
 * What the loop knows about an error that nobody else could receive: passed
 * to the {@link ExceptionHandler}. The Java form of asyncio's context dict.
 *
 * @param message always present: what happened (e.g. "Exception in callback")
 * @param exception the exception, or {@code null}
 * @param future the future or task concerned, or {@code null}
 * @param handle the callback concerned, or {@code null}
 */
public record ErrorContext(String message, Throwable exception, Future<?> future, Handle handle) {
    /**
     * A context as given; only {@code message} is required.
     *
     * @param message what happened
     * @param exception the exception, or null
     * @param future the future or task concerned, or null
     * @param handle the callback concerned, or null
     * @throws NullPointerException if {@code message} is null
     */
    public ErrorContext {
        java.util.Objects.requireNonNull(message, "message");
    }

    /**
     * A context with a message and an exception only.
     *
     * @param message what happened
     * @param exception the exception, or null
     * @return the context
     */
    public static ErrorContext of(String message, Throwable exception) {
        return new ErrorContext(message, exception, null, null);
    }
}
