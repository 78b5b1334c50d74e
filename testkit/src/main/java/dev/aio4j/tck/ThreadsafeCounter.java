package dev.aio4j.tck;

import dev.aio4j.Loop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jetbrains.lincheck.datastructures.Operation;

/**
 * The state Lincheck drives for rule H12: a counter that lives on a running
 * loop and is reached only through the loop's thread-safe entry points. Each
 * operation runs one atomic step on the loop and waits for its answer, so
 * a correct loop makes every concurrent history look like some sequential
 * one (the counter counts each increment once, and each answer is the value
 * at one moment between the call and its return). A lost wake-up shows as a
 * timeout, a race on the inbox or a missing happens-before as a wrong value.
 *
 * <p>Lincheck makes a fresh instance per invocation with the no-argument
 * constructor; they all share the one loop that
 * {@link ThreadSafetyVerification} starts, through {@link #loop}.
 */
public final class ThreadsafeCounter {
    /** The running loop under test; set before Lincheck runs, cleared after. */
    static volatile Loop loop;
    /** How long one operation may wait for the loop, in milliseconds. */
    static volatile long timeoutMillis = 10_000;

    /** Touched only on the loop. */
    private int value;

    /** For Lincheck. */
    public ThreadsafeCounter() {}

    /**
     * Increments on the loop through {@code runCoroutineThreadsafe}; returns the new value.
     *
     * @return the new value
     * @throws Exception if the loop failed the operation or was interrupted; IllegalStateException if it did
     *     not answer in time (a lost wake-up)
     */
    @Operation
    public int incrementByCoroutine() throws Exception {
        return await(loop.runCoroutineThreadsafe(() -> ++value));
    }

    /**
     * Increments on the loop through {@code callSoonThreadsafe}; returns the new value.
     *
     * @return the new value
     * @throws Exception if the loop failed the operation or was interrupted; IllegalStateException if it did
     *     not answer in time (a lost wake-up)
     */
    @Operation
    public int incrementByCallback() throws Exception {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> answer.complete(++value));
        return await(answer);
    }

    /**
     * Increments on the loop through {@code execute} (the loop as an {@code Executor}); returns the new value.
     *
     * @return the new value
     * @throws Exception if the loop failed the operation or was interrupted; IllegalStateException if it did
     *     not answer in time (a lost wake-up)
     */
    @Operation
    public int incrementByExecute() throws Exception {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        loop.execute(() -> answer.complete(++value));
        return await(answer);
    }

    /**
     * Reads the value on the loop, through a loop future's {@code CompletableFuture} view.
     *
     * @return the value
     * @throws Exception if the loop failed the operation or was interrupted; IllegalStateException if it did
     *     not answer in time (a lost wake-up)
     */
    @Operation
    public int read() throws Exception {
        return await(loop.runCoroutineThreadsafe(() -> {
            dev.aio4j.Future<Integer> f = loop.createFuture();
            loop.callSoon(() -> f.setResult(value));
            return f.await();
        }));
    }

    private static int await(CompletableFuture<Integer> f) throws Exception {
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the loop did not answer within " + timeoutMillis
                    + " ms: a lost wake-up? (SPEC H12)", e);
        }
    }
}
