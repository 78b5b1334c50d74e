package dev.aio4j;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The result of an asynchronous operation on one {@link Loop}: asyncio's
 * {@code Future}.
 *
 * <p><b>States.</b> A future starts PENDING and moves exactly once to one of
 * RESULT ({@link #setResult}), EXCEPTION ({@link #setException}) or CANCELLED
 * ({@link #cancel(String)}); it is then <em>done</em> and never changes again.
 *
 * <p><b>Done callbacks</b> are never run inline: completing the future, or
 * adding a callback to a future that is already done, schedules each callback
 * with {@link Loop#callSoon}, in registration order (SPEC F5).
 *
 * <p><b>Exceptions.</b> {@link #result()} and {@link #await()} throw the
 * exact exception the future failed with, not a wrapper, even when it is a
 * checked exception that the method does not declare, so that
 * {@code catch} clauses read as they do in asyncio. A cancelled future throws
 * {@link CancellationException} carrying the cancel message where its
 * outcome is read ({@link #result()}, {@link #exception()}), and
 * {@link CancelledError} where a task awaits it: there the cancellation
 * spreads to the awaiting task, and must not be caught by
 * {@code catch (Exception e)} (see {@link CancelledError}).
 *
 * <p><b>Threads.</b> Every method MUST be called on the future's loop, except
 * {@link #isDone()}, {@link #isCancelled()}, {@link #loop()} and
 * {@link #toCompletableFuture()}, which are safe from any thread. A call from
 * another thread while the loop runs fails with {@link WrongThreadException}.
 *
 * <p>Memory consistency effects: actions in the thread that completes a future
 * happen-before the done callbacks run, before {@code await()} returns, and
 * before the {@link #toCompletableFuture() view} completes.
 *
 * @param <T> the result type
 */
public interface Future<T> {

    /**
     * The loop this future belongs to. Any thread.
     *
     * @return the loop; its callbacks and awaits run there
     */
    Loop loop();

    /**
     * Whether the future has a result, an exception or was cancelled. Any thread.
     *
     * @return true once done; never false again after that
     */
    boolean isDone();

    /**
     * Whether the future was cancelled. Any thread.
     *
     * @return true if it is done by cancellation
     */
    boolean isCancelled();

    /**
     * The result.
     *
     * @return the result given to {@link #setResult}
     * @throws InvalidStateException if the future is not done
     * @throws CancellationException if it was cancelled (with its message)
     * @throws RuntimeException (or any exception, unchecked) the exception it failed with
     */
    T result();

    /**
     * The exception, or {@code null} if the future has a result.
     *
     * @return the exception it failed with, or null
     * @throws InvalidStateException if the future is not done
     * @throws CancellationException if it was cancelled
     */
    Throwable exception();

    /**
     * Completes the future with a result and schedules its done callbacks.
     *
     * @param result the result; may be null
     * @throws InvalidStateException if it is already done (also after cancel)
     */
    void setResult(T result);

    /**
     * Completes the future with an exception and schedules its done callbacks.
     *
     * @param exception what it failed with
     * @throws NullPointerException if {@code exception} is null
     * @throws IllegalArgumentException if it is a {@link CancellationException} (use {@link #cancel(String)})
     * @throws InvalidStateException if it is already done
     */
    void setException(Throwable exception);

    /**
     * {@link #cancel(String)} with no message.
     *
     * @return true if this call cancelled it, false if it was already done
     */
    default boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future if it is pending and schedules its done callbacks.
     *
     * @param message carried by the {@link CancellationException} that
     *     {@code result()} and {@code await()} throw; may be null
     * @return true if this call cancelled it, false if it was already done
     */
    boolean cancel(String message);

    /**
     * Adds a callback run with this future once it is done, always through
     * {@link Loop#callSoon}, never inline. Callbacks run in the order they were
     * added; adding to a done future schedules the callback at once.
     *
     * @param callback called with this future, on the loop
     * @throws NullPointerException if {@code callback} is null
     */
    void addDoneCallback(Consumer<? super Future<T>> callback);

    /**
     * Removes every registration of {@code callback} that was not yet
     * scheduled.
     *
     * @param callback the callback, compared with {@code equals}
     * @return how many registrations were removed (0 once the future is done)
     */
    int removeDoneCallback(Consumer<? super Future<T>> callback);

    /**
     * Waits for this future from inside a task, and returns its result.
     *
     * <p>A done future returns (or throws) at once, without suspending and
     * without letting anything else run (SPEC F9). A pending one suspends the
     * calling task until it is done; the task then resumes through this
     * future's done callbacks. If the task is cancelled while it waits, this
     * future is cancelled and {@code await()} throws {@link CancelledError}.
     *
     * <p>A failure is rethrown exactly, checked or not, and undeclared; to
     * catch a checked one by type, use {@link #await(Class)}.
     *
     * @return the result
     * @throws IllegalStateException if called outside a task of this future's loop,
     *     or by a task on itself
     * @throws CancelledError if this future or the awaiting task was cancelled (an
     *     {@code Error}, so that {@code catch (Exception e)} does not stop a cancellation)
     */
    T await();

    /**
     * {@link #await()}, declaring the checked exception this future may fail
     * with, so that a {@code catch} names it:
     *
     * <pre>{@code
     * try {
     *     line = reading.await(IOException.class);
     * } catch (IncompleteReadException e) {   // compiles: IOException is declared
     *     ...
     * }
     * }</pre>
     *
     * <p>It changes nothing at run time: the future's failure is rethrown
     * exactly as {@code await()} does, whatever {@code type} says.
     *
     * @param <X> the checked exception type
     * @param type the checked exception type to declare
     * @return the result
     * @throws X (declared only; any failure of the future is rethrown as it is)
     * @throws NullPointerException if {@code type} is null
     */
    default <X extends Exception> T await(Class<X> type) throws X {
        Objects.requireNonNull(type, "type");
        return await();
    }

    /**
     * A {@link CompletableFuture} completed with this future's outcome. Any
     * thread. Cancelling the view cancels this future (on its loop). The view
     * is completed on the loop thread, so dependent stages added without an
     * executor run there: keep them short.
     *
     * @return the view, completed when this future is done
     */
    CompletableFuture<T> toCompletableFuture();
}
