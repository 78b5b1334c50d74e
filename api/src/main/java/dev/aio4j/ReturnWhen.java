package dev.aio4j;

/** When {@link AsyncIO#wait(java.util.Collection, ReturnWhen, java.time.Duration)} returns: asyncio's {@code return_when}. */
public enum ReturnWhen {
    /** As soon as any future is done (or cancelled). */
    FIRST_COMPLETED,
    /** As soon as any future fails (cancellation is not a failure here), or when all are done. */
    FIRST_EXCEPTION,
    /** When every future is done. */
    ALL_COMPLETED
}
