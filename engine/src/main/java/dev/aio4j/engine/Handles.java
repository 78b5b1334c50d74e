package dev.aio4j.engine;

import dev.aio4j.Context;
import dev.aio4j.Future;
import dev.aio4j.Handle;
import java.util.function.Consumer;

/** The units a loop's ready queue holds besides tasks: callbacks, and a detached strand's request to rejoin. */
final class Handles {
    private Handles() {}

    /** A scheduled callback: {@code callSoon}, a done callback, a thread-safe callback, a timer's (subclass). */
    static class Callback implements Handle {
        final Runnable fn;
        /** The context it runs in: the one current where it was scheduled (SPEC V3). */
        final Context context;
        /** false -> true, once. Written on the loop (or by any thread for a thread-safe handle); read by the loop. */
        volatile boolean cancelled;

        /** A callback that runs in the empty context (the engine's own, and done callbacks: see LoopFuture). */
        Callback(Runnable fn) {
            this(fn, Context.empty());
        }

        Callback(Runnable fn, Context context) {
            this.fn = fn;
            this.context = context;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public String toString() {
            return "Handle[" + fn + (cancelled ? ", cancelled" : "") + "]";
        }
    }

    /**
     * A done callback as the ready queue runs it: named by the callback, so that debug mode's
     * reports ("Executing callback ...", SPEC E6) say which one was slow.
     */
    record DoneCallback<T>(Consumer<? super Future<T>> callback, Future<T> future) implements Runnable {
        @Override
        public void run() {
            callback.accept(future);
        }

        @Override
        public String toString() {
            return callback.toString();
        }
    }

    /** A detached strand's request for the baton ({@link LoopHost#rejoin}); its fn releases the thread. */
    static final class Rejoin extends Callback {
        final Strand strand;

        Rejoin(Strand strand, Runnable release) {
            super(release);
            this.strand = strand;
        }
    }
}
