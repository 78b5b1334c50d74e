package dev.aio4j.sync;

import dev.aio4j.AsyncIO;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import dev.aio4j.spi.CurrentLoop;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The loop a primitive is bound to: the first loop that uses it (asyncio's
 * {@code _LoopBoundMixin}, checked on every call rather than only when a
 * task has to wait, so that a misuse fails at once and the same way every
 * time).
 *
 * <p>State: UNBOUND ({@code loop} null) -> BOUND (the first call on a running
 * loop sets it, once, by compare-and-set); never unbound again.
 *
 * <p>Threads: {@link #check} may be called from any thread: it throws unless
 * the caller runs on the bound loop, so that every other field of a
 * primitive is read and written only on that loop, one step at a time.
 */
final class LoopBinding {
    /** UNBOUND (null) -> BOUND: set once, by the first call made on a running loop. */
    private final AtomicReference<Loop> loop = new AtomicReference<>();

    LoopBinding() {}

    /**
     * The loop the caller runs on, binding the primitive to it if it is the
     * first.
     *
     * @param operation the call, for the message ("Lock.acquire()")
     * @throws WrongThreadException if the caller runs no event loop
     * @throws IllegalStateException if the primitive is bound to another loop
     */
    Loop check(String operation) {
        Loop current = CurrentLoop.loop();
        String type = operation.substring(0, Math.max(0, operation.indexOf('.')));
        if (current == null) {
            throw new WrongThreadException(operation + " called from " + Thread.currentThread()
                    + ", which runs no event loop: a " + type + " is used only on the loop of its tasks"
                    + " (from another thread, go through loop.callSoonThreadsafe or loop.runCoroutineThreadsafe)");
        }
        Loop bound = loop.get();
        if (bound == null) {
            if (loop.compareAndSet(null, current)) {
                return current;
            }
            bound = loop.get();
        }
        if (bound != current) {
            throw new IllegalStateException(operation + " called on loop " + describe(current) + ", but this "
                    + type + " is bound to loop " + describe(bound)
                    + " (the first loop that used it): a primitive serves the tasks of one loop only");
        }
        return current;
    }

    /**
     * {@link #check}, and the calling task: for the operations that may
     * suspend.
     *
     * @throws IllegalStateException also if the caller is a callback, not a task
     */
    Loop checkTask(String operation) {
        Loop l = check(operation);
        Task<?> t = AsyncIO.currentTask().orElse(null);
        if (t == null) {
            throw new IllegalStateException(operation
                    + " outside a task: it may suspend the calling task, and a callback cannot be suspended"
                    + " (create a task for it, or use the non-suspending form)");
        }
        return l;
    }

    /** A loop's toString with its identity, so that two loops of the same name tell apart in a message. */
    static String describe(Loop loop) {
        return loop + "@" + Integer.toHexString(System.identityHashCode(loop));
    }
}
