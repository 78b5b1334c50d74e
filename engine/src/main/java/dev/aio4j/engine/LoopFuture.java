package dev.aio4j.engine;

import dev.aio4j.CancelledError;
import dev.aio4j.Context;
import dev.aio4j.Future;
import dev.aio4j.InvalidStateException;
import dev.aio4j.Loop;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The future state machine shared by every backend. See {@link Future} for
 * the contract.
 */
class LoopFuture<T> implements Future<T> {
    /*
     * Overview: all mutation happens on the loop (checked by loop.checkThread),
     * so no locks are needed for the callbacks list. `state` is volatile so
     * that isDone()/isCancelled() and the CompletableFuture view work from any
     * thread: `outcome` is written before the volatile write of `state` and
     * read after a volatile read of it.
     */

    static final int PENDING = 0;
    static final int RESULT = 1;
    static final int EXCEPTION = 2;
    static final int CANCELLED = 3;

    final EventLoop loop;

    /**
     * PENDING -> RESULT | EXCEPTION | CANCELLED, once. Written on the loop only;
     * read from any thread.
     */
    private volatile int state;

    /** RESULT: the value; EXCEPTION: the Throwable; CANCELLED: the cause (the CancelledError or CancellationException a task's body let out) or null. */
    private Object outcome;

    /** Cancel message (CANCELLED only). Written before state. */
    private String cancelMessage;

    /** null, a single entry, or an ArrayList of entries: a Consumer or a LoopTask to wake. Loop only. */
    private Object callbacks;

    /** Whether result()/exception()/await() observed the outcome. Loop only. */
    boolean retrieved;

    /**
     * The thread-safe view, created on demand under synchronized(this).
     * Volatile so that complete() reads it without the lock: complete() writes
     * state then reads view, toCompletableFuture() writes view then reads
     * state, so at least one of them completes the view (twice is harmless).
     */
    private volatile CompletableFuture<T> view;

    LoopFuture(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public final Loop loop() {
        return loop;
    }

    @Override
    public final boolean isDone() {
        return state != PENDING;
    }

    @Override
    public final boolean isCancelled() {
        return state == CANCELLED;
    }

    final int state() {
        return state;
    }

    @Override
    public T result() {
        loop.checkThread("Future.result()");
        return resultNow();
    }

    /** The outcome as await() delivers it. Loop only, future done. */
    @SuppressWarnings("unchecked")
    final T resultNow() {
        int s = state;
        switch (s) {
            case RESULT -> {
                retrieved = true;
                return (T) outcome;
            }
            case EXCEPTION -> {
                retrieved = true;
                loop.errors.retrieved(this);
                throw Sneaky.rethrow((Throwable) outcome);
            }
            case CANCELLED -> throw newCancellation();
            default -> throw new InvalidStateException("Result is not ready: the future is pending");
        }
    }

    /** A fresh CancellationException with the cancel message and the original cause. */
    final CancellationException newCancellation() {
        CancellationException e = new CancellationException(cancelMessage);
        if (outcome instanceof Throwable cause) {
            e.initCause(cause);
        }
        return e;
    }

    /** The exception of a future that failed, without marking it retrieved. */
    final Throwable outcomeException() {
        return state == EXCEPTION ? (Throwable) outcome : null;
    }

    @Override
    public Throwable exception() {
        loop.checkThread("Future.exception()");
        switch (state) {
            case RESULT -> {
                retrieved = true;
                return null;
            }
            case EXCEPTION -> {
                retrieved = true;
                loop.errors.retrieved(this);
                return (Throwable) outcome;
            }
            case CANCELLED -> throw newCancellation();
            default -> throw new InvalidStateException("Exception is not set: the future is pending");
        }
    }

    @Override
    public void setResult(T result) {
        loop.checkThread("Future.setResult()");
        if (state != PENDING) {
            throw new InvalidStateException("setResult on a done future (" + describeState() + ")");
        }
        complete(RESULT, result, null);
    }

    @Override
    public void setException(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        loop.checkThread("Future.setException()");
        if (exception instanceof CancellationException) {
            throw new IllegalArgumentException("setException(CancellationException): use cancel(message) to cancel a future");
        }
        if (state != PENDING) {
            throw new InvalidStateException("setException on a done future (" + describeState() + ")");
        }
        complete(EXCEPTION, exception, null);
    }

    @Override
    public boolean cancel(String message) {
        loop.checkThread("Future.cancel()");
        if (state != PENDING) {
            return false;
        }
        complete(CANCELLED, null, message);
        return true;
    }

    /** The single transition out of PENDING. Loop only. */
    final void complete(int newState, Object value, String message) {
        outcome = value;
        cancelMessage = message;
        state = newState; // publishes outcome and message
        if (newState == EXCEPTION) {
            loop.errors.failed(this);
        }
        Object cbs = callbacks;
        callbacks = null;
        if (cbs instanceof ArrayList<?> list) {
            for (Object cb : list) {
                schedule(cb);
            }
        } else if (cbs != null) {
            schedule(cbs);
        }
        CompletableFuture<T> v = view; // no lock: after the volatile write of state (see toCompletableFuture)
        if (v != null) {
            completeView(v);
        }
    }

    @SuppressWarnings("unchecked")
    private void schedule(Object cb) {
        if (cb instanceof LoopTask<?> waiter) {
            loop.scheduleStep(waiter);
        } else {
            loop.scheduleDoneCallback(this, (Consumer<? super Future<T>>) cb);
        }
    }

    @Override
    public void addDoneCallback(Consumer<? super Future<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        loop.checkThread("Future.addDoneCallback()");
        Context context = loop.run.capture();
        if (context != Context.empty()) {
            callback = new InContext<>(callback, context); // runs where it was added (SPEC V4); none to keep: as it is
        }
        if (state != PENDING) {
            loop.scheduleDoneCallback(this, callback);
        } else {
            addEntry(callback);
        }
    }

    /** Registers a task to wake (its step is scheduled) when this future is done. Loop only, pending. */
    final void addWaiter(LoopTask<?> task) {
        addEntry(task);
    }

    @SuppressWarnings("unchecked")
    private void addEntry(Object entry) {
        Object cbs = callbacks;
        if (cbs == null) {
            callbacks = entry;
        } else if (cbs instanceof ArrayList<?> list) {
            ((ArrayList<Object>) list).add(entry);
        } else {
            ArrayList<Object> list = new ArrayList<>(4);
            list.add(cbs);
            list.add(entry);
            callbacks = list;
        }
    }

    @Override
    public int removeDoneCallback(Consumer<? super Future<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        loop.checkThread("Future.removeDoneCallback()");
        Object cbs = callbacks;
        if (cbs == null) {
            return 0;
        }
        if (cbs instanceof ArrayList<?> list) {
            int before = list.size();
            list.removeIf(e -> InContext.unwrap(e).equals(callback));
            return before - list.size();
        }
        if (InContext.unwrap(cbs).equals(callback)) {
            callbacks = null;
            return 1;
        }
        return 0;
    }

    @Override
    public T await() {
        return loop.seams.await(this);
    }

    /** The engine's await (the default of {@link Seams#await}). On the awaiting task's strand. */
    final T awaitNow() {
        LoopTask<?> task = loop.awaitingTask(this);
        if (state == PENDING) {
            if (this == task) {
                throw new IllegalStateException("Task " + task.getName() + " cannot await itself");
            }
            task.suspendOn(this);
        }
        if (state == CANCELLED) {
            // At an await the cancellation spreads to the awaiting task. It names who asked that task, if anyone
            // did, else who asked the task it awaited (the cause), so that its text says who cancelled what.
            Throwable cause = outcome instanceof Throwable t ? t : null;
            var requests = task.pendingRequests();
            if (requests.isEmpty() && cause instanceof CancelledError awaitedTaskCancelled) {
                requests = awaitedTaskCancelled.requests();
            }
            throw new CancelledError(cancelMessage, cause, requests);
        }
        return resultNow();
    }

    @Override
    public final CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> v;
        boolean created = false;
        synchronized (this) {
            v = view;
            if (v == null) {
                v = view = new CompletableFuture<>();
                created = true;
            }
        }
        if (created) {
            if (state != PENDING) {
                completeView(v);
            } else {
                loop.bridge.watch(v); // failed if the loop closes first: a thread blocked in get() must not wait for ever
            }
            v.whenComplete((r, e) -> {
                if (e instanceof CancellationException && state == PENDING) {
                    loop.bridge.cancelFromAnyThread(this);
                }
            });
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private void completeView(CompletableFuture<T> v) {
        switch (state) {
            case RESULT -> v.complete((T) outcome);
            case EXCEPTION -> v.completeExceptionally((Throwable) outcome);
            case CANCELLED -> v.completeExceptionally(newCancellation());
            default -> throw new AssertionError("pending");
        }
    }

    final String describeState() {
        return switch (state) {
            case PENDING -> "pending";
            case RESULT -> "finished with a result";
            case EXCEPTION -> "finished with " + outcome;
            default -> "cancelled";
        };
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + describeState() + "]";
    }

    /**
     * A future whose cancellation its creator decides ({@code Loop.createFuture(onCancel)},
     * SPEC F18): a pending one asks {@code onCancel} first, and is cancelled
     * only if that lets the request through. A subclass, not a field, so that
     * other futures carry nothing for it.
     */
    static final class CreatorCancelled<T> extends LoopFuture<T> {
        private final Predicate<String> onCancel;

        CreatorCancelled(EventLoop loop, Predicate<String> onCancel) {
            super(loop);
            this.onCancel = onCancel;
        }

        @Override
        public boolean cancel(String message) {
            loop.checkThread("Future.cancel()");
            if (isDone()) {
                return false;
            }
            return onCancel.test(message) || super.cancel(message);
        }

        @Override
        public String toString() {
            return "LoopFuture[" + describeState() + ", its cancellation decided by its creator]";
        }
    }

    /** A done callback with the context it was added in, which it runs in (SPEC V4). */
    private record InContext<T>(Consumer<? super Future<T>> callback, Context context) implements Consumer<Future<T>> {
        @Override
        public void accept(Future<T> f) {
            context.run(() -> {
                callback.accept(f);
                return null;
            });
        }

        static Object unwrap(Object entry) {
            return entry instanceof InContext<?> c ? c.callback : entry;
        }

        @Override
        public String toString() {
            return callback.toString();
        }
    }
}
