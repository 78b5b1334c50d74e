package dev.aio4j;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One thread of control that runs callbacks and tasks one at a time:
 * asyncio's event loop.
 *
 * <h2>Scheduling</h2>
 * Callbacks run in the order they were scheduled (FIFO). One iteration of the
 * loop runs exactly the callbacks that were ready when it began; what they
 * schedule runs in the next iteration. Timers fire in deadline order, equal
 * deadlines in scheduling order, and a due timer joins the back of the ready
 * queue, behind callbacks already ready. See SPEC.md sections S and L.
 *
 * <h2>Threads</h2>
 * <ul>
 * <li>The loop <em>runs</em> inside {@link #runForever()} or
 *     {@link #runUntilComplete}, called from any one thread. While it runs,
 *     "on the loop" means inside one of its callbacks or tasks:
 *     {@link #inLoop()} tells. Which JVM thread that is may differ between
 *     callbacks and tasks (task bodies have stacks of their own); what the
 *     loop guarantees is that they run one at a time, each seeing the effects
 *     of the ones before.</li>
 * <li>Every method MUST be called on the loop, except
 *     {@link #callSoonThreadsafe}, {@link #runCoroutineThreadsafe},
 *     {@link #execute}, {@link #time()}, {@link #isRunning()},
 *     {@link #isClosed()}, {@link #inLoop()}, {@link #isDebug()} and
 *     {@link #close()}. While the loop runs, a confined call from another
 *     thread throws {@link WrongThreadException}. While it does not run, the
 *     thread that sets it up and then runs it owns it.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * An exception thrown by a callback never stops the loop: it goes to the
 * {@linkplain #setExceptionHandler exception handler}. A closed loop refuses
 * work with {@link IllegalStateException} "Event loop is closed".
 *
 * <p>Memory consistency effects: actions in a thread prior to scheduling a
 * callback ({@code callSoon}, {@code callLater}, {@code callSoonThreadsafe},
 * {@code execute}) happen-before the callback runs; each callback and task
 * step happens-before the next one the loop runs.
 */
public interface Loop extends Executor, AutoCloseable {

    // ---------------------------------------------------------------- scheduling

    /**
     * Schedules {@code callback} to run once, after every callback already
     * scheduled.
     *
     * @param callback what to run, on the loop
     * @return a handle that can cancel it
     * @throws NullPointerException if {@code callback} is null
     * @throws IllegalStateException if the loop is closed
     */
    Handle callSoon(Runnable callback);

    /**
     * Schedules {@code callback} to run once {@code delay} has passed on the
     * loop's clock. Zero and negative delays mean "due now".
     *
     * @param delay how long to wait, on the loop's clock
     * @param callback what to run, on the loop
     * @return a handle that can cancel it and tells when it is due
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the deadline overflows the clock
     * @throws IllegalStateException if the loop is closed
     */
    TimerHandle callLater(Duration delay, Runnable callback);

    /**
     * Schedules {@code callback} for an absolute deadline of {@link #time()}.
     *
     * @param deadlineNanos when, in {@link #time()}'s nanoseconds
     * @param callback what to run, on the loop
     * @return a handle that can cancel it and tells when it is due
     * @throws NullPointerException if {@code callback} is null
     * @throws IllegalStateException if the loop is closed
     */
    TimerHandle callAt(long deadlineNanos, Runnable callback);

    /**
     * The loop's monotonic clock in nanoseconds (its {@link Ticker}). Any thread.
     *
     * @return nanoseconds, comparable only with this loop's other readings
     */
    long time();

    /**
     * Schedules {@code callback} from any thread and wakes the loop if it is
     * waiting. From the loop itself this is {@link #callSoon}, in call order.
     *
     * @param callback what to run, on the loop
     * @return a handle that can cancel it
     * @throws NullPointerException if {@code callback} is null
     * @throws IllegalStateException if the loop is closed
     */
    Handle callSoonThreadsafe(Runnable callback);

    /**
     * {@link #callSoonThreadsafe}: the loop as an {@link Executor}. Any thread.
     *
     * @param command what to run, on the loop
     */
    @Override
    void execute(Runnable command);

    // ---------------------------------------------------------------- life

    /**
     * Runs the loop until {@link #stop()} is called.
     *
     * @throws IllegalStateException if the loop is running, closed, or another
     *     loop is running in this thread
     */
    void runForever();

    /**
     * Wraps {@code main} in a task, runs the loop until that task is done and
     * returns its result (or throws its exception, unchanged).
     *
     * @param <T> the result type
     * @param main the program's main task body
     * @return the task's result
     * @throws IllegalStateException as {@link #runForever()}, or "Event loop
     *     stopped before Future completed." if stopped first
     */
    <T> T runUntilComplete(Coroutine<T> main);

    /**
     * As {@link #runUntilComplete(Coroutine)}, for a future of this loop.
     *
     * @param <T> the result type
     * @param future a future or task of this loop
     * @return its result
     * @throws IllegalStateException as {@link #runUntilComplete(Coroutine)}
     */
    <T> T runUntilComplete(Future<T> future);

    /**
     * Asks the loop to stop once the current iteration is over. Callbacks
     * scheduled meanwhile stay queued for the next run.
     */
    void stop();

    /**
     * Closes the loop: discards queued callbacks and timers, reports tasks
     * still pending to the exception handler and releases their threads, and
     * shuts the default executor down without waiting. Idempotent. Any thread,
     * but not while the loop runs.
     *
     * @throws IllegalStateException "Cannot close a running event loop"
     */
    @Override
    void close();

    /**
     * Whether the loop is inside {@code runForever}/{@code runUntilComplete}. Any thread.
     *
     * @return true while it runs
     */
    boolean isRunning();

    /**
     * Whether {@link #close()} was called. Any thread.
     *
     * @return true once closed
     */
    boolean isClosed();

    /**
     * Whether the caller runs on this loop, as one of its callbacks or tasks. Any thread.
     *
     * @return true on the loop
     */
    boolean inLoop();

    // ---------------------------------------------------------------- futures and tasks

    /**
     * A new pending future of this loop (also allowed on a closed loop).
     *
     * @param <T> the result type
     * @return the future
     */
    <T> Future<T> createFuture();

    /**
     * A new pending future whose cancellation its creator decides, as
     * asyncio's {@code gather} does with its outer future: while it is
     * pending, {@code cancel(message)} calls {@code onCancel.test(message)}
     * instead of cancelling it. If that returns true, the future stays
     * pending and {@code cancel} returns true: the creator has taken the
     * request over and ends the future later (with a result, an exception,
     * or a cancel that {@code onCancel} then lets through). If it returns
     * false, the future is cancelled at once, like any other. A task
     * cancelled while it awaits the future reaches {@code onCancel} the same
     * way. Once the future is done, {@code cancel} returns false without
     * calling it (SPEC F18).
     *
     * <p>{@code onCancel} runs on the loop, in the thread that calls
     * {@code cancel}; an exception it throws propagates from {@code cancel}
     * and leaves the future pending. Also allowed on a closed loop.
     *
     * @param <T> the result type
     * @param onCancel given the cancel message; true takes the request over
     * @return the future
     * @throws NullPointerException if {@code onCancel} is null
     */
    <T> Future<T> createFuture(Predicate<String> onCancel);

    /**
     * Wraps {@code coroutine} in a task named {@code Task-<n>} and schedules
     * its first step.
     *
     * @param <T> the result type
     * @param coroutine the task's body
     * @return the task, scheduled
     * @throws NullPointerException if {@code coroutine} is null
     * @throws IllegalStateException if the loop is closed
     */
    <T> Task<T> createTask(Coroutine<T> coroutine);

    /**
     * As {@link #createTask(Coroutine)}, with a name.
     *
     * @param <T> the result type
     * @param coroutine the task's body
     * @param name the task's name
     * @return the task, scheduled
     */
    <T> Task<T> createTask(Coroutine<T> coroutine, String name);

    /**
     * The tasks of this loop that are not done, in creation order.
     *
     * @return a snapshot
     */
    Set<Task<?>> allTasks();

    /**
     * The task whose step is running, or null in a callback.
     *
     * @return the running task, or null
     */
    Task<?> currentTask();

    // ---------------------------------------------------------------- executor bridge

    /**
     * Runs {@code job} on {@code executor} (the default executor when null)
     * and returns a future of this loop completed, on the loop, with its
     * outcome. Cancelling the future cancels the job if it has not started;
     * a running job finishes and its result is dropped. An executor that
     * rejects the job gives a failed future, never a hang.
     *
     * @param <T> the result type
     * @param executor where the job runs; null for the loop's default executor
     * @param job the blocking or CPU-heavy work
     * @return a future of this loop with the job's outcome
     * @throws NullPointerException if {@code job} is null
     * @throws IllegalStateException if the loop is closed, or the default
     *     executor was shut down and {@code executor} is null
     */
    <T> Future<T> runInExecutor(Executor executor, Callable<T> job);

    /**
     * {@code runInExecutor(null, job)}, with the job run in the caller's
     * {@link Context} (as asyncio's {@code to_thread}; {@code runInExecutor}
     * does not carry it).
     *
     * @param <T> the result type
     * @param job the blocking or CPU-heavy work
     * @return a future of this loop with the job's outcome
     * @throws NullPointerException if {@code job} is null
     */
    default <T> Future<T> toThread(Callable<T> job) {
        java.util.Objects.requireNonNull(job, "job");
        Context context = Context.current();
        return runInExecutor(null, () -> context.run(job::call));
    }

    /**
     * Replaces the default executor. The old one is not shut down.
     *
     * @param executor the new default executor
     * @throws NullPointerException if {@code executor} is null
     */
    void setDefaultExecutor(ExecutorService executor);

    /**
     * Shuts the default executor down and returns a future done once its
     * threads have finished; the loop keeps running meanwhile. Afterwards
     * {@code runInExecutor(null, ...)} fails.
     *
     * @return a future done once the executor's threads have finished
     */
    Future<Void> shutdownDefaultExecutor();

    /**
     * Runs {@code coroutine} as a task of this loop, from any thread, and
     * returns its outcome as a {@link CompletableFuture}. Cancelling that
     * future cancels the task; a cancelled task cancels it.
     *
     * @param <T> the result type
     * @param coroutine the task's body
     * @return the task's outcome, for any thread
     * @throws NullPointerException if {@code coroutine} is null
     * @throws IllegalStateException if the loop is closed
     */
    <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine);

    /**
     * A future of this loop that mirrors {@code stage}: its outcome is copied
     * in on the loop ({@code CompletionException} unwrapped); cancelling it
     * cancels the stage when that is a {@code java.util.concurrent.Future}.
     *
     * @param <T> the result type
     * @param stage the stage to follow
     * @return a future of this loop
     */
    <T> Future<T> wrapFuture(CompletionStage<T> stage);

    /**
     * {@link #wrapFuture(CompletionStage)} for a {@link CompletableFuture},
     * which is both a stage and a {@code java.util.concurrent.Future}: without
     * this overload {@code loop.wrapFuture(cf)} would not compile (ambiguous).
     *
     * @param <T> the result type
     * @param future the future to follow
     * @return a future of this loop
     */
    default <T> Future<T> wrapFuture(CompletableFuture<T> future) {
        return wrapFuture((CompletionStage<T>) future);
    }

    /**
     * A future of this loop that mirrors a {@code java.util.concurrent.Future}.
     * A {@code CompletionStage} or a Guava {@code ListenableFuture} is
     * followed by callback; any other future is waited for on a virtual
     * thread. Cancelling the result cancels {@code future}.
     *
     * @param <T> the result type
     * @param future the future to follow
     * @return a future of this loop
     */
    <T> Future<T> wrapFuture(java.util.concurrent.Future<T> future);

    // ---------------------------------------------------------------- sockets

    /**
     * Connects a TCP socket to {@code remote} and returns a future of this
     * loop done with the connected transport once {@code protocol}'s
     * {@code connectionMade} has run. Most programs call
     * {@link dev.aio4j.net.Streams#openConnection} instead. Cancelling the
     * future abandons the attempt and closes the socket.
     *
     * <p>The default throws {@link UnsupportedOperationException}: only a
     * backend declaring {@link dev.aio4j.spi.Capability#REAL_SOCKETS} opens
     * sockets (SPEC N1).
     *
     * @param remote the address to connect to, resolved
     * @param protocol receives the connection's events, on the loop
     * @return a future of the transport
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code remote} is unresolved
     * @throws IllegalStateException if the loop is closed
     * @throws UnsupportedOperationException if the backend cannot open sockets
     */
    default Future<dev.aio4j.net.Transport> createConnection(InetSocketAddress remote, dev.aio4j.net.Protocol protocol) {
        throw new UnsupportedOperationException("backend '" + backendName()
                + "' cannot open sockets: it does not declare Capability.REAL_SOCKETS");
    }

    /**
     * Binds a listening TCP socket to {@code local} (port 0: any free one)
     * and returns a future of this loop done with it; each accepted
     * connection gets a protocol from {@code protocols}. Most programs call
     * {@link dev.aio4j.net.Streams#startServer} instead.
     *
     * <p>The default throws {@link UnsupportedOperationException}, as
     * {@link #createConnection}.
     *
     * @param local the address to listen on, resolved
     * @param backlog the listen backlog, positive
     * @param protocols a new protocol per accepted connection
     * @return a future of the listener
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code local} is unresolved or
     *     {@code backlog} is not positive
     * @throws IllegalStateException if the loop is closed
     * @throws UnsupportedOperationException if the backend cannot open sockets
     */
    default Future<dev.aio4j.net.Listener> createServer(
            InetSocketAddress local, int backlog, Supplier<? extends dev.aio4j.net.Protocol> protocols) {
        throw new UnsupportedOperationException("backend '" + backendName()
                + "' cannot open sockets: it does not declare Capability.REAL_SOCKETS");
    }

    /**
     * As {@link #createServer(InetSocketAddress, int, Supplier)}; with
     * {@code reusePort}, the socket is bound with {@code SO_REUSEPORT}, so
     * that listeners of other loops can bind the same address and the kernel
     * spreads connections over them. The default refuses {@code reusePort}:
     * only a backend declaring {@link dev.aio4j.spi.Capability#REUSE_PORT}
     * takes it (SPEC M6).
     *
     * @param local the address to bind
     * @param backlog the listen backlog, positive
     * @param reusePort whether to bind with {@code SO_REUSEPORT}, sharing the
     *     address with the listeners of other loops
     * @param protocols a new protocol per accepted connection
     * @return a future of the listener
     * @throws UnsupportedOperationException if {@code reusePort} and the
     *     backend cannot reuse ports, or the backend cannot open sockets
     */
    default Future<dev.aio4j.net.Listener> createServer(InetSocketAddress local, int backlog, boolean reusePort,
            Supplier<? extends dev.aio4j.net.Protocol> protocols) {
        if (reusePort) {
            throw new UnsupportedOperationException("backend '" + backendName()
                    + "' cannot bind with SO_REUSEPORT: it does not declare Capability.REUSE_PORT");
        }
        return createServer(local, backlog, protocols);
    }

    // ---------------------------------------------------------------- errors and debug

    /**
     * Replaces the exception handler; null restores the default (log at ERROR).
     *
     * @param handler the handler, or null
     */
    void setExceptionHandler(ExceptionHandler handler);

    /**
     * Passes {@code context} to the exception handler; the default one if that throws.
     *
     * @param context what happened
     */
    void callExceptionHandler(ErrorContext context);

    /**
     * Turns debug mode on or off: slow callbacks and task steps are logged.
     *
     * @param enabled whether debug mode is on
     */
    void setDebug(boolean enabled);

    /**
     * Whether debug mode is on. Any thread.
     *
     * @return true if on
     */
    boolean isDebug();

    /**
     * The backend's name (as {@link dev.aio4j.spi.LoopProvider#name()}). Any thread.
     *
     * @return the name, as {@code -Daio4j.backend=} takes it
     */
    String backendName();
}
