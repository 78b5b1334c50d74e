package dev.aio4j;

import dev.aio4j.spi.CurrentLoop;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

/**
 * The static entry points of asyncio's module level: run a program, sleep,
 * find the running loop and task. Everything here except {@link #run} MUST be
 * called on a running loop; the await points ({@code sleep}, {@code sleep0})
 * only inside a task.
 */
public final class AsyncIO {
    private AsyncIO() {}

    /**
     * Runs {@code main} on a new loop of the chosen backend ({@link Loops#open()})
     * and returns its result: asyncio.run, as a {@link Runner} with
     * {@link Runner.Options#defaults()} used once. Then cancels every task
     * still pending and waits (within the grace) for their cleanup, reports
     * what failed, shuts the default executor down and closes the loop, also
     * when {@code main} failed.
     *
     * <p>Ctrl-C (SIGINT) or SIGTERM while it runs cancels {@code main}; once
     * it and the rest are cleaned up as above, the JVM exits as the signal
     * would have made it exit (status 130 or 143, shutdown hooks run; this
     * method does not return), as Python ends after {@code KeyboardInterrupt}.
     * A second signal ends it at once. To handle the interruption yourself,
     * use a {@link Runner}.
     *
     * @param <T> the result type
     * @param main the program's main task body
     * @return its result
     * @throws IllegalStateException if called from a running loop
     */
    public static <T> T run(Coroutine<T> main) {
        Objects.requireNonNull(main, "main");
        if (CurrentLoop.loop() != null) {
            throw new IllegalStateException("AsyncIO.run() cannot be called from a running event loop");
        }
        SignalInterrupt interrupted;
        try (Runner runner = new Runner()) {
            return runner.run(main);
        } catch (SignalInterrupt e) {
            interrupted = e; // the runner is closed: everything is cleaned up
        }
        if (Signals.exiting()) {
            // The shutdown-hook fallback interrupted the run: the JVM is exiting already (exit would block here).
            throw interrupted;
        }
        // What the JVM does on SIGINT or SIGTERM without a handler (its Terminator): exit with 128 + the signal number.
        Runtime.getRuntime().exit(interrupted.exitCode());
        throw interrupted; // not reached: exit does not return
    }

    /**
     * As {@link #run(Coroutine)} on a given loop, which it closes; signals are
     * not handled (the caller owns the loop, and its process).
     *
     * @param <T> the result type
     * @param loop the loop to run on (closed afterwards)
     * @param main the program's main task body
     * @return its result
     */
    public static <T> T run(Loop loop, Coroutine<T> main) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(main, "main");
        try (Runner runner = new Runner(loop, Runner.Options.defaults().withHandleSignals(false))) {
            return runner.run(main);
        }
    }

    /**
     * The loop running in this thread. @throws IllegalStateException if none
     *
     * @return the loop
     */
    public static Loop currentLoop() {
        Loop l = CurrentLoop.loop();
        if (l == null) {
            throw new IllegalStateException("no running event loop in " + Thread.currentThread());
        }
        return l;
    }

    /**
     * The task running now, if any (empty in a callback or outside a loop).
     *
     * @return the task, or empty in a callback
     */
    public static Optional<Task<?>> currentTask() {
        CurrentLoop.Binding b = CurrentLoop.binding();
        return Optional.ofNullable(b != null ? b.runningTask() : null);
    }

    /**
     * The running loop's tasks that are not done.
     *
     * @return a snapshot
     */
    public static Set<Task<?>> allTasks() {
        return currentLoop().allTasks();
    }

    /**
     * {@code currentLoop().createTask(coroutine)}.
     *
     * @param <T> the result type
     * @param coroutine the task's body
     * @return the task, scheduled
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine) {
        return currentLoop().createTask(coroutine);
    }

    /**
     * {@code currentLoop().createTask(coroutine, name)}: asyncio's {@code create_task(coro, name=...)}.
     *
     * @param <T> the result type
     * @param coroutine the task's body
     * @param name the task's name
     * @return the task, scheduled
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return currentLoop().createTask(coroutine, name);
    }

    /**
     * Suspends the calling task for {@code delay} (a timer of the loop); zero
     * or negative delays yield one iteration, as {@link #sleep0()}.
     *
     * @param delay how long, on the loop's clock; zero yields once
     * @throws NullPointerException if {@code delay} is null
     * @throws IllegalStateException outside a task
     * @throws CancelledError if the task is cancelled meanwhile
     */
    public static void sleep(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isZero() || delay.isNegative()) {
            sleep0();
            return;
        }
        Loop loop = currentLoop();
        Future<Void> f = loop.createFuture();
        TimerHandle h = loop.callLater(delay, () -> {
            if (!f.isDone()) {
                f.setResult(null);
            }
        });
        try {
            f.await();
        } finally {
            h.cancel();
        }
    }

    /**
     * {@code sleep(Duration.ofMillis(millis))}.
     *
     * @param millis how long, in milliseconds
     */
    public static void sleep(long millis) {
        sleep(Duration.ofMillis(millis));
    }

    /**
     * Yields to the loop for exactly one iteration: asyncio's {@code sleep(0)}.
     * Two tasks looping on it alternate strictly.
     */
    public static void sleep0() {
        CurrentLoop.Binding b = CurrentLoop.binding();
        if (b == null) {
            throw new IllegalStateException("sleep(0) outside a task: no loop runs in " + Thread.currentThread());
        }
        b.yieldTask();
    }

    /**
     * {@code currentLoop().toThread(job)}: runs blocking work on the default executor.
     *
     * @param <T> the result type
     * @param job the blocking or CPU-heavy work
     * @return a future of the loop with the job's outcome
     */
    public static <T> Future<T> toThread(Callable<T> job) {
        return currentLoop().toThread(job);
    }

    // ------------------------------------------------------------------ timeouts

    /**
     * Runs {@code body} in the current task with a deadline {@code delay}
     * from now: asyncio's {@code async with asyncio.timeout(delay)}. At the
     * deadline the task is cancelled on the scope's behalf; if the body then
     * ends with that cancellation, it becomes a {@link TimeoutException}
     * (whose cause is the {@link CancelledError}). A cancellation anyone else
     * asked for stays a {@code CancelledError}; a value the body returns
     * after the deadline is returned; another failure after the deadline is
     * thrown with the timeout attached as suppressed (see {@link Timeout}).
     *
     * <p>A zero or negative delay is a deadline already past: the task is
     * cancelled in the next iteration, so at its first await. A delay beyond
     * the clock's range is no deadline.
     *
     * @param <T> the result type
     * @param delay the time the body has
     * @param body the work under the deadline
     * @return what the body returned
     * @throws TimeoutException if the deadline cut the body short
     * @throws IllegalStateException outside a task
     * @throws NullPointerException if {@code delay} or {@code body} is null
     */
    public static <T> T timeout(Duration delay, Coroutine<T> body) throws TimeoutException {
        Objects.requireNonNull(body, "body");
        return timeout(delay, (Timeout scope) -> body.call());
    }

    /**
     * {@link #timeout(Duration, Coroutine)}, with a body that sees its {@link Timeout} (to move the deadline).
     *
     * @param <T> the result type
     * @param delay the time the body has
     * @param body the work under the deadline, given its scope
     * @return what the body returned
     * @throws TimeoutException if the deadline cut the body short
     */
    public static <T> T timeout(Duration delay, Timeout.Body<T> body) throws TimeoutException {
        return TimeoutScope.run("timeout()", TimeoutScope.deadline(currentLoop(), delay), body);
    }

    /**
     * {@link #timeout(Duration, Coroutine)} with an absolute deadline in
     * {@link Loop#time()} nanoseconds: asyncio's {@code timeout_at}.
     * {@link Long#MAX_VALUE} is no deadline; a deadline in the past cancels
     * at the first await.
     *
     * @param <T> the result type
     * @param deadlineNanos the deadline, in {@link Loop#time()} nanoseconds
     * @param body the work under the deadline
     * @return what the body returned
     * @throws TimeoutException if the deadline cut the body short
     */
    public static <T> T timeoutAt(long deadlineNanos, Coroutine<T> body) throws TimeoutException {
        Objects.requireNonNull(body, "body");
        return timeoutAt(deadlineNanos, (Timeout scope) -> body.call());
    }

    /**
     * {@link #timeoutAt(long, Coroutine)}, with a body that sees its {@link Timeout}.
     *
     * @param <T> the result type
     * @param deadlineNanos the deadline, in {@link Loop#time()} nanoseconds
     * @param body the work under the deadline, given its scope
     * @return what the body returned
     * @throws TimeoutException if the deadline cut the body short
     */
    public static <T> T timeoutAt(long deadlineNanos, Timeout.Body<T> body) throws TimeoutException {
        return TimeoutScope.run("timeoutAt()", deadlineNanos, body);
    }

    /**
     * Awaits {@code future} for at most {@code timeout}: asyncio's
     * {@code wait_for} (3.12). On expiry the future is cancelled and
     * awaited until it is really done (a task runs its cleanup first); then
     * a {@link TimeoutException} is thrown, caused by the cancellation. If
     * the future produced a value meanwhile (a task that caught the
     * cancellation and returned), that value is returned, never dropped.
     * A zero or negative timeout cancels a pending future at once (and waits
     * for it), and returns a done one's outcome.
     *
     * @param <T> the result type
     * @param future the future or task to await
     * @param timeout the time it has
     * @return its result
     * @throws TimeoutException if the future did not complete in time
     * @throws IllegalArgumentException if the future belongs to another loop
     * @throws IllegalStateException outside a task
     * @throws NullPointerException if an argument is null
     */
    public static <T> T waitFor(Future<T> future, Duration timeout) throws TimeoutException {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(timeout, "timeout");
        Loop loop = currentLoop();
        if (future.loop() != loop) {
            throw new IllegalArgumentException("waitFor(): the future belongs to another loop (" + future.loop()
                    + "), not to the running one (" + loop + ")");
        }
        if (!timeout.isPositive()) {
            future.cancel(); // a done future stays as it is; a task runs its cleanup, awaited below
            try {
                return future.await();
            } catch (CancelledError e) {
                throw (TimeoutException) new TimeoutException("the timeout expired").initCause(e);
            }
        }
        return TimeoutScope.run("waitFor()", TimeoutScope.deadline(loop, timeout), scope -> future.await());
    }

    /**
     * Runs {@code body} in the current task for at most {@code timeout}:
     * {@link #waitFor(Future, Duration)} for a coroutine, without a task of
     * its own. A zero or negative timeout never starts the body.
     *
     * @param <T> the result type
     * @param body the body of a task to await
     * @param timeout the time it has
     * @return its result
     * @throws TimeoutException if the body did not complete in time
     */
    public static <T> T waitFor(Coroutine<T> body, Duration timeout) throws TimeoutException {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(timeout, "timeout");
        Loop loop = currentLoop();
        if (!timeout.isPositive()) {
            if (currentTask().isEmpty()) {
                throw new IllegalStateException("waitFor() outside a task");
            }
            throw (TimeoutException) new TimeoutException("the timeout expired before the body started")
                    .initCause(new CancelledError("timeout of " + timeout));
        }
        return TimeoutScope.run("waitFor()", TimeoutScope.deadline(loop, timeout), scope -> body.call());
    }

    // ------------------------------------------------------------------ combinators

    /**
     * A future of every future's result, in argument order: asyncio's
     * {@code gather}. The first future to fail (in completion order) fails
     * it with that very exception, and the others run on; one cancelled
     * child cancels it. Cancelling it (or the task awaiting it) cancels
     * every future not done, and it ends cancelled once all of them are done.
     * An empty collection gives a future done with an empty list. The list
     * may hold nulls and cannot be modified. Loop thread.
     *
     * @param <T> the result type
     * @param futures the futures, in result order
     * @return a future of their results
     * @throws NullPointerException if {@code futures} or one of them is null
     * @throws IllegalArgumentException if they belong to different loops
     */
    public static <T> Future<List<T>> gather(Collection<? extends Future<? extends T>> futures) {
        return Combinators.gather("gather()", futures, false);
    }

    /**
     * {@link #gather(Collection)} of the futures given.
     *
     * @param <T> the result type
     * @param futures the futures, in result order
     * @return a future of their results
     */
    @SafeVarargs
    public static <T> Future<List<T>> gather(Future<? extends T>... futures) {
        return gather(Arrays.asList(Objects.requireNonNull(futures, "futures")));
    }

    /**
     * A future of every future's {@link Outcome}, in argument order:
     * asyncio's {@code gather(..., return_exceptions=True)}, typed. It never
     * fails because a future failed or was cancelled; cancelling it still
     * cancels every future not done, and it then ends cancelled (CPython
     * gh-76865: the outer cancellation is not swallowed). Loop thread.
     *
     * @param <T> the result type
     * @param futures the futures, in result order
     * @return a future of their outcomes
     * @throws NullPointerException if {@code futures} or one of them is null
     * @throws IllegalArgumentException if they belong to different loops
     */
    public static <T> Future<List<Outcome<T>>> gatherSettled(Collection<? extends Future<? extends T>> futures) {
        return Combinators.gather("gatherSettled()", futures, true);
    }

    /**
     * Waits until {@code when} holds for {@code futures}, or the timeout
     * passes, and returns them split into done and pending: asyncio's
     * {@code wait}. It never cancels a future, never throws one's failure
     * and, when the timeout passes, simply returns. A zero or negative
     * timeout returns at once. An await point.
     *
     * <p>Call it as {@code AsyncIO.wait(...)}: a static import of it is
     * shadowed by {@code Object.wait} in any class.
     *
     * @param <F> the future type
     * @param futures the futures to watch
     * @param when which completions end the wait
     * @param timeout the longest wait
     * @return the done and the pending futures
     * @throws IllegalArgumentException if {@code futures} is empty (as asyncio) or spans loops
     * @throws NullPointerException if an argument or a future is null
     * @throws IllegalStateException outside a task
     */
    public static <F extends Future<?>> Done<F> wait(Collection<F> futures, ReturnWhen when, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return Combinators.wait(futures, when, timeout);
    }

    /**
     * {@link #wait(Collection, ReturnWhen, Duration)} with no timeout.
     *
     * @param <F> the future type
     * @param futures the futures to watch
     * @param when which completions end the wait
     * @return the done and the pending futures
     */
    public static <F extends Future<?>> Done<F> wait(Collection<F> futures, ReturnWhen when) {
        return Combinators.wait(futures, when, null);
    }

    /**
     * {@link #wait(Collection, ReturnWhen, Duration)} until all are done, with no timeout.
     *
     * @param <F> the future type
     * @param futures the futures to watch
     * @return the done and the pending futures
     */
    public static <F extends Future<?>> Done<F> wait(Collection<F> futures) {
        return Combinators.wait(futures, ReturnWhen.ALL_COMPLETED, null);
    }

    /**
     * The futures in the order they complete (asyncio 3.13's
     * {@code as_completed}); after {@code timeout}, {@link AsCompleted#next()}
     * throws {@link TimeoutException}. Nothing is cancelled. Loop thread.
     *
     * @param <F> the future type
     * @param futures the futures to watch
     * @param timeout the longest wait for all of them
     * @return the futures, as they complete
     * @throws NullPointerException if {@code futures}, one of them or {@code timeout} is null
     * @throws IllegalArgumentException if they belong to different loops
     */
    public static <F extends Future<?>> AsCompleted<F> asCompleted(Collection<F> futures, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return Combinators.asCompleted(futures, timeout);
    }

    /**
     * {@link #asCompleted(Collection, Duration)} with no timeout.
     *
     * @param <F> the future type
     * @param futures the futures to watch
     * @return the futures, as they complete
     */
    public static <F extends Future<?>> AsCompleted<F> asCompleted(Collection<F> futures) {
        return Combinators.asCompleted(futures, null);
    }

    /**
     * A future that completes as {@code future} does, but whose
     * cancellation does not reach it: asyncio's {@code shield}. Cancelling
     * the task that awaits the shield leaves {@code future} running; a done
     * {@code future} is returned as it is. Loop thread.
     *
     * @param <T> the result type
     * @param future the future or task to protect
     * @return a future that follows it and whose cancellation leaves it running
     * @throws NullPointerException if {@code future} is null
     */
    public static <T> Future<T> shield(Future<T> future) {
        return Combinators.shield(future);
    }
}
