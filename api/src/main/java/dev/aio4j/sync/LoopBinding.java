package dev.aio4j.sync;

import dev.aio4j.Loop;
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
     * first. The message of a refusal is made only when it is thrown: this
     * runs on every call of every primitive.
     *
     * @param type the primitive's type, for the message ("Lock")
     * @param method the call, for the message ("acquire()")
     * @throws WrongThreadException if the caller runs no event loop
     * @throws IllegalStateException if the primitive is bound to another loop
     */
    Loop check(String type, String method) {
        return checked(type, method).loop();
    }

    /**
     * {@link #check}, and the calling task: for the operations that may
     * suspend.
     *
     * @param type the primitive's type, for the message ("Lock")
     * @param method the call, for the message ("acquire()")
     * @throws IllegalStateException also if the caller is a callback, not a task
     */
    Loop checkTask(String type, String method) {
        CurrentLoop.Binding b = checked(type, method);
        if (b.runningTask() == null) {
            throw new IllegalStateException(type + "." + method
                    + " outside a task: it may suspend the calling task, and a callback cannot be suspended"
                    + " (create a task for it, or use the non-suspending form)");
        }
        return b.loop();
    }

    /** The caller's binding, once {@link #check}'s conditions hold (one thread-local read for both checks). */
    private CurrentLoop.Binding checked(String type, String method) {
        CurrentLoop.Binding b = CurrentLoop.binding();
        Loop current = b != null ? b.loop() : null;
        if (current == null) {
            throw new WrongThreadException(type + "." + method + " called from " + Thread.currentThread()
                    + ", which runs no event loop: a " + type + " is used only on the loop of its tasks"
                    + " (from another thread, go through loop.callSoonThreadsafe or loop.runCoroutineThreadsafe)");
        }
        Loop bound = loop.get();
        if (bound == null) {
            if (loop.compareAndSet(null, current)) {
                return b;
            }
            bound = loop.get();
        }
        if (bound != current) {
            throw new IllegalStateException(type + "." + method + " called on loop " + describe(current)
                    + ", but this " + type + " is bound to loop " + describe(bound)
                    + " (the first loop that used it): a primitive serves the tasks of one loop only");
        }
        return b;
    }

    /** A loop's toString with its identity, so that two loops of the same name tell apart in a message. */
    static String describe(Loop loop) {
        return loop + "@" + Integer.toHexString(System.identityHashCode(loop));
    }
}
