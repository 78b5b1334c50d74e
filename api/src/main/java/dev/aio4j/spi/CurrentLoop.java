package dev.aio4j.spi;

import dev.aio4j.Loop;
import dev.aio4j.Task;
import java.util.Objects;

/**
 * The seam through which {@link dev.aio4j.AsyncIO} finds the loop running in
 * the calling thread, whatever the backend: a backend binds each thread that
 * runs its loop's code (the thread inside {@code runForever}, every thread
 * that runs a task's body) to a {@link Binding} of that loop, and the API
 * asks the binding. So rules such as "{@code AsyncIO.currentLoop()} inside a
 * task returns its loop" hold for any backend, built on aio4j's engine or not.
 *
 * <p>Threads: {@link #bind} and {@link #unbind} act on the calling thread
 * only; {@link #binding()} reads the calling thread's binding. A binding is
 * consulted only while {@link Loop#inLoop()} is true for its loop, so a thread
 * that stays bound after its loop stopped sees no running loop.
 */
public final class CurrentLoop {
    private static final ThreadLocal<Binding> BOUND = new ThreadLocal<>();

    private CurrentLoop() {}

    /** What a backend binds to the threads that run its loop's code. */
    public interface Binding {
        /**
         * The loop.
         *
         * @return the loop this binding belongs to
         */
        Loop loop();

        /**
         * The task whose body the calling thread runs, or null when it runs a
         * callback (or the loop itself). Called only on the loop
         * ({@code loop().inLoop()} is true).
         *
         * @return the running task, or null
         */
        Task<?> runningTask();

        /**
         * {@code sleep(0)}: suspends the calling task until the next iteration
         * of the loop, its step going to the back of the ready queue. Called
         * only on the loop.
         *
         * @throws IllegalStateException if the calling thread is not running a
         *     task's body (a callback cannot yield)
         */
        void yieldTask();

        /**
         * The context of the code running now on the loop: the running task's,
         * or the running callback's (see {@link dev.aio4j.Context} for how each
         * gets it). Called only on the loop.
         *
         * @return the current context
         */
        dev.aio4j.Context context();

        /**
         * Replaces the context of the code running now: the running task's for
         * the rest of the task, or the running callback's for the rest of the
         * callback. Called only on the loop.
         *
         * @param context the new context
         */
        void setContext(dev.aio4j.Context context);
    }

    /**
     * Binds the calling thread to {@code binding}, replacing any earlier one.
     *
     * @param binding what the calling thread runs for
     * @throws NullPointerException if {@code binding} is null
     */
    public static void bind(Binding binding) {
        BOUND.set(Objects.requireNonNull(binding, "binding"));
    }

    /** Removes the calling thread's binding, if any. */
    public static void unbind() {
        BOUND.remove();
    }

    /**
     * The binding of the loop running in the calling thread.
     *
     * @return the binding, or null if no loop runs here
     */
    public static Binding binding() {
        Binding b = BOUND.get();
        return b != null && b.loop().inLoop() ? b : null;
    }

    /**
     * The loop running in the calling thread.
     *
     * @return the loop, or null
     */
    public static Loop loop() {
        Binding b = binding();
        return b != null ? b.loop() : null;
    }
}
