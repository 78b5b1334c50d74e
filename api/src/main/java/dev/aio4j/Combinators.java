package dev.aio4j;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * gather, wait, asCompleted and shield: asyncio's combinators (3.12+),
 * written once over the API for every backend. Loop-confined; see the
 * methods of {@link AsyncIO} for their contracts.
 */
final class Combinators {
    private Combinators() {}

    /** Copies the futures into {@code into}, checked: none null, all of one loop. Returns that loop (the running one if none). */
    private static <F extends Future<?>> Loop checkedLoop(String caller, Collection<? extends F> futures, List<F> into) {
        Objects.requireNonNull(futures, "futures");
        Loop loop = null;
        int i = 0;
        for (F f : futures) {
            if (f == null) {
                throw new NullPointerException(caller + ": futures[" + i + "] is null");
            }
            if (loop == null) {
                loop = f.loop();
            } else if (f.loop() != loop) {
                throw new IllegalArgumentException(caller + ": futures[" + i + "] belongs to another loop (" + f.loop()
                        + ") than futures[0] (" + loop + ")");
            }
            into.add(f);
            i++;
        }
        return loop != null ? loop : AsyncIO.currentLoop();
    }

    // ------------------------------------------------------------------ gather

    /**
     * gather: a future that completes once every child is done, as asyncio's
     * outer future (no task, so no thread of its own: a gather costs a future
     * and one callback per child). Not settled: the first child to fail (in
     * completion order) fails it, the others run on. Cancelling it, or the
     * task awaiting it, cancels every child not done, and it ends cancelled
     * once all are done, settled or not (CPython gh-76865).
     */
    static <T, R> Future<List<R>> gather(String caller, Collection<? extends Future<? extends T>> futures,
            boolean settled) {
        List<Future<? extends T>> children = new ArrayList<>();
        Loop loop = checkedLoop(caller, futures, children);
        if (children.isEmpty()) {
            Future<List<R>> empty = loop.createFuture();
            empty.setResult(List.of());
            return empty;
        }
        return new Gathering<T, R>(loop, children, settled).outer;
    }

    private static final class Gathering<T, R> {
        private final List<Future<? extends T>> children;
        private final boolean settled;
        /** Its cancellation is decided by {@link #onCancel}. */
        final Future<List<R>> outer;
        /** Children done so far (each occurrence of a future given twice counts). */
        private int done;
        /** Someone cancelled the gather: it ends cancelled, with this message, once every child is done. */
        private boolean cancelRequested;
        private String cancelMessage;
        /** The gather is cancelling itself: {@link #onCancel} lets that through. */
        private boolean ending;

        Gathering(Loop loop, List<Future<? extends T>> children, boolean settled) {
            this.children = children;
            this.settled = settled;
            this.outer = loop.createFuture(this::onCancel);
            Consumer<Future<? extends T>> onDone = this::childDone;
            for (Future<? extends T> c : children) {
                addCallback(c, onDone);
            }
        }

        /**
         * A cancel of the gather (or of the task awaiting it): cancels every
         * child not done and keeps the gather pending until all are; if none
         * could be cancelled (all done, their callbacks not yet run), it is
         * cancelled at once.
         */
        private boolean onCancel(String message) {
            if (ending) {
                return false;
            }
            boolean any = false;
            for (Future<? extends T> c : children) {
                any |= c.cancel(message);
            }
            if (any && !cancelRequested) {
                cancelRequested = true;
                cancelMessage = message;
            }
            return any;
        }

        @SuppressWarnings("unchecked")
        private static <T> void addCallback(Future<? extends T> c, Consumer<Future<? extends T>> onDone) {
            ((Future<T>) c).addDoneCallback((Consumer<Future<T>>) (Consumer<?>) onDone);
        }

        private void childDone(Future<? extends T> c) {
            done++;
            // Read every failure (retrieved, as asyncio's gather reads each child's exception).
            boolean cancelled = c.isCancelled();
            Throwable failure = cancelled ? null : c.exception();
            if (outer.isDone()) {
                return;
            }
            boolean all = done == children.size();
            if (cancelRequested) {
                if (all) {
                    endCancelled(cancelMessage); // even if a child swallowed its cancellation (SPEC G13)
                }
            } else if (!settled && cancelled) {
                endCancelled(cancelMessage(c)); // a cancelled child cancels the gather, with its message (SPEC G4)
            } else if (!settled && failure != null) {
                outer.setException(failure); // the first failure; the others run on
            } else if (all) {
                outer.setResult(results());
            }
        }

        private void endCancelled(String message) {
            ending = true;
            outer.cancel(message);
        }

        private static String cancelMessage(Future<?> cancelled) {
            try {
                cancelled.exception();
            } catch (CancellationException e) {
                return e.getMessage();
            }
            throw new AssertionError("a cancelled future's exception() returned");
        }

        @SuppressWarnings("unchecked")
        private List<R> results() {
            Object[] out = new Object[children.size()];
            for (int i = 0; i < out.length; i++) {
                Future<? extends T> c = children.get(i);
                out[i] = settled ? Outcome.of(c) : c.result();
            }
            return (List<R>) Collections.unmodifiableList(Arrays.asList(out));
        }
    }

    // ------------------------------------------------------------------ wait

    static <F extends Future<?>> Done<F> wait(Collection<F> futures, ReturnWhen when, Duration timeout) {
        Objects.requireNonNull(when, "when");
        List<F> fs = new ArrayList<>();
        Loop loop = checkedLoop("wait()", futures, fs);
        if (fs.isEmpty()) {
            throw new IllegalArgumentException("wait(): no futures to wait for (asyncio raises ValueError too)");
        }
        if (AsyncIO.currentTask().isEmpty()) {
            throw new IllegalStateException("wait() outside a task: it suspends the task that calls it");
        }
        if (!satisfied(fs, when)) {
            Future<Void> waiter = loop.createFuture();
            Consumer<Future<?>> release = f -> {
                if (!waiter.isDone() && satisfied(fs, when)) {
                    waiter.setResult(null);
                }
            };
            for (F f : fs) {
                if (!f.isDone()) {
                    addAny(f, release);
                }
            }
            Handle deadline = timeout == null ? null : loop.callLater(nonNegative(timeout), () -> {
                if (!waiter.isDone()) {
                    waiter.setResult(null);
                }
            });
            try {
                waiter.await();
            } finally {
                if (deadline != null) {
                    deadline.cancel();
                }
                for (F f : fs) {
                    removeAny(f, release);
                }
            }
        }
        Set<F> done = new LinkedHashSet<>();
        Set<F> pending = new LinkedHashSet<>();
        for (F f : fs) {
            (f.isDone() ? done : pending).add(f);
        }
        return new Done<>(done, pending);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static boolean satisfied(List<? extends Future<?>> fs, ReturnWhen when) {
        boolean all = true;
        for (Future<?> f : fs) {
            if (!f.isDone()) {
                all = false;
            } else if (when == ReturnWhen.FIRST_COMPLETED) {
                return true;
            } else if (when == ReturnWhen.FIRST_EXCEPTION && !f.isCancelled() && f.exception() != null) {
                return true;
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static void addAny(Future<?> f, Consumer<Future<?>> cb) {
        ((Future<Object>) f).addDoneCallback((Consumer<Future<Object>>) (Consumer<?>) cb);
    }

    @SuppressWarnings("unchecked")
    private static void removeAny(Future<?> f, Consumer<Future<?>> cb) {
        ((Future<Object>) f).removeDoneCallback((Consumer<Future<Object>>) (Consumer<?>) cb);
    }

    // ------------------------------------------------------------------ asCompleted

    static <F extends Future<?>> AsCompleted<F> asCompleted(Collection<F> futures, Duration timeout) {
        List<F> fs = new ArrayList<>();
        Loop loop = checkedLoop("asCompleted()", futures, fs);
        return new Completions<>(loop, fs, timeout);
    }

    private static final class Completions<F extends Future<?>> implements AsCompleted<F> {
        private final Loop loop;
        private final ArrayDeque<F> ready = new ArrayDeque<>();
        private int remaining;
        private boolean timedOut;
        private Future<Void> waiter;
        private final Handle deadline;

        Completions(Loop loop, List<F> fs, Duration timeout) {
            this.loop = loop;
            this.remaining = fs.size();
            for (F f : fs) {
                addAny(f, x -> {
                    @SuppressWarnings("unchecked")
                    F done = (F) x;
                    ready.add(done);
                    wake();
                });
            }
            this.deadline = timeout == null || fs.isEmpty() ? null : loop.callLater(nonNegative(timeout), () -> {
                timedOut = true;
                wake();
            });
        }

        private void wake() {
            if (waiter != null && !waiter.isDone()) {
                waiter.setResult(null);
            }
        }

        @Override
        public boolean hasNext() {
            return remaining > 0;
        }

        @Override
        public F next() throws TimeoutException {
            if (remaining == 0) {
                throw new NoSuchElementException("asCompleted(): every future was returned");
            }
            while (ready.isEmpty()) {
                if (timedOut) {
                    throw new TimeoutException("asCompleted(): the timeout expired with " + remaining + " futures pending");
                }
                waiter = loop.createFuture();
                waiter.await();
            }
            remaining--;
            if (remaining == 0 && deadline != null) {
                deadline.cancel();
            }
            return ready.poll();
        }
    }

    // ------------------------------------------------------------------ shield

    static <T> Future<T> shield(Future<T> inner) {
        Objects.requireNonNull(inner, "future");
        if (inner.isDone()) {
            return inner;
        }
        Future<T> outer = inner.loop().createFuture();
        Consumer<Future<T>> copy = i -> {
            if (outer.isCancelled()) {
                return;
            }
            if (i.isCancelled()) {
                outer.cancel();
            } else if (i.exception() != null) {
                outer.setException(i.exception());
            } else {
                outer.setResult(i.result());
            }
        };
        inner.addDoneCallback(copy);
        outer.addDoneCallback(o -> {
            if (!inner.isDone()) {
                inner.removeDoneCallback(copy); // the inner's outcome stays its own: a failure nobody awaits is reported
            }
        });
        return outer;
    }
}
