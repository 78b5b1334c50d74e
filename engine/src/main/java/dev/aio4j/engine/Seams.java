package dev.aio4j.engine;

import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The engine's own steps, each a method whose default is the engine's
 * behaviour, so that the TCK's self-test (in this package's tests) can build
 * a loop with exactly one defect and prove that the TCK catches it. Not for
 * backends: what differs between backends is in the parts ({@link IoDriver},
 * {@link TaskThreads}); these are package-private on purpose.
 *
 * <p>Production loops use {@link #NONE}, the only implementation loaded
 * outside tests, so each call site is monomorphic and the JIT inlines it.
 */
interface Seams {
    /** The engine's behaviour, unchanged. */
    Seams NONE = new Seams() {};

    /** Why a unit became ready, for {@link #enqueueReady}. */
    enum ReadyCause {
        /** {@code callSoon} on the loop. */
        CALL_SOON,
        /** A task's next step: its first, after a yield, or its wake-up when the future it awaits is done. */
        TASK_STEP,
        /** A done callback of a future that is done. */
        DONE_CALLBACK,
        /** A callback sent by another thread ({@code callSoonThreadsafe}), drained from the inbox. */
        THREADSAFE,
        /** A timer whose deadline has passed. */
        TIMER
    }

    /**
     * Puts a ready unit (a callback, or a task whose next step is due) into
     * the ready queue: appends it, the queue is a FIFO (SPEC S1). Every unit
     * passes through here, once. Baton holder.
     */
    default void enqueueReady(ArrayDeque<Object> ready, Object unit, ReadyCause cause) {
        ready.addLast(unit);
    }

    /** Runs one callback's code in the calling thread; the caller reports what it throws. Baton holder. */
    default void invokeCallback(Runnable fn) {
        fn.run();
    }

    /**
     * Schedules one done callback of a future that is done: queues it (so
     * FIFO), never runs it inline (SPEC F5). Baton holder.
     */
    default <T> void scheduleDoneCallback(RunLoop run, Future<T> future, Consumer<? super Future<T>> callback) {
        run.enqueue(new Handles.Callback(new Handles.DoneCallback<>(callback, future)), ReadyCause.DONE_CALLBACK);
    }

    /**
     * What {@link Future#await()} does: suspends the calling task until the
     * future is done unless it already is, then returns its result or throws
     * its outcome unchanged. On the awaiting task's thread.
     */
    default <T> T await(LoopFuture<T> future) {
        return future.awaitNow();
    }

    /** The key that orders timers with equal deadlines, given their scheduling sequence number. Baton holder. */
    default long timerTieBreaker(long sequence) {
        return sequence;
    }

    /**
     * Delivers the outcome of work done on another thread to the loop: sends
     * {@code delivery} as a thread-safe callback. Any thread.
     *
     * @throws IllegalStateException if the loop is closed (the outcome is dropped)
     */
    default void deliverFromThread(EventLoop loop, Runnable delivery) {
        loop.callSoonThreadsafe(delivery);
    }

    /** Throws {@link IllegalStateException} if the loop is closed; first in every call that gives it work. Any thread. */
    default void checkClosed(EventLoop loop) {
        if (loop.isClosed()) {
            throw new IllegalStateException("Event loop is closed");
        }
    }

    /** Reports what close() finds (a pending task, a never-retrieved exception). In the thread calling close. */
    default void reportAtClose(EventLoop loop, ErrorContext context) {
        loop.callExceptionHandler(context);
    }
}
