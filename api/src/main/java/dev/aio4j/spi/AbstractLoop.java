package dev.aio4j.spi;

import dev.aio4j.Coroutine;
import dev.aio4j.ErrorContext;
import dev.aio4j.ExceptionHandler;
import dev.aio4j.Future;
import dev.aio4j.Handle;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.Task;
import dev.aio4j.Ticker;
import dev.aio4j.TimerHandle;
import dev.aio4j.VirtualTicker;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The loop engine every backend shares: ready queue, timer heap, futures,
 * tasks, the executor bridge, and the baton that runs task bodies on virtual
 * threads one at a time. A backend supplies how task threads are made
 * ({@link #newTaskThread}), and may replace how the loop waits for work
 * ({@link #awaitWork}, {@link #wakeup}) and where the loop strand runs
 * ({@link #runLoopStrand}).
 *
 * <p>The engine's own steps are extension points too, each a protected method
 * whose default is the engine's behaviour: how ready units are queued
 * ({@link #enqueueReady}), callbacks invoked ({@link #invokeCallback}), done
 * callbacks scheduled ({@link #scheduleDoneCallback}), futures awaited
 * ({@link #awaitFuture}), equal-deadline timers ordered
 * ({@link #timerTieBreaker}), results of other threads delivered
 * ({@link #deliverFromThread}), a closed loop detected ({@link #checkClosed})
 * and leftovers reported at close ({@link #reportAtClose}). Backends rarely
 * need them; the TCK's self-test overrides them to plant one defect at a time.
 *
 * @implNote Thread confinement is checked on every confined call (one volatile
 *     read), not only in debug mode.
 */
public abstract class AbstractLoop implements Loop {
    /*
     * Overview: the baton.
     *
     * A loop has several strands: the loop strand (the thread inside
     * runForever) and one virtual thread per started task. Exactly one strand
     * holds the baton (`owner`) and only that one runs loop code: it takes the
     * next unit from the ready queue and either runs it (a callback) or, when
     * it is another task's step, hands the baton to that task's strand and
     * parks. A task that awaits does the same from its own thread, so the
     * baton passes from one virtual thread straight to the next ready one,
     * never through a platform loop thread (BRIEF section 4: one futex round
     * trip per await would cost 15x). Only when nothing is ready does the
     * baton go back to the loop strand, which alone may block waiting for
     * timers, I/O and other threads (awaitWork).
     *
     * All fields marked "baton" are touched only by the holder; the volatile
     * write of `owner` in handTo() and its read in awaitBaton() order one
     * holder's actions before the next one's.
     *
     * An iteration is asyncio's _run_once: at its boundary the holder drains
     * the thread-safe inbox, waits (loop strand only) if nothing is ready,
     * moves due timers to the back of the ready queue, and then runs exactly
     * the units that are ready (ntodo).
     */

    private static final System.Logger LOG = System.getLogger("dev.aio4j");
    private static final ThreadLocal<AbstractLoop> RUNNING = new ThreadLocal<>();
    private static final long FOREVER = Long.MAX_VALUE;
    private static final Object IDLE = new Object();
    private static final Object STOP = new Object();
    private static final int MIN_TIMERS_FOR_PURGE = 100;
    /**
     * The baton spins of {@link #AbstractLoop(LoopOptions)}: 200, or
     * {@code -Daio4j.spins}. For backends whose task threads run on several carriers.
     */
    protected static final int DEFAULT_BATON_SPINS = Integer.getInteger("aio4j.spins", 200);

    private static final int IDLE_STATE = 0;
    private static final int RUNNING_STATE = 1;
    private static final int CLOSED_STATE = 2;
    private static final AtomicIntegerFieldUpdater<AbstractLoop> STATE =
            AtomicIntegerFieldUpdater.newUpdater(AbstractLoop.class, "state");
    private static final AtomicInteger EXECUTOR_THREADS = new AtomicInteger();

    private final LoopOptions options;
    private final Ticker ticker;
    private final VirtualTicker virtualTicker;
    private final Strand loopStrand = new Strand(null);
    private final int spins;

    // ---- baton state ----
    private final ArrayDeque<Object> ready = new ArrayDeque<>(); // Callback or LoopTask (its next step)
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSeq;
    private int cancelledTimers;
    private int ntodo;
    private boolean afterIteration;
    private boolean stopping;
    private LoopTask<?> currentTask;
    private final Set<LoopTask<?>> liveTasks = new LinkedHashSet<>();
    private final Set<LoopFuture<?>> unretrieved = new LinkedHashSet<>();
    private ExceptionHandler exceptionHandler;
    private ExecutorService defaultExecutor;
    private boolean defaultExecutorShutDown;
    private int bridgeCallsInFlight;
    private Throwable fatal;

    // ---- any thread ----
    private final ConcurrentLinkedQueue<Callback> inbox = new ConcurrentLinkedQueue<>();
    /** The strand holding the baton while the loop runs; null while it does not. */
    private volatile Strand owner;
    /** IDLE_STATE -> RUNNING_STATE -> IDLE_STATE ...; IDLE_STATE -> CLOSED_STATE, once. CAS via STATE. */
    private volatile int state;
    private volatile boolean debug;
    /** Debug mode: the unit running now, for the watchdog; null between units. */
    private volatile Running running;
    /** Debug watchdog only: the start of the last unit it reported. */
    private long lastBlockedReport;
    /** The thread blocked in the default awaitWork, for wakeup(). */
    private volatile Thread idleWaiter;

    /** @param options the loop's options; not null */
    protected AbstractLoop(LoopOptions options) {
        this(options, DEFAULT_BATON_SPINS);
    }

    /**
     * @param options the loop's options; not null
     * @param batonSpins how many times a strand spins before parking while it
     *     waits for the baton: worth it only when task threads run on several
     *     carriers; 0 when they share one (spinning there only delays the next holder)
     */
    protected AbstractLoop(LoopOptions options, int batonSpins) {
        this.options = Objects.requireNonNull(options, "options");
        if (batonSpins < 0) {
            throw new IllegalArgumentException("batonSpins must not be negative: " + batonSpins);
        }
        this.spins = batonSpins;
        this.ticker = options.ticker();
        this.virtualTicker = ticker instanceof VirtualTicker v ? v : null;
        this.debug = options.debug();
        if (debug) {
            DebugWatchdog.watch(this);
        }
    }

    // =================================================================== backend hooks

    /**
     * Makes the unstarted thread that will run a task's body. Called on the
     * loop, once per task, when the task's first step is dispatched.
     * A backend returns a virtual thread (of the default scheduler, or of its
     * own). Platform threads work but cost a kernel switch per await.
     */
    protected abstract Thread newTaskThread(Runnable body);

    /**
     * Runs the loop strand's body and returns when it has returned. The
     * default runs it in the calling thread. A backend may run it elsewhere
     * (as a virtual thread on its own carrier), but must wait for it.
     */
    protected void runLoopStrand(Runnable body) {
        body.run();
    }

    /**
     * Blocks the loop strand until {@link #wakeup()} is called, the timeout
     * passes, or (for backends with I/O) I/O is ready; may return early.
     * The default parks. Called by the loop strand only.
     *
     * @param timeoutNanos how long at most; {@code Long.MAX_VALUE} for no limit
     */
    protected void awaitWork(long timeoutNanos) {
        idleWaiter = Thread.currentThread();
        try {
            if (inbox.isEmpty()) { // re-checked after publishing idleWaiter: no lost wake-up
                if (timeoutNanos == FOREVER) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, timeoutNanos);
                }
            }
        } finally {
            idleWaiter = null;
        }
    }

    /** Wakes the loop strand out of {@link #awaitWork}. Any thread. */
    protected void wakeup() {
        Thread w = idleWaiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Whether another thread has sent work ({@code callSoonThreadsafe} and the
     * like) that the loop has not taken yet: a backend's {@link #awaitWork}
     * must not block when it is true. Checked after the backend made itself
     * wakeable, it closes the window in which a wake-up could be lost. Any thread.
     */
    protected final boolean hasThreadsafeWork() {
        return !inbox.isEmpty();
    }

    /** Polls I/O without blocking, once per iteration. Baton holder. Default: nothing. */
    protected void pollIo() {}

    /** The thread holding the baton now, or null: a racy snapshot. Any thread. */
    protected final Thread batonHolder() {
        Strand o = owner;
        return o != null ? o.thread : null;
    }

    /**
     * For backends that declare {@link Capability#BLOCKING_CALLS_YIELD}: takes
     * the baton from {@code t}, a task thread parked in a JDK blocking call
     * inside its own task's body, and gives it to the loop strand, so that the
     * loop runs on. Call only while {@code t} is parked and cannot resume
     * before the backend calls {@link #rejoin} (the backend holds its
     * continuation back). Any thread.
     *
     * @return a token for {@link #rejoin}, or null if {@code t} does not hold
     *     the baton inside its own task's body (then nothing changed)
     */
    protected final Object detachBlockedHolder(Thread t) {
        Strand o = owner;
        if (o == null || o.thread != t || o.task == null || currentTask != o.task || state != RUNNING_STATE) {
            return null;
        }
        currentTask = null;
        bridgeCallsInFlight++; // virtual time must wait for the blocking call as for an executor job
        owner = loopStrand;
        LockSupport.unpark(loopStrand.thread); // parked in awaitBaton: it drives the loop meanwhile
        return o;
    }

    /**
     * Asks for the baton back for a strand detached by
     * {@link #detachBlockedHolder}, whose blocking call has returned: a unit
     * queued like {@link #callSoonThreadsafe}; when the loop dispatches it, the
     * strand becomes the holder again (its task current) and {@code release}
     * runs, which must let the thread's continuation run. If the loop is
     * closed, {@code release} runs at once (the task's next await unwinds it).
     * Any thread.
     */
    protected final void rejoin(Object token, Runnable release) {
        Strand s = (Strand) token;
        Rejoin r = new Rejoin(s, release);
        inbox.offer(r);
        if (state == CLOSED_STATE && inbox.remove(r)) {
            release.run();
            return;
        }
        wakeup();
    }

    /**
     * Whether a task strand holding the baton at an iteration boundary should
     * hand it to the loop strand although units are ready, so that the loop
     * strand runs this iteration's {@link #pollIo()}: for backends whose I/O
     * may be polled only on the loop strand's thread (Netty's event loop).
     * Task strand holding the baton. Default: false.
     */
    protected boolean ioPollDue() {
        return false;
    }

    /** The options this loop was opened with. */
    protected final LoopOptions options() {
        return options;
    }

    /*
     * Extension points of the engine itself. The defaults are the engine's
     * behaviour; a backend rarely needs them (to add tracing, or its own
     * conditions), and the TCK's self-test overrides them to build broken
     * backends ("mutants") that prove the TCK catches each defect. Each is
     * one virtual call that the JIT inlines while no loaded class overrides it.
     */

    /** Why a unit became ready, for {@link #enqueueReady}. */
    protected enum ReadyCause {
        /** {@code callSoon} on the loop. */
        CALL_SOON,
        /** A task's next step: its first, after a yield, or its wake-up when the future it awaits is done. */
        TASK_STEP,
        /** A done callback of a future that is done. */
        DONE_CALLBACK,
        /** A callback sent by another thread ({@code callSoonThreadsafe}), drained from the inbox. */
        THREADSAFE,
        /** A timer whose deadline has passed. */
        TIMER
    }

    /**
     * Extension point: puts a ready unit (a callback, or a task whose next
     * step is due) into the ready queue. The default appends it: the ready
     * queue is a FIFO (SPEC S1). Every unit passes through here, once.
     * Baton holder only.
     *
     * @param ready the ready queue; touch it only here
     * @param unit the unit: opaque to the backend, never null
     * @param cause why it became ready
     */
    protected void enqueueReady(ArrayDeque<Object> ready, Object unit, ReadyCause cause) {
        ready.addLast(unit);
    }

    /**
     * Extension point: runs one callback's code (a {@code callSoon}, timer,
     * done or thread-safe callback). The default calls {@code fn.run()} in
     * the calling thread; what it throws is reported to the exception handler
     * by the caller. Baton holder only.
     */
    protected void invokeCallback(Runnable fn) {
        fn.run();
    }

    /**
     * Extension point: how a task awaits {@code future}, a future of this loop
     * ({@link Future#await()} calls it). The default suspends the task until the
     * future is done unless it already is (then it returns without suspending),
     * and returns its result or throws its exception unchanged, or a fresh
     * {@link CancellationException} carrying the cancel message. An override
     * must call it to suspend. On the awaiting task's thread.
     */
    @SuppressWarnings("unchecked")
    protected <T> T awaitFuture(Future<T> future) {
        return ((LoopFuture<T>) future).awaitNow();
    }

    /**
     * Extension point: the key that orders timers with equal deadlines, given
     * the timer's scheduling sequence number (0, 1, 2, ... per loop). The
     * default returns it: equal deadlines fire in scheduling order. Baton holder only.
     */
    protected long timerTieBreaker(long sequence) {
        return sequence;
    }

    /**
     * Extension point: delivers the outcome of work done on another thread
     * (a {@code runInExecutor} job, a wrapped {@code CompletionStage} or
     * {@code java.util.concurrent.Future}) to the loop. The default sends
     * {@code delivery} with {@link #callSoonThreadsafe}, so that the loop
     * future completes, and its callbacks run, on the loop. Any thread.
     *
     * @throws IllegalStateException if the loop is closed (the outcome is dropped)
     */
    protected void deliverFromThread(Runnable delivery) {
        callSoonThreadsafe(delivery);
    }

    /**
     * Extension point: reports what {@link #close()} finds: a task still
     * pending, a future whose exception was never retrieved. The default
     * passes it to {@link #callExceptionHandler}. In the thread calling close.
     */
    protected void reportAtClose(ErrorContext context) {
        callExceptionHandler(context);
    }

    // =================================================================== thread checks

    /** Throws unless the caller may use the loop's confined state now. */
    protected final void checkThread(String operation) {
        Strand o = owner;
        if (o != null && o.thread != Thread.currentThread()) {
            throw new WrongThreadException(operation + " must be called on the loop '" + options.name()
                    + "', but was called from " + Thread.currentThread()
                    + " while the loop runs; from other threads use callSoonThreadsafe or runCoroutineThreadsafe");
        }
    }

    /**
     * Extension point: throws {@link IllegalStateException} ("Event loop is
     * closed") if the loop is closed; called first by every call that gives
     * the loop work. A backend may add its own conditions; an override must
     * call it. Any thread.
     */
    protected void checkClosed() {
        if (state == CLOSED_STATE) {
            throw new IllegalStateException("Event loop is closed");
        }
    }

    @Override
    public final boolean inLoop() {
        Strand o = owner;
        return o != null && o.thread == Thread.currentThread();
    }

    @Override
    public final boolean isRunning() {
        return state == RUNNING_STATE;
    }

    @Override
    public final boolean isClosed() {
        return state == CLOSED_STATE;
    }

    /** The loop running in the calling thread (loop strand or task strand), or null. */
    public static Loop runningLoop() {
        AbstractLoop l = RUNNING.get();
        return l != null && l.inLoop() ? l : null;
    }

    // =================================================================== scheduling

    @Override
    public final long time() {
        return ticker.nanoTime();
    }

    @Override
    public final Handle callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkClosed();
        checkThread("callSoon()");
        if (owner == null) {
            // Not running: what callSoonThreadsafe queued from this thread comes first (SPEC S11).
            drainInbox();
        }
        Callback c = new Callback(callback);
        enqueueReady(ready, c, ReadyCause.CALL_SOON);
        return c;
    }

    @Override
    public final TimerHandle callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "delay");
        checkThread("callLater()"); // before callAt's check, so that the message names the method called
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("delay is too large for a nanosecond clock: " + delay, e);
        }
        long now = time();
        long when = now + nanos;
        if (((now ^ when) & (nanos ^ when)) < 0) {
            throw new IllegalArgumentException("delay overflows the loop's clock: " + delay);
        }
        return callAt(when, callback);
    }

    @Override
    public final TimerHandle callAt(long deadlineNanos, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkClosed();
        checkThread("callAt()");
        Timer t = new Timer(callback, deadlineNanos, timerTieBreaker(timerSeq++));
        timers.add(t);
        return t;
    }

    @Override
    public final Handle callSoonThreadsafe(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkClosed();
        if (inLoop()) {
            return callSoon(callback);
        }
        Callback c = new Callback(callback);
        inbox.offer(c);
        if (state == CLOSED_STATE && inbox.remove(c)) {
            throw new IllegalStateException("Event loop is closed"); // lost the race with close(): say so
        }
        wakeup();
        return c;
    }

    @Override
    public final void execute(Runnable command) {
        callSoonThreadsafe(command);
    }

    /** Queues a task's next step. Baton holder. */
    final void scheduleStep(LoopTask<?> task) {
        enqueueReady(ready, task, ReadyCause.TASK_STEP);
    }

    /**
     * Extension point: schedules one done callback of a future that is done.
     * The single place where done callbacks are queued; the default queues
     * them through {@link #enqueueReady} (so FIFO), never runs them inline
     * (SPEC F). Baton holder only.
     */
    protected <T> void scheduleDoneCallback(Future<T> future, Consumer<? super Future<T>> callback) {
        enqueueReady(ready, new Callback(() -> callback.accept(future)), ReadyCause.DONE_CALLBACK);
    }

    private void timerCancelled(Timer t) {
        if (++cancelledTimers * 2 > timers.size() && timers.size() > MIN_TIMERS_FOR_PURGE) {
            timers.removeIf(x -> x.cancelled);
            cancelledTimers = 0;
        }
    }

    /** Number of timers held, cancelled ones included (for tests of lazy removal). Loop only. */
    protected final int timerCount() {
        return timers.size();
    }

    // =================================================================== life

    @Override
    public final void runForever() {
        checkClosed();
        if (state == RUNNING_STATE) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (RUNNING.get() != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running");
        }
        if (!STATE.compareAndSet(this, IDLE_STATE, RUNNING_STATE)) {
            checkClosed();
            throw new IllegalStateException("This event loop is already running");
        }
        try {
            runLoopStrand(this::loopStrandBody);
        } finally {
            state = IDLE_STATE;
        }
        Throwable f = fatal;
        if (f != null) {
            fatal = null;
            throw Sneaky.rethrow(f);
        }
    }

    private void loopStrandBody() {
        loopStrand.thread = Thread.currentThread();
        loopStrand.started = true; // resume() must unpark it, never start it
        RUNNING.set(this);
        afterIteration = false;
        owner = loopStrand;
        try {
            drive(loopStrand, false);
        } finally {
            owner = null;
            RUNNING.remove();
        }
    }

    @Override
    public final <T> T runUntilComplete(Coroutine<T> main) {
        Objects.requireNonNull(main, "main");
        checkClosed();
        checkNotRunning();
        return runUntilComplete(createTask(main));
    }

    @Override
    public final <T> T runUntilComplete(Future<T> future) {
        Objects.requireNonNull(future, "future");
        checkClosed();
        checkNotRunning();
        if (future.loop() != this) {
            throw new IllegalArgumentException("The future belongs to another loop: " + future.loop());
        }
        Consumer<Future<T>> stopper = f -> stop();
        future.addDoneCallback(stopper);
        try {
            runForever();
        } finally {
            if (!future.isDone()) {
                future.removeDoneCallback(stopper);
            }
        }
        if (!future.isDone()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    private void checkNotRunning() {
        if (state == RUNNING_STATE) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (RUNNING.get() != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running");
        }
    }

    @Override
    public final void stop() {
        checkThread("stop()");
        stopping = true;
    }

    @Override
    public final void close() {
        if (state == RUNNING_STATE) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (!STATE.compareAndSet(this, IDLE_STATE, CLOSED_STATE)) {
            if (state == RUNNING_STATE) {
                throw new IllegalStateException("Cannot close a running event loop");
            }
            return; // already closed
        }
        DebugWatchdog.unwatch(this);
        inbox.clear();
        ready.clear();
        timers.clear();
        List<LoopTask<?>> pending = new ArrayList<>(liveTasks);
        liveTasks.clear();
        for (LoopTask<?> t : pending) {
            reportAtClose(new ErrorContext("Task was destroyed but it is pending!", null, t, null));
            Strand s = t.strand;
            s.abandoned = true;
            if (s.started) {
                LockSupport.unpark(s.thread); // it unwinds and ends: no thread leaks
            }
        }
        for (LoopFuture<?> f : new ArrayList<>(unretrieved)) {
            reportUnretrieved(f);
        }
        unretrieved.clear();
        ExecutorService ex = defaultExecutor;
        if (ex != null) {
            ex.shutdown(); // without waiting, as asyncio's close()
        }
        closeResources();
    }

    // =================================================================== sockets

    /**
     * Checks the arguments, the loop's state and the caller's thread, as
     * every backend must (SPEC N15, N16), then asks the backend to connect
     * through {@link #connect}.
     */
    @Override
    public final Future<dev.aio4j.net.Transport> createConnection(
            java.net.InetSocketAddress remote, dev.aio4j.net.Protocol protocol) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(protocol, "protocol");
        checkClosed();
        checkThread("createConnection()");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("remote address is unresolved: " + remote);
        }
        Future<dev.aio4j.net.Transport> result = createFuture();
        connect(remote, protocol, result);
        return result;
    }

    /**
     * Checks as {@link #createConnection}, and that {@code backlog} is
     * positive, then asks the backend to listen through {@link #listen}.
     */
    @Override
    public final Future<dev.aio4j.net.Listener> createServer(java.net.InetSocketAddress local, int backlog,
            java.util.function.Supplier<? extends dev.aio4j.net.Protocol> protocols) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(protocols, "protocols");
        checkClosed();
        checkThread("createServer()");
        if (local.isUnresolved()) {
            throw new IllegalArgumentException("local address is unresolved: " + local);
        }
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        Future<dev.aio4j.net.Listener> result = createFuture();
        listen(local, backlog, protocols, result);
        return result;
    }

    /**
     * Backend hook of {@link #createConnection}, arguments checked: connects
     * to {@code remote} and completes {@code result} with the transport once
     * {@code protocol.connectionMade} has run, or with the failure. The
     * default throws {@link UnsupportedOperationException} naming
     * {@link Capability#REAL_SOCKETS}: a backend that declares it overrides
     * this and {@link #listen}. Baton holder.
     */
    protected void connect(java.net.InetSocketAddress remote, dev.aio4j.net.Protocol protocol,
            Future<dev.aio4j.net.Transport> result) {
        throw noSockets();
    }

    /**
     * Backend hook of {@link #createServer}, arguments checked: binds and
     * listens, completing {@code result} with the listener or the failure.
     * Default: as {@link #connect}. Baton holder.
     */
    protected void listen(java.net.InetSocketAddress local, int backlog,
            java.util.function.Supplier<? extends dev.aio4j.net.Protocol> protocols,
            Future<dev.aio4j.net.Listener> result) {
        throw noSockets();
    }

    /**
     * Reports {@code e}, thrown by a protocol's callback, to the exception
     * handler ("Fatal error: protocol.<callback>() call failed"); a
     * {@link VirtualMachineError} is rethrown (it stops the loop). For
     * backends' transports (public so that they need not be subclasses of the
     * loop). Baton holder.
     */
    public final void protocolFailed(String callback, Throwable e, Object transport) {
        if (e instanceof VirtualMachineError fatal) {
            throw fatal;
        }
        callExceptionHandler(new ErrorContext(
                "Fatal error: protocol." + callback + "() call failed on " + transport, e, null, null));
    }

    private UnsupportedOperationException noSockets() {
        return new UnsupportedOperationException("backend '" + backendName()
                + "' cannot open sockets: it does not declare Capability.REAL_SOCKETS");
    }

    /** Releases backend resources after the loop closed (selectors, event loops). Default: nothing. */
    protected void closeResources() {}

    // =================================================================== the baton

    /**
     * Runs ready units as the baton holder {@code self} until the baton must go
     * elsewhere. A task strand returns when its own step is dispatched again
     * (or, if {@code exiting}, as soon as it handed the baton on); the loop
     * strand returns on stop.
     */
    private void drive(Strand self, boolean exiting) {
        final boolean isLoopStrand = self == loopStrand;
        for (;;) {
            Object u = nextUnit(isLoopStrand);
            Strand target;
            if (u instanceof LoopTask<?> t) {
                currentTask = t;
                if (debug) {
                    t.stepStartedNanos = System.nanoTime();
                }
                target = t.strand;
                if (!target.started && target != self) {
                    target.thread = newTaskThread(() -> taskStrandBody(t));
                }
                if (debug) {
                    running = new Running("a step of " + t, target.thread, t.stepStartedNanos);
                }
                if (target == self) {
                    return; // our own step: carry on with the body
                }
            } else if (u instanceof Rejoin r) {
                bridgeCallsInFlight--;
                currentTask = r.strand.task;
                target = r.strand;
                owner = target;
                r.fn.run(); // lets the detached thread continue, now as the holder
                awaitBaton(self);
                if (!isLoopStrand) {
                    return;
                }
                continue;
            } else if (u == STOP || u == IDLE) {
                currentTask = null;
                if (isLoopStrand) {
                    return;
                }
                target = loopStrand;
            } else {
                currentTask = null;
                runCallback((Callback) u);
                continue;
            }
            owner = target; // publishes everything this holder did
            target.resume();
            if (exiting) {
                return;
            }
            awaitBaton(self);
            if (!isLoopStrand) {
                return;
            }
        }
    }

    /*
     * Spin briefly before parking: with task bodies on the default scheduler's
     * two carriers, the next holder usually hands the baton back within a
     * microsecond, and a park/unpark pair through the scheduler costs several
     * (measured: pingpong 0.33 M round trips/s without the spin, 0.58 M with
     * 200 spins, on this project's 2-core machine). Tunable with -Daio4j.spins.
     */
    private void awaitBaton(Strand self) {
        for (int i = spins; i > 0 && owner != self; i--) {
            Thread.onSpinWait();
        }
        while (owner != self) {
            if (self.abandoned) {
                throw Strand.Abandoned.INSTANCE;
            }
            LockSupport.park(this);
        }
    }

    /** The next unit to dispatch, or IDLE (nothing ready, holder is not the loop strand) or STOP. */
    private Object nextUnit(boolean isLoopStrand) {
        for (;;) {
            if (ntodo > 0) {
                ntodo--;
                Object u = ready.pollFirst();
                if (u instanceof Callback c && c.cancelled) {
                    continue;
                }
                return u;
            }
            // ---- iteration boundary ----
            if (afterIteration && stopping) {
                if (!isLoopStrand) {
                    return STOP;
                }
                stopping = false;
                afterIteration = false;
                return STOP;
            }
            drainInbox();
            if (!isLoopStrand && ioPollDue()) {
                return IDLE; // the loop strand redoes this boundary and polls
            }
            if (ready.isEmpty() && !stopping) {
                long timeout = nanosToNextTimer();
                if (timeout > 0) {
                    if (!isLoopStrand) {
                        return IDLE;
                    }
                    if (virtualTicker != null && timeout != FOREVER && bridgeCallsInFlight == 0) {
                        virtualTicker.advance(timeout); // nothing else can happen: jump to the timer
                    } else {
                        awaitWork(timeout);
                        drainInbox();
                    }
                }
            }
            pollIo();
            moveDueTimers();
            ntodo = ready.size();
            afterIteration = true;
        }
    }

    private void drainInbox() {
        Callback c;
        while ((c = inbox.poll()) != null) {
            enqueueReady(ready, c, ReadyCause.THREADSAFE);
        }
    }

    private long nanosToNextTimer() {
        Timer t;
        while ((t = timers.peek()) != null && t.cancelled) {
            timers.poll();
            cancelledTimers--;
        }
        if (t == null) {
            return FOREVER;
        }
        return Math.max(0, t.when - time());
    }

    private void moveDueTimers() {
        if (timers.isEmpty()) {
            return;
        }
        long now = time();
        Timer t;
        while ((t = timers.peek()) != null) {
            if (t.cancelled) {
                timers.poll();
                cancelledTimers--;
            } else if (t.when <= now) {
                timers.poll();
                t.scheduled = false;
                enqueueReady(ready, t, ReadyCause.TIMER);
            } else {
                break;
            }
        }
    }

    private void runCallback(Callback c) {
        long start = 0;
        if (debug) {
            start = System.nanoTime();
            running = new Running("callback " + c.fn, Thread.currentThread(), start);
        }
        try {
            invokeCallback(c.fn);
        } catch (Strand.Abandoned a) {
            throw a;
        } catch (Throwable t) {
            callExceptionHandler(new ErrorContext("Exception in callback " + c.fn, t, null, c));
            fatalCheck(t);
        }
        if (debug) {
            running = null;
            reportIfSlow(start, "callback " + c.fn, null);
        }
    }

    /** A VirtualMachineError is reported and then stops the loop; runForever rethrows it. */
    final void fatalCheck(Throwable t) {
        if (t instanceof VirtualMachineError && fatal == null) {
            fatal = t;
            stopping = true;
        }
    }

    /** What runs on the loop now, and since when (debug mode). */
    private record Running(String what, Thread thread, long sinceNanos) {}

    /**
     * Called by the {@link DebugWatchdog} thread: reports, once, a unit that
     * has run longer than the slow threshold and has not returned, with the
     * stack of the thread running it.
     */
    final void checkBlocked(long nowNanos) {
        Running r = running;
        if (r == null || !debug || r.sinceNanos() == lastBlockedReport
                || nowNanos - r.sinceNanos() < options.slowCallbackDuration().toNanos()) {
            return;
        }
        lastBlockedReport = r.sinceNanos();
        Throwable where = new Throwable("the stack of " + r.thread() + ", which runs it");
        where.setStackTrace(r.thread().getStackTrace());
        LOG.log(System.Logger.Level.WARNING, "Blocked: " + r.what() + " has run for "
                + (nowNanos - r.sinceNanos()) / 1_000_000 + " ms on loop '" + options.name()
                + "' and has not returned; the loop can run nothing else meanwhile", where);
    }

    private void reportIfSlow(long startNanos, String what, Throwable where) {
        long took = System.nanoTime() - startNanos;
        if (took >= options.slowCallbackDuration().toNanos()) {
            LOG.log(System.Logger.Level.WARNING, "Executing " + what + " took " + (took / 1_000_000) + " ms on loop '"
                    + options.name() + "'", where);
        }
    }

    // =================================================================== tasks

    @Override
    public final <T> Future<T> createFuture() {
        return new LoopFuture<>(this);
    }

    @Override
    public final <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    @Override
    public final <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        Objects.requireNonNull(coroutine, "coroutine");
        checkClosed();
        checkThread("createTask()");
        LoopTask<T> t = new LoopTask<>(this, coroutine, name);
        liveTasks.add(t);
        enqueueReady(ready, t, ReadyCause.TASK_STEP);
        return t;
    }

    private void taskStrandBody(LoopTask<?> t) {
        Strand self = t.strand;
        try {
            awaitBaton(self);
            RUNNING.set(this);
            t.runBody();
            if (self.abandoned) {
                return; // the loop closed during a blocking call of the body: it owns nothing now
            }
            liveTasks.remove(t);
            if (debug) {
                running = null;
                reportIfSlow(t.stepStartedNanos, "last step of " + t, null);
            }
            drive(self, true);
        } catch (Strand.Abandoned a) {
            // the loop was closed while this task was pending; close() reported it
        }
    }

    /** Gives the baton away until {@code t}'s next step is dispatched. On t's strand. */
    final void suspend(LoopTask<?> t) {
        if (t.strand.abandoned) {
            throw Strand.Abandoned.INSTANCE; // the loop closed during a blocking call of the body
        }
        if (debug) {
            running = null;
            reportIfSlow(t.stepStartedNanos, "a step of " + t, new Throwable("where the step ended"));
        }
        drive(t.strand, false);
    }

    /** The task calling await() on {@code f}, after checking it may. */
    final LoopTask<?> awaitingTask(LoopFuture<?> f) {
        AbstractLoop cur = RUNNING.get();
        if (cur == null || !cur.inLoop()) {
            throw new IllegalStateException("await() outside a task: no loop runs in " + Thread.currentThread());
        }
        LoopTask<?> t = cur.currentTask;
        if (t == null || t.strand.thread != Thread.currentThread()) {
            throw new IllegalStateException("await() outside a task: called from a callback of loop '"
                    + cur.options.name() + "'; only a task's coroutine may await");
        }
        if (cur != this) {
            throw new IllegalStateException("Task " + t.getName() + " awaits a future of another loop ("
                    + options.name() + ", not " + cur.options.name() + ")");
        }
        return t;
    }

    @Override
    public final Set<Task<?>> allTasks() {
        checkThread("allTasks()");
        return Collections.unmodifiableSet(new LinkedHashSet<>(liveTasks));
    }

    @Override
    public final Task<?> currentTask() {
        checkThread("currentTask()");
        return currentTask;
    }

    /** The running task of the calling thread's loop, or null. */
    public static Task<?> runningTask() {
        AbstractLoop l = RUNNING.get();
        return l != null && l.inLoop() ? l.currentTask : null;
    }

    /** {@code sleep(0)}: yields one iteration. Inside a task only. */
    public static void yieldNow() {
        AbstractLoop l = RUNNING.get();
        if (l == null || !l.inLoop() || l.currentTask == null
                || l.currentTask.strand.thread != Thread.currentThread()) {
            throw new IllegalStateException("sleep(0) outside a task: only a task's coroutine may yield");
        }
        l.currentTask.yieldStep();
    }

    // =================================================================== errors

    final void rememberUnretrieved(LoopFuture<?> f) {
        unretrieved.add(f);
    }

    final void forgetUnretrieved(LoopFuture<?> f) {
        unretrieved.remove(f);
    }

    private void reportUnretrieved(LoopFuture<?> f) {
        if (f.retrieved || f.state() != LoopFuture.EXCEPTION) {
            return;
        }
        String what = f instanceof Task ? "Task" : "Future";
        Throwable ex;
        try {
            ex = f.exception();
        } catch (RuntimeException e) {
            ex = e;
        }
        f.retrieved = false;
        reportAtClose(new ErrorContext(what + " exception was never retrieved", ex, f, null));
    }

    @Override
    public final void setExceptionHandler(ExceptionHandler handler) {
        checkThread("setExceptionHandler()");
        this.exceptionHandler = handler;
    }

    @Override
    public final void callExceptionHandler(ErrorContext context) {
        Objects.requireNonNull(context, "context");
        ExceptionHandler h = exceptionHandler;
        if (h == null) {
            defaultExceptionHandler(context);
            return;
        }
        try {
            h.handle(this, context);
        } catch (Throwable t) {
            defaultExceptionHandler(new ErrorContext("Unhandled error in exception handler", t, null, null));
            defaultExceptionHandler(context);
        }
    }

    private void defaultExceptionHandler(ErrorContext c) {
        StringBuilder sb = new StringBuilder(c.message());
        if (c.future() != null) {
            sb.append(" future: ").append(c.future());
        }
        if (c.handle() != null) {
            sb.append(" handle: ").append(c.handle());
        }
        LOG.log(System.Logger.Level.ERROR, sb.toString(), c.exception());
    }

    @Override
    public final void setDebug(boolean enabled) {
        debug = enabled;
        if (enabled) {
            DebugWatchdog.watch(this);
        } else {
            DebugWatchdog.unwatch(this);
            running = null;
        }
    }

    @Override
    public final boolean isDebug() {
        return debug;
    }

    // =================================================================== executor bridge

    @Override
    public final <T> Future<T> runInExecutor(Executor executor, Callable<T> job) {
        Objects.requireNonNull(job, "job");
        checkClosed();
        checkThread("runInExecutor()");
        Executor ex = executor != null ? executor : defaultExecutor();
        LoopFuture<T> f = new LoopFuture<>(this);
        FutureTask<T> ft = new FutureTask<>(job) {
            @Override
            protected void done() {
                bridgeComplete(f, this);
            }
        };
        bridgeCallsInFlight++;
        try {
            ex.execute(ft);
        } catch (RejectedExecutionException e) {
            bridgeCallsInFlight--;
            f.setException(e);
            return f;
        }
        f.addDoneCallback(x -> {
            if (x.isCancelled()) {
                ft.cancel(false); // only stops a job that has not started, as asyncio
            }
        });
        return f;
    }

    /** Copies a finished java.util.concurrent.Future into a loop future, on the loop. Any thread. */
    private <T> void bridgeComplete(LoopFuture<T> target, java.util.concurrent.Future<T> source) {
        try {
            deliverFromThread(() -> {
                bridgeCallsInFlight--;
                copyOutcome(source, target);
            });
        } catch (IllegalStateException closed) {
            // the loop closed meanwhile: the result is dropped, as asyncio does
        }
    }

    private static <T> void copyOutcome(java.util.concurrent.Future<T> source, LoopFuture<T> target) {
        if (target.isDone()) {
            return;
        }
        if (source.isCancelled()) {
            target.cancel(null);
            return;
        }
        try {
            target.setResult(source.get());
        } catch (ExecutionException e) {
            target.setException(e.getCause() != null ? e.getCause() : e);
        } catch (CancellationException e) {
            target.cancel(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            target.setException(e);
        }
    }

    private ExecutorService defaultExecutor() {
        if (defaultExecutorShutDown) {
            throw new IllegalStateException("Executor shutdown has been called");
        }
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            int n = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
            ThreadPoolExecutor tpe = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread th = new Thread(r, "aio4j-executor-" + EXECUTOR_THREADS.incrementAndGet());
                th.setDaemon(true);
                return th;
            });
            tpe.allowCoreThreadTimeOut(true);
            defaultExecutor = ex = tpe;
        }
        return ex;
    }

    @Override
    public final void setDefaultExecutor(ExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        checkThread("setDefaultExecutor()");
        defaultExecutor = executor;
        defaultExecutorShutDown = false;
    }

    @Override
    public final Future<Void> shutdownDefaultExecutor() {
        checkThread("shutdownDefaultExecutor()");
        defaultExecutorShutDown = true;
        LoopFuture<Void> f = new LoopFuture<>(this);
        ExecutorService ex = defaultExecutor;
        if (ex == null) {
            f.setResult(null);
            return f;
        }
        ex.shutdown();
        bridgeCallsInFlight++;
        // A platform thread: a virtual one started here could inherit a backend's scheduler.
        Thread.ofPlatform().daemon().name("aio4j-executor-shutdown").start(() -> {
            boolean interrupted = false;
            for (;;) {
                try {
                    if (ex.awaitTermination(1, TimeUnit.DAYS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            boolean wasInterrupted = interrupted;
            try {
                callSoonThreadsafe(() -> {
                    bridgeCallsInFlight--;
                    if (!f.isDone()) {
                        if (wasInterrupted) {
                            f.setException(new InterruptedException("interrupted while waiting for the executor"));
                        } else {
                            f.setResult(null);
                        }
                    }
                });
            } catch (IllegalStateException closed) {
                // the loop closed meanwhile; nobody can await f any more
            }
        });
        return f;
    }

    @Override
    public final <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        CompletableFuture<T> cf = new CompletableFuture<>();
        callSoonThreadsafe(() -> {
            if (cf.isDone()) {
                return; // cancelled before it started
            }
            Task<T> task;
            try {
                task = createTask(coroutine);
            } catch (RuntimeException e) {
                cf.completeExceptionally(e);
                return;
            }
            task.addDoneCallback(t -> {
                LoopFuture<T> lt = (LoopFuture<T>) t;
                switch (lt.state()) {
                    case LoopFuture.RESULT -> cf.complete(lt.resultNow());
                    case LoopFuture.EXCEPTION -> cf.completeExceptionally(lt.exception());
                    default -> cf.cancel(false);
                }
            });
            cf.whenComplete((r, e) -> {
                if (cf.isCancelled() && !task.isDone()) {
                    try {
                        callSoonThreadsafe(() -> task.cancel());
                    } catch (IllegalStateException closed) {
                        // nothing left to cancel
                    }
                }
            });
        });
        return cf;
    }

    /** Cancels a future of this loop from any thread (the CompletableFuture view's cancel). */
    final void cancelFromAnyThread(LoopFuture<?> f) {
        try {
            callSoonThreadsafe(() -> f.cancel(null));
        } catch (IllegalStateException closed) {
            // the loop is closed: the future can never complete anyway
        }
    }

    @Override
    public final <T> Future<T> wrapFuture(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        checkClosed();
        checkThread("wrapFuture()");
        LoopFuture<T> f = new LoopFuture<>(this);
        bridgeCallsInFlight++;
        stage.whenComplete((r, e) -> {
            try {
                deliverFromThread(() -> {
                    bridgeCallsInFlight--;
                    if (f.isDone()) {
                        return;
                    }
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause == null) {
                        f.setResult(r);
                    } else if (cause instanceof CancellationException ce) {
                        f.cancel(ce.getMessage());
                    } else {
                        f.setException(cause);
                    }
                });
            } catch (IllegalStateException closed) {
                // dropped: the loop is closed
            }
        });
        if (stage instanceof java.util.concurrent.Future<?> jf) {
            f.addDoneCallback(x -> {
                if (x.isCancelled()) {
                    jf.cancel(false);
                }
            });
        }
        return f;
    }

    @Override
    public final <T> Future<T> wrapFuture(java.util.concurrent.Future<T> future) {
        Objects.requireNonNull(future, "future");
        if (future instanceof CompletionStage<?> stage) {
            @SuppressWarnings("unchecked")
            CompletionStage<T> s = (CompletionStage<T>) stage;
            return wrapFuture(s);
        }
        checkClosed();
        checkThread("wrapFuture()");
        LoopFuture<T> f = new LoopFuture<>(this);
        Method addListener = listenableAddListener(future);
        bridgeCallsInFlight++;
        Runnable copy = () -> bridgeComplete(f, future);
        if (addListener != null) {
            // Guava's ListenableFuture, reached reflectively so that api needs no Guava.
            try {
                addListener.invoke(future, copy, (Executor) Runnable::run);
            } catch (ReflectiveOperationException e) {
                bridgeCallsInFlight--;
                f.setException(e);
                return f;
            }
        } else {
            // No callback to hook: wait for it on a thread of the default executor.
            try {
                defaultExecutor().execute(() -> {
                    try {
                        future.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException | CancellationException e) {
                        // copied by bridgeComplete
                    }
                    copy.run();
                });
            } catch (RuntimeException e) {
                bridgeCallsInFlight--;
                f.setException(e);
                return f;
            }
        }
        f.addDoneCallback(x -> {
            if (x.isCancelled()) {
                future.cancel(false);
            }
        });
        return f;
    }

    private static Method listenableAddListener(Object future) {
        for (Class<?> i : allInterfaces(future.getClass())) {
            if (i.getName().equals("com.google.common.util.concurrent.ListenableFuture")) {
                try {
                    return i.getMethod("addListener", Runnable.class, Executor.class);
                } catch (NoSuchMethodException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static Set<Class<?>> allInterfaces(Class<?> c) {
        Set<Class<?>> out = new LinkedHashSet<>();
        ArrayDeque<Class<?>> todo = new ArrayDeque<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            todo.addAll(List.of(k.getInterfaces()));
        }
        while (!todo.isEmpty()) {
            Class<?> i = todo.poll();
            if (out.add(i)) {
                todo.addAll(List.of(i.getInterfaces()));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return backendName() + "Loop[" + options.name() + (isClosed() ? ", closed" : isRunning() ? ", running" : "") + "]";
    }

    // =================================================================== handles

    /** A scheduled callback. */
    static class Callback implements Handle {
        final Runnable fn;
        /** Written by the loop; read from any thread. */
        volatile boolean cancelled;

        Callback(Runnable fn) {
            this.fn = fn;
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

    /** A detached strand's request for the baton ({@link #rejoin}); its fn releases the thread. */
    static final class Rejoin extends Callback {
        final Strand strand;

        Rejoin(Strand strand, Runnable release) {
            super(release);
            this.strand = strand;
        }
    }

    /** A callback with a deadline, ordered by (deadline, scheduling sequence). */
    final class Timer extends Callback implements TimerHandle, Comparable<Timer> {
        final long when;
        final long seq;
        /** Still in the heap. Baton. */
        boolean scheduled = true;

        Timer(Runnable fn, long when, long seq) {
            super(fn);
            this.when = when;
            this.seq = seq;
        }

        @Override
        public long when() {
            return when;
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                checkThread("TimerHandle.cancel()");
                cancelled = true;
                if (scheduled) {
                    timerCancelled(this);
                }
            }
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(when, o.when);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
