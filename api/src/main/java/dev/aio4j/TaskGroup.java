package dev.aio4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Structured concurrency for a part of a task: asyncio's {@code TaskGroup}
 * (3.11, with the fixes of 3.12 to 3.15), in the lambda form:
 *
 * <pre>{@code
 * List<Page> pages = TaskGroup.run(tg -> {
 *     Task<Page> a = tg.createTask(() -> fetch(urlA));
 *     Task<Page> b = tg.createTask(() -> fetch(urlB));
 *     return null;                    // run() waits for every child here
 * }) ... // then a.result(), b.result()
 * }</pre>
 *
 * <p>{@link #run} runs the body in the calling task (the group's
 * <em>parent</em>) and returns only when every child is done. The first
 * child to fail cancels the other children and the body (at its next
 * await); once all are done, {@code run} throws a
 * {@link TaskGroupException} listing every failure, children's in the order
 * they happened and the body's own last. A cancellation of the parent by
 * anyone else cancels the children, waits for them, and propagates as a
 * {@link CancelledError}, unless a child failed: then the group exception
 * is thrown and the cancellation is delivered again at the parent's next
 * await. {@link #cancel()} ends the group early without an error.
 *
 * <p>The group tells its own cancellations from others by their origin (it
 * is the origin of its {@link CancelRequest}s), so that nested groups and
 * timeouts never take one another's cancellation (CPython gh-95289,
 * gh-116720, gh-155433).
 *
 * <p>Threads: the parent's loop only.
 */
public final class TaskGroup {
    private final Task<?> parent;
    private final Loop loop;
    /** Requests pending on the parent when the group began: not new. */
    private final List<CancelRequest> pendingAtEntry;
    /** Children not done, in creation order. */
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    /** Children's failures in the order they happened. */
    private final List<Throwable> errors = new ArrayList<>();
    private Throwable fatal;
    /** The children are being cancelled: no new child may start. */
    private boolean aborting;
    /** The group asked to cancel its parent (a child failed, or cancel()). */
    private boolean parentCancelRequested;
    /** The body ended: the group only waits for its children now. */
    private boolean exiting;
    private boolean exited;
    /** Completed when the last child is done, while exit() waits. */
    private Future<Void> allDone;

    private TaskGroup(Task<?> parent) {
        this.parent = parent;
        this.loop = parent.loop();
        this.pendingAtEntry = parent.cancelRequests();
    }

    /**
     * The body of a group: gets the group to create children in.
     *
     * @param <T> the body's result type
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Runs the body in the group's task.
         *
         * @param group the group, to create children in
         * @return the body's result, which {@link TaskGroup#run} returns
         * @throws Exception to fail the group: the children are cancelled
         */
        T call(TaskGroup group) throws Exception;
    }

    /**
     * Runs {@code body} with a new group in the calling task, waits for
     * every child, and returns the body's value (null if the body was cut
     * short by {@link #cancel()}).
     *
     * @param <T> the body's result type
     * @param body the body, given the group
     * @return what the body returned, once every child is done
     * @throws TaskGroupException if a child or the body failed
     * @throws CancelledError if the calling task was cancelled by anyone else and nothing failed
     * @throws IllegalStateException outside a task
     * @throws NullPointerException if {@code body} is null
     */
    public static <T> T run(Body<T> body) {
        Objects.requireNonNull(body, "body");
        Task<?> parent = AsyncIO.currentTask().orElseThrow(() -> new IllegalStateException(
                "TaskGroup.run() outside a task: the group's body runs in the task that calls it"));
        TaskGroup group = new TaskGroup(parent);
        T value = null;
        Throwable failure = null;
        try {
            value = body.call(group);
        } catch (Throwable t) {
            failure = t;
        }
        return group.exit(value, failure);
    }

    /**
     * Creates a child task running {@code coroutine}. It starts lazily, as
     * any task does, and is already registered, so that nothing it does can
     * escape the group.
     *
     * @param <T> the result type
     * @param coroutine the child's body
     * @return the child, scheduled
     * @throws IllegalStateException if the group is finished or shutting down (no task is created)
     * @throws NullPointerException if {@code coroutine} is null
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    /**
     * {@link #createTask(Coroutine)} with a task name (null for the default).
     *
     * @param <T> the result type
     * @param coroutine the child's body
     * @param name the child's name, or null
     * @return the child, scheduled
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        Objects.requireNonNull(coroutine, "coroutine");
        if (exited || (exiting && tasks.isEmpty())) {
            throw new IllegalStateException("TaskGroup is finished: no task can join it");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup is shutting down: no task can join it");
        }
        Task<T> t = name == null ? loop.createTask(coroutine) : loop.createTask(coroutine, name);
        tasks.add(t);
        t.addDoneCallback(this::childDone);
        return t;
    }

    /**
     * Ends the group early, without an error (asyncio 3.15): cancels every
     * child and the body (at its next await); {@link #run} then returns
     * normally once the children are done. Idempotent; nothing once the
     * group is over.
     */
    public void cancel() {
        if (exited) {
            return;
        }
        abort();
        cancelParent();
    }

    /**
     * The children not done yet, in creation order; a snapshot.
     *
     * @return the children not done
     */
    public Set<Task<?>> tasks() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(tasks));
    }

    private void abort() {
        aborting = true;
        for (Task<?> t : tasks) {
            if (!t.isDone()) {
                t.cancel(null, this);
            }
        }
    }

    private void cancelParent() {
        if (!parentCancelRequested) {
            parentCancelRequested = true;
            parent.cancel(null, this);
        }
    }

    private void childDone(Future<?> child) {
        tasks.remove(child);
        if (allDone != null && tasks.isEmpty() && !allDone.isDone()) {
            allDone.setResult(null);
        }
        if (child.isCancelled()) {
            return;
        }
        Throwable e = child.exception();
        if (e == null) {
            return;
        }
        errors.add(e);
        if (e instanceof VirtualMachineError && fatal == null) {
            fatal = e;
        }
        if (!aborting && !parentCancelRequested) {
            abort();
            cancelParent();
        }
    }

    private <T> T exit(T value, Throwable failure) {
        exiting = true;
        if (failure instanceof VirtualMachineError && fatal == null) {
            fatal = failure;
        }
        if (failure != null && !aborting) {
            abort();
        }
        while (!tasks.isEmpty()) {
            allDone = loop.createFuture();
            try {
                allDone.await();
            } catch (CancelledError e) {
                if (failure == null) {
                    failure = e;
                }
                if (!aborting) {
                    abort();
                }
            }
        }
        allDone = null;
        exited = true;
        if (parentCancelRequested) {
            parent.uncancel(this); // exactly once (CPython gh-95289)
        }
        CancelRequest outside = CancelRequest.newestOther(parent, pendingAtEntry, this);
        if (fatal != null) {
            for (Throwable e : errors) {
                if (e != fatal) {
                    loop.callExceptionHandler(new ErrorContext("TaskGroup: a child's error, reported because a fatal "
                            + "error ends the group", e, parent, null));
                }
            }
            throw Sneaky.rethrow(fatal);
        }
        if (failure != null && !(failure instanceof CancelledError)) {
            errors.add(failure); // the body's own failure comes last
        }
        if (!errors.isEmpty()) {
            if (outside != null) {
                // Someone else's cancellation is still pending: deliver it again at the parent's next await
                // (CPython gh-116720), keeping the count as it is.
                parent.uncancel(outside.origin());
                parent.cancel(outside.message(), outside.origin());
            }
            throw new TaskGroupException(errors);
        }
        if (failure instanceof CancelledError cancelled) {
            if (outside == null && parentCancelRequested) {
                return null; // our own cancellation (cancel()): swallowed
            }
            throw cancelled;
        }
        return value;
    }

    @Override
    public String toString() {
        return "TaskGroup[" + tasks.size() + " tasks" + (aborting ? ", shutting down" : "") + (exited ? ", finished" : "") + "]";
    }
}
