package dev.aio4j;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Timeout} of {@link AsyncIO#timeout}, {@link AsyncIO#timeoutAt}
 * and {@link AsyncIO#waitFor}: asyncio's {@code timeouts.Timeout}, with the
 * cancellation told apart by its origin (this scope) instead of by counting.
 * Loop-confined.
 */
final class TimeoutScope implements Timeout {
    /** ENTERED -> EXPIRING (the deadline cancelled the task) -> EXPIRED (body ended); ENTERED -> EXITED. */
    private enum State { ENTERED, EXPIRING, EXPIRED, EXITED }

    private final Task<?> task;
    private final Loop loop;
    /** The requests pending when the scope was entered: not new, so they do not stop a conversion. */
    private final List<CancelRequest> pendingAtEntry;
    private State state = State.ENTERED;
    private long when = Long.MAX_VALUE;
    /** The callback that cancels the task at the deadline; null if none is scheduled. */
    private Handle handler;

    private TimeoutScope(Task<?> task) {
        this.task = task;
        this.loop = task.loop();
        this.pendingAtEntry = task.cancelRequests();
    }

    /** Runs {@code body} in the current task with the deadline {@code deadline} ({@link Loop#time()} nanoseconds). */
    static <T> T run(String caller, long deadline, Body<T> body) throws TimeoutException {
        Objects.requireNonNull(body, "body");
        Task<?> task = AsyncIO.currentTask().orElseThrow(() -> new IllegalStateException(
                caller + " outside a task: a timeout cancels the task that runs its body"));
        TimeoutScope scope = new TimeoutScope(task);
        scope.reschedule(deadline);
        T value;
        try {
            value = body.call(scope);
        } catch (Throwable failure) {
            throw Sneaky.rethrow(scope.exit(failure));
        }
        scope.exit(null);
        return value;
    }

    /** The deadline {@code delay} from now on {@code loop}'s clock: a delay past the clock's range means none. */
    static long deadline(Loop loop, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        long now = loop.time();
        try {
            return Math.addExact(now, delay.toNanos());
        } catch (ArithmeticException tooFar) {
            return delay.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @Override
    public long when() {
        return when;
    }

    @Override
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    @Override
    public void reschedule(long deadlineNanos) {
        if (state != State.ENTERED) {
            throw new IllegalStateException(expired()
                    ? "Cannot reschedule a timeout that expired" : "Cannot reschedule a timeout whose body ended");
        }
        cancelHandler();
        when = deadlineNanos;
        if (deadlineNanos == Long.MAX_VALUE) {
            return;
        }
        // Compared, not subtracted: a deadline far in the past is due now (SPEC S17).
        handler = deadlineNanos <= loop.time() ? loop.callSoon(this::onDeadline) : loop.callAt(deadlineNanos, this::onDeadline);
    }

    private void onDeadline() {
        handler = null;
        state = State.EXPIRING;
        task.cancel(null, this);
    }

    private void cancelHandler() {
        if (handler != null) {
            handler.cancel();
            handler = null;
        }
    }

    /**
     * Ends the scope after its body returned ({@code failure} null) or threw
     * {@code failure}; returns what the caller must throw (null: return).
     */
    private Throwable exit(Throwable failure) throws TimeoutException {
        cancelHandler();
        if (state != State.EXPIRING) {
            state = State.EXITED;
            return failure;
        }
        state = State.EXPIRED;
        task.uncancel(this);
        if (failure == null || CancelRequest.newestOther(task, pendingAtEntry, this) != null) {
            return failure; // returned anyway (its value is kept), or the cancellation is someone else's too
        }
        TimeoutException timedOut = new TimeoutException("the timeout expired");
        if (failure instanceof CancelledError) {
            timedOut.initCause(failure);
            throw timedOut;
        }
        failure.addSuppressed(timedOut); // the body's own failure wins; the timeout is not lost
        return failure;
    }

    @Override
    public String toString() {
        return "Timeout[" + (when == Long.MAX_VALUE ? "no deadline" : "when=" + when) + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
}
