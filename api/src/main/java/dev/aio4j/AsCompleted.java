package dev.aio4j;

import java.util.concurrent.TimeoutException;

/**
 * The futures given to {@link AsyncIO#asCompleted}, returned one by one in
 * the order they complete: asyncio 3.13's {@code as_completed}, which yields
 * the original futures. {@link #next()} is an await point. Loop-confined;
 * used by one task.
 *
 * <pre>{@code
 * AsCompleted<Task<Page>> pages = AsyncIO.asCompleted(fetches, Duration.ofSeconds(5));
 * while (pages.hasNext()) {
 *     Task<Page> first = pages.next();   // the next one to complete
 *     show(first.result());
 * }
 * }</pre>
 *
 * @param <F> the futures' type
 */
public interface AsCompleted<F> {

    /**
     * Whether futures remain to be returned.
     *
     * @return true while a future is left to give
     */
    boolean hasNext();

    /**
     * Waits until the next future completes (unless one already did) and
     * returns it; nothing is cancelled.
     *
     * @return the next future to complete, done
     * @throws TimeoutException once the timeout expired with futures still pending
     * @throws java.util.NoSuchElementException if every future was returned
     * @throws CancelledError if the calling task is cancelled meanwhile
     */
    F next() throws TimeoutException;
}
