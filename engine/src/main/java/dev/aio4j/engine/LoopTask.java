package dev.aio4j.engine;

import dev.aio4j.CancelRequest;
import dev.aio4j.CancelledError;
import dev.aio4j.Context;
import dev.aio4j.Coroutine;
import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;

/** The task state machine shared by every backend. See {@link Task}. */
final class LoopTask<T> extends LoopFuture<T> implements Task<T> {
    /*
     * Overview: the body runs on the task's own strand (a virtual thread).
     * Everything below except `name` is touched only by the baton holder,
     * which during the body is this task's own strand.
     *
     * Cancellation follows asyncio's Task.cancel/__step: a request either
     * cancels the future the task waits on (which wakes it, and the await
     * throws), or sets mustCancel, delivered at the next step.
     */

    private static final AtomicLong COUNTER = new AtomicLong();

    final Coroutine<T> coroutine;
    final Strand strand;
    /** Its context: a snapshot of its creator's, then what its own steps set (SPEC V2). Baton holder. */
    Context context;
    /** Debug mode: the line that created it, as asyncio's debug mode shows (SPEC E11); else null. Set once. */
    StackTraceElement createdAt;
    /** Null until set: the default name is made on demand, not for every task created. */
    private volatile String name;
    private final long number;

    /** The future this task is suspended on, or null. */
    private LoopFuture<?> waitingOn;
    /** A cancellation requested but not yet delivered. */
    private boolean mustCancel;
    /** Message of the undelivered cancellation. */
    private String mustCancelMessage;
    /** Cancel requests not withdrawn by uncancel(), oldest first; null while there are none. */
    private ArrayList<CancelRequest> requests;
    /** debug mode: when the current step began. */
    long stepStartedNanos;

    LoopTask(EventLoop loop, Coroutine<T> coroutine, String name, Context context) {
        super(loop);
        this.context = context;
        this.coroutine = coroutine;
        this.name = name;
        this.number = name == null ? COUNTER.incrementAndGet() : 0;
        this.strand = new Strand(this);
    }

    @Override
    public String getName() {
        String n = name;
        return n != null ? n : "Task-" + number;
    }

    @Override
    public void setName(String name) {
        loop.checkThread("Task.setName()");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public void setResult(T result) {
        throw new UnsupportedOperationException("Task does not support setResult(); a task's result is what its coroutine returns");
    }

    @Override
    public void setException(Throwable exception) {
        throw new UnsupportedOperationException("Task does not support setException(); a task fails when its coroutine throws");
    }

    @Override
    public boolean cancel(String message) {
        loop.checkThread("Task.cancel()");
        LoopTask<?> caller = loop.run.currentTask;
        return cancel(message, caller != null ? caller : loop);
    }

    @Override
    public boolean cancel(String message, Object origin) {
        Objects.requireNonNull(origin, "origin");
        loop.checkThread("Task.cancel()");
        if (isDone()) {
            return false;
        }
        if (requests == null) {
            requests = new ArrayList<>(2);
        }
        requests.add(new CancelRequest(origin, message));
        LoopFuture<?> w = waitingOn;
        if (w != null && w.cancel(message)) {
            // The waiter's done callback wakes us; the await throws then.
            return true;
        }
        mustCancel = true;
        mustCancelMessage = message;
        return true;
    }

    @Override
    public int cancelling() {
        loop.checkThread("Task.cancelling()");
        return requests == null ? 0 : requests.size();
    }

    @Override
    public List<CancelRequest> cancelRequests() {
        loop.checkThread("Task.cancelRequests()");
        return pendingRequests();
    }

    /** The pending requests, for a CancelledError this task is about to see. */
    List<CancelRequest> pendingRequests() {
        return requests == null ? List.of() : List.copyOf(requests);
    }

    @Override
    public int uncancel() {
        loop.checkThread("Task.uncancel()");
        if (requests != null && !requests.isEmpty()) {
            withdraw(requests.size() - 1);
        }
        return cancelling();
    }

    @Override
    public boolean uncancel(Object origin) {
        Objects.requireNonNull(origin, "origin");
        loop.checkThread("Task.uncancel()");
        if (requests != null) {
            for (int i = requests.size() - 1; i >= 0; i--) {
                if (requests.get(i).origin() == origin) {
                    withdraw(i);
                    return true;
                }
            }
        }
        return false;
    }

    private void withdraw(int index) {
        requests.remove(index);
        if (requests.isEmpty()) {
            mustCancel = false; // asyncio 3.13: withdraw an undelivered request too
        }
    }

    /**
     * The frames of the body (SPEC T15): the thread's stack below the run
     * loop's frames (an await's suspend, or a callback this thread runs while
     * the task awaits) and above {@link #runBody}, without the engine's and
     * the JDK's frames on top. Any thread: the strand's thread is read without
     * the baton, and a stale read only gives an older snapshot.
     */
    @Override
    public StackTraceElement[] getStack() {
        Thread t = strand.thread;
        if (isDone() || t == null || !strand.started) {
            return new StackTraceElement[0];
        }
        StackTraceElement[] stack = t.getStackTrace();
        int bottom = stack.length;
        int top = 0;
        for (int i = 0; i < stack.length; i++) {
            StackTraceElement f = stack[i];
            if (f.getClassName().equals(RunLoop.class.getName()) && f.getMethodName().equals("suspend")) {
                top = i + 1; // the deepest suspend: what is above it is the loop running others meanwhile
            } else if (f.getClassName().equals(LoopTask.class.getName()) && f.getMethodName().equals("runBody")) {
                bottom = i;
                break;
            }
        }
        while (top < bottom && notTheBody(stack[top].getClassName())) {
            top++;
        }
        return java.util.Arrays.copyOfRange(stack, top, bottom);
    }

    private static boolean notTheBody(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.")
                || className.startsWith(LoopTask.class.getPackageName() + ".");
    }

    /** The body, run on this task's strand while it holds the baton. */
    void runBody() {
        if (mustCancel) {
            // Cancelled before its first step: none of the body runs (SPEC C2).
            mustCancel = false;
            complete(CANCELLED, null, mustCancelMessage);
            return;
        }
        T value;
        try {
            value = coroutine.call();
        } catch (Strand.Abandoned a) {
            throw a;
        } catch (Throwable t) {
            if (strand.abandoned) {
                // The loop closed while we were parked; whatever the body's finally blocks
                // threw on the way out must not touch the closed loop's state.
                throw Strand.Abandoned.INSTANCE;
            }
            if (t instanceof CancelledError || t instanceof CancellationException) {
                mustCancel = false;
                complete(CANCELLED, t, t.getMessage());
                return;
            }
            mustCancel = false; // a failure wins over an undelivered cancel, as in asyncio
            complete(EXCEPTION, t, null);
            if (t instanceof VirtualMachineError) {
                // Fatal: reported now, as a callback's is (the loop stops and runForever rethrows it).
                loop.callExceptionHandler(new ErrorContext("Fatal error in task " + getName(), t, this, null));
                loop.run.fatalCheck(t);
            }
            return;
        }
        if (mustCancel) {
            // Cancelled in the step that returned: the task ends cancelled, the value is lost (SPEC C5).
            mustCancel = false;
            complete(CANCELLED, null, mustCancelMessage);
            return;
        }
        complete(RESULT, value, null);
    }

    /** Suspends this task (running on its strand) until {@code f} is done. */
    void suspendOn(LoopFuture<?> f) {
        waitingOn = f;
        f.addWaiter(this);
        if (mustCancel && f.cancel(mustCancelMessage)) {
            mustCancel = false; // delivered through f
        }
        loop.run.suspend(this);
        waitingOn = null;
        if (f.isCancelled()) {
            mustCancel = false; // several requests collapse into one delivery
            return; // awaitNow() throws the CancelledError
        }
        deliverPendingCancel();
    }

    void deliverPendingCancel() {
        if (mustCancel) {
            mustCancel = false;
            throw new CancelledError(mustCancelMessage, null, pendingRequests());
        }
    }

    @Override
    public String toString() {
        StackTraceElement site = createdAt;
        return "Task[" + getName() + ", " + describeState() + (site != null ? ", created at " + site : "") + "]";
    }
}
