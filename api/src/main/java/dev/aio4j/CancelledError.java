package dev.aio4j;

import java.util.List;

/**
 * A task's cancellation as an await point delivers it: asyncio's
 * {@code CancelledError}.
 *
 * <p><b>Why an {@code Error}.</b> In asyncio {@code CancelledError} is a
 * {@code BaseException}, not an {@code Exception}, so that the common
 * "log any error and carry on" handler does not stop a cancellation:
 *
 * <pre>{@code
 * while (true) {
 *     try {
 *         handle(queue.get());      // an await point
 *     } catch (Exception e) {       // does not catch CancelledError:
 *         log(e);                   // the task ends cancelled, as in asyncio
 *     }
 * }
 * }</pre>
 *
 * <p>Java's {@link Exception} plays the part of Python's {@code Exception},
 * so the cancellation is an {@code Error} (the reasoning behind
 * {@code ThreadDeath}). Code that must clean up uses {@code finally}; code
 * that must see the cancellation catches it by name, as asyncio code does
 * ({@code except asyncio.CancelledError}), and rethrows it unless it means to
 * withdraw the cancellation ({@link Task#uncancel()}).
 *
 * <p><b>Where it is thrown.</b> {@link Future#await()} (and every await point
 * built on it: {@link AsyncIO#sleep}, the stream reads, the library's
 * combinators) throws it when the awaiting task is cancelled, or when the
 * future it awaits was cancelled. A task whose body lets it out ends
 * cancelled. Reading the outcome of a cancelled future outside an await
 * ({@link Future#result()}, {@link Future#exception()},
 * {@link Loop#runUntilComplete}, the {@link java.util.concurrent.CompletableFuture}
 * view) throws {@link java.util.concurrent.CancellationException} instead,
 * as {@code java.util.concurrent.Future.get} does: there no task is being
 * cancelled, only an outcome read.
 *
 * <p>The message is the one given to {@link Future#cancel(String)} (null if
 * none); the cause, when there is one, is the cancellation that ended the
 * awaited task.
 */
public final class CancelledError extends Error {
    private static final long serialVersionUID = 1L;

    /** The requests pending on the awaiting task when this was thrown. */
    private final transient List<CancelRequest> requests;

    /**
     * A cancellation carrying {@code message} (may be null).
     *
     * @param message the cancel message, or null
     */
    public CancelledError(String message) {
        this(message, null, List.of());
    }

    /**
     * A cancellation carrying {@code message} (may be null), caused by {@code cause} (may be null).
     *
     * @param message the cancel message, or null
     * @param cause what caused it, or null
     */
    public CancelledError(String message, Throwable cause) {
        this(message, cause, List.of());
    }

    /**
     * A cancellation carrying {@code message} (may be null), caused by
     * {@code cause} (may be null), delivered for {@code requests}.
     *
     * @param message the cancel message, or null
     * @param cause what caused it, or null
     * @param requests the requests it delivers
     * @throws NullPointerException if {@code requests} is null
     */
    public CancelledError(String message, Throwable cause, List<CancelRequest> requests) {
        super(message, cause);
        this.requests = List.copyOf(requests);
    }

    /**
     * Who asked, oldest first: the cancellation requests pending on the
     * awaiting task when this was thrown, or, if it had none, those that
     * cancelled the task it awaited. Empty when nobody asked a task (only a
     * plain future was cancelled).
     *
     * @return the requests, oldest first
     */
    public List<CancelRequest> requests() {
        return requests == null ? List.of() : requests;
    }

    /** The message, and who asked, if anyone did. */
    @Override
    public String toString() {
        List<CancelRequest> r = requests();
        return r.isEmpty() ? super.toString() : super.toString() + " " + r;
    }
}
