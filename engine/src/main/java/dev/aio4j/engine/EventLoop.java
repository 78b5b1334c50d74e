package dev.aio4j.engine;

import dev.aio4j.Coroutine;
import dev.aio4j.Context;
import dev.aio4j.ErrorContext;
import dev.aio4j.ExceptionHandler;
import dev.aio4j.Future;
import dev.aio4j.Handle;
import dev.aio4j.Loop;
import dev.aio4j.LoopOptions;
import dev.aio4j.Task;
import dev.aio4j.Ticker;
import dev.aio4j.TimerHandle;
import dev.aio4j.engine.Handles.Callback;
import dev.aio4j.engine.Seams.ReadyCause;
import dev.aio4j.net.Listener;
import dev.aio4j.net.Protocol;
import dev.aio4j.net.Transport;
import dev.aio4j.spi.CurrentLoop;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The engine's {@link Loop}: the API's checks and life cycle, composed of
 * its parts. The run loop and the baton are in {@link RunLoop}, the timers
 * in {@link TimerHeap}, work on other threads in {@link ExecutorBridge},
 * debug mode in {@link DebugMonitor}, error reports in {@link ErrorReporter};
 * a backend's {@link IoDriver} and {@link TaskThreads} are the rest. Made
 * only by {@link Engine#open}.
 *
 * <p>Thread confinement is checked on every confined call (one volatile
 * read), not only in debug mode.
 */
final class EventLoop implements Loop {
    private static final int IDLE_STATE = 0;
    private static final int RUNNING_STATE = 1;
    private static final int CLOSED_STATE = 2;
    private static final AtomicIntegerFieldUpdater<EventLoop> STATE =
            AtomicIntegerFieldUpdater.newUpdater(EventLoop.class, "state");

    private final LoopOptions options;
    private final String backendName;
    private final Ticker ticker;
    final Seams seams;
    final LoopHost host = new Host();
    final CurrentLoop.Binding binding = new Binding();
    final DebugMonitor debug;
    final TimerHeap timers;
    final ErrorReporter errors;
    final ExecutorBridge bridge;
    final IoDriver io;
    /** Whether {@link #io} binds with SO_REUSEPORT: asked of its factory, as the capability is. */
    private final boolean reusesPorts;
    final TaskThreads threads;
    final RunLoop run;

    /** Tasks created and not yet done, in creation order. Baton holder. Made anew after a burst (giveBackIdleMemory). */
    private Set<LoopTask<?>> liveTasks = new LinkedHashSet<>();
    /** The most live tasks since {@link #liveTasks} was made. Baton holder. */
    private final PeakSize liveTasksPeak = new PeakSize();
    /** IDLE_STATE -> RUNNING_STATE -> IDLE_STATE ...; IDLE_STATE -> CLOSED_STATE, once. CAS via STATE. */
    private volatile int state;

    EventLoop(LoopOptions options, String backendName, IoDriver.Factory io, TaskThreads.Factory threads, Seams seams) {
        this.options = options;
        this.backendName = backendName;
        this.ticker = options.ticker();
        this.seams = seams;
        this.debug = new DebugMonitor(this);
        this.timers = new TimerHeap(this);
        this.errors = new ErrorReporter(this);
        this.bridge = new ExecutorBridge(this);
        this.threads = threads.create(host);
        this.io = io.create(host);
        this.reusesPorts = io.opensSockets() && io.reusesPorts();
        this.run = new RunLoop(this);
    }

    LoopOptions options() {
        return options;
    }

    // =================================================================== checks

    /** Throws unless the caller may use the loop's confined state now. Any thread. */
    void checkThread(String operation) {
        Strand o = run.owner();
        if (o != null && o.thread != Thread.currentThread()) {
            throw wrongThread(operation);
        }
    }

    /** Out of {@link #checkThread}, which every confined call runs: kept small, it inlines into each. */
    WrongThreadException wrongThread(String operation) {
        return new WrongThreadException(operation + " must be called on the loop '" + options.name()
                + "', but was called from " + Thread.currentThread()
                + " while the loop runs; from other threads use callSoonThreadsafe or runCoroutineThreadsafe");
    }

    private void checkClosed() {
        seams.checkClosed(this);
    }

    private void checkNotRunning() {
        if (state == RUNNING_STATE) {
            throw new IllegalStateException("This event loop is already running");
        }
        if (CurrentLoop.loop() != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running");
        }
    }

    @Override
    public boolean inLoop() {
        return run.inLoop();
    }

    @Override
    public boolean isRunning() {
        return state == RUNNING_STATE;
    }

    @Override
    public boolean isClosed() {
        return state == CLOSED_STATE;
    }

    // =================================================================== scheduling

    @Override
    public long time() {
        return ticker.nanoTime();
    }

    @Override
    public Handle callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        return run.callSoon(callback); // checks closed itself, only when the loop is not running
    }

    @Override
    public TimerHandle callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "delay");
        checkThread("callLater()"); // before callAt's check, so that the message names the method called
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException e) {
            if (!delay.isNegative()) {
                throw new IllegalArgumentException("delay is too large for a nanosecond clock: " + delay, e);
            }
            nanos = Long.MIN_VALUE; // any past deadline is due now (SPEC S17)
        }
        long now = time();
        long when = now + nanos;
        if (((now ^ when) & (nanos ^ when)) < 0) {
            if (nanos >= 0) {
                throw new IllegalArgumentException("delay overflows the loop's clock: " + delay);
            }
            when = Long.MIN_VALUE; // as far in the past as the clock goes: due now
        }
        return callAt(when, callback);
    }

    @Override
    public TimerHandle callAt(long deadlineNanos, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkClosed();
        checkThread("callAt()");
        return timers.schedule(deadlineNanos, debug.enabled ? DebugMonitor.traced(callback) : callback, run.capture());
    }

    @Override
    public Handle callSoonThreadsafe(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkClosed();
        if (inLoop()) {
            return callSoon(callback);
        }
        Callback c = new Callback(debug.enabled ? DebugMonitor.traced(callback) : callback, Context.current());
        if (!run.offerThreadsafe(c)) {
            throw new IllegalStateException("Event loop is closed"); // lost the race with close(): say so
        }
        return c;
    }

    @Override
    public void execute(Runnable command) {
        callSoonThreadsafe(command);
    }

    /** Queues a task's next step. Baton holder. */
    void scheduleStep(LoopTask<?> task) {
        run.enqueue(task, ReadyCause.TASK_STEP);
    }

    /** Schedules a done callback of a future that is done (through the seam). Baton holder. */
    <T> void scheduleDoneCallback(Future<T> future, Consumer<? super Future<T>> callback) {
        seams.scheduleDoneCallback(run, future, callback);
    }

    // =================================================================== life

    @Override
    public void runForever() {
        checkClosed();
        checkNotRunning();
        if (!STATE.compareAndSet(this, IDLE_STATE, RUNNING_STATE)) {
            checkClosed();
            throw new IllegalStateException("This event loop is already running");
        }
        // The caller's interrupt flag is kept for it, not acted on: set, it would make every wait of the loop
        // return at once (a livelock). An interrupt that arrives during the run is kept the same way (SPEC L17).
        boolean interrupted = Thread.interrupted();
        try {
            io.runLoopStrand(run::loopStrandBody, threads);
        } finally {
            state = IDLE_STATE;
            if (interrupted || run.interruptedWhileWaiting || Thread.interrupted()) {
                run.interruptedWhileWaiting = false;
                Thread.currentThread().interrupt();
            }
        }
        Throwable f = run.fatal;
        if (f != null) {
            run.fatal = null;
            throw Sneaky.rethrow(f);
        }
    }

    @Override
    public <T> T runUntilComplete(Coroutine<T> main) {
        Objects.requireNonNull(main, "main");
        checkClosed();
        checkNotRunning();
        return runUntilComplete(createTask(main));
    }

    @Override
    public <T> T runUntilComplete(Future<T> future) {
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

    @Override
    public void stop() {
        checkThread("stop()");
        run.stopping = true;
    }

    @Override
    public void close() {
        if (state == RUNNING_STATE) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (!STATE.compareAndSet(this, IDLE_STATE, CLOSED_STATE)) {
            if (state == RUNNING_STATE) {
                throw new IllegalStateException("Cannot close a running event loop");
            }
            return; // already closed
        }
        debug.stop();
        run.clear();
        timers.clear();
        List<LoopTask<?>> pending = new ArrayList<>(liveTasks);
        liveTasks = new LinkedHashSet<>();
        for (LoopTask<?> t : pending) {
            seams.reportAtClose(this, new ErrorContext("Task was destroyed but it is pending!", null, t, null));
            Strand s = t.strand;
            s.abandoned = true;
            if (s.started) {
                LockSupport.unpark(s.thread); // it unwinds and ends: no thread leaks
            }
        }
        errors.reportUnretrievedAtClose();
        bridge.close();
        try {
            io.close();
        } finally {
            threads.close();
        }
    }

    // =================================================================== sockets

    @Override
    public Future<Transport> createConnection(InetSocketAddress remote, Protocol protocol) {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(protocol, "protocol");
        checkClosed();
        checkThread("createConnection()");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("remote address is unresolved: " + remote);
        }
        Future<Transport> result = createFuture();
        io.connect(remote, protocol, result);
        return result;
    }

    @Override
    public Future<Listener> createServer(InetSocketAddress local, int backlog, Supplier<? extends Protocol> protocols) {
        return createServer(local, backlog, false, protocols);
    }

    @Override
    public Future<Listener> createServer(InetSocketAddress local, int backlog, boolean reusePort,
            Supplier<? extends Protocol> protocols) {
        if (reusePort && !reusesPorts) {
            // Refused before the argument checks, as the socket calls without REAL_SOCKETS (SPEC N1, M6).
            throw new UnsupportedOperationException("backend '" + backendName()
                    + "' cannot bind with SO_REUSEPORT: it does not declare Capability.REUSE_PORT");
        }
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
        Future<Listener> result = createFuture();
        io.listen(local, backlog, reusePort, protocols, result);
        return result;
    }

    // =================================================================== futures and tasks

    @Override
    public <T> Future<T> createFuture() {
        return new LoopFuture<>(this);
    }

    @Override
    public <T> Future<T> createFuture(Predicate<String> onCancel) {
        Objects.requireNonNull(onCancel, "onCancel");
        return new LoopFuture.CreatorCancelled<>(this, onCancel);
    }

    @Override
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    @Override
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        Objects.requireNonNull(coroutine, "coroutine");
        checkClosed();
        checkThread("createTask()");
        LoopTask<T> t = new LoopTask<>(this, coroutine, name, run.capture());
        if (debug.enabled) {
            t.createdAt = DebugMonitor.callerSite();
        }
        liveTasks.add(t);
        liveTasksPeak.saw(liveTasks.size());
        run.enqueue(t, ReadyCause.TASK_STEP);
        return t;
    }

    /** {@code t}'s body returned or threw: it is no longer alive. On t's strand, holding the baton. */
    void taskEnded(LoopTask<?> t) {
        liveTasks.remove(t);
    }

    /** The loop is about to block idle: gives back the tables of past bursts (see PeakSize). Baton holder. */
    void giveBackIdleMemory() {
        if (liveTasksPeak.shrinks(liveTasks.size())) {
            liveTasks = new LinkedHashSet<>(liveTasks);
        }
        errors.giveBackIdleMemory();
    }

    /** The task calling await() on {@code f}, after checking it may. On the caller's thread. */
    LoopTask<?> awaitingTask(LoopFuture<?> f) {
        CurrentLoop.Binding b = CurrentLoop.binding();
        if (b == null) {
            throw new IllegalStateException("await() outside a task: no loop runs in " + Thread.currentThread());
        }
        if (!(b.runningTask() instanceof LoopTask<?> t) || t.strand.thread != Thread.currentThread()) {
            throw new IllegalStateException("await() outside a task: called from a callback of loop '"
                    + b.loop() + "'; only a task's coroutine may await");
        }
        if (b != binding) {
            throw new IllegalStateException("Task " + t.getName() + " awaits a future of another loop: the future's is "
                    + identity(this) + ", the task runs on " + identity(b.loop()));
        }
        return t;
    }

    @Override
    public Set<Task<?>> allTasks() {
        checkThread("allTasks()");
        return Collections.unmodifiableSet(new LinkedHashSet<>(liveTasks));
    }

    @Override
    public Task<?> currentTask() {
        checkThread("currentTask()");
        return run.currentTask;
    }

    // =================================================================== errors and debug

    @Override
    public void setExceptionHandler(ExceptionHandler handler) {
        checkThread("setExceptionHandler()");
        errors.setHandler(handler);
    }

    @Override
    public void callExceptionHandler(ErrorContext context) {
        Objects.requireNonNull(context, "context");
        errors.report(context);
    }

    @Override
    public void setDebug(boolean enabled) {
        debug.set(enabled);
        run.debugChanged(enabled);
    }

    @Override
    public boolean isDebug() {
        return debug.enabled;
    }

    // =================================================================== executor bridge

    @Override
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> job) {
        Objects.requireNonNull(job, "job");
        checkClosed();
        checkThread("runInExecutor()");
        return bridge.runInExecutor(executor, job);
    }

    @Override
    public void setDefaultExecutor(ExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        checkThread("setDefaultExecutor()");
        bridge.setDefaultExecutor(executor);
    }

    @Override
    public Future<Void> shutdownDefaultExecutor() {
        checkThread("shutdownDefaultExecutor()");
        return bridge.shutdownDefaultExecutor();
    }

    @Override
    public <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        return bridge.runCoroutineThreadsafe(coroutine);
    }

    @Override
    public <T> Future<T> wrapFuture(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        checkClosed();
        checkThread("wrapFuture()");
        return bridge.wrap(stage);
    }

    @Override
    public <T> Future<T> wrapFuture(java.util.concurrent.Future<T> future) {
        Objects.requireNonNull(future, "future");
        if (future instanceof CompletionStage<?> stage) {
            @SuppressWarnings("unchecked")
            CompletionStage<T> s = (CompletionStage<T>) stage;
            return wrapFuture(s);
        }
        checkClosed();
        checkThread("wrapFuture()");
        return bridge.wrap(future);
    }

    /** A loop's toString with its identity, so that two loops of the same name tell apart in a message. */
    private static String identity(Loop loop) {
        return loop + "@" + Integer.toHexString(System.identityHashCode(loop));
    }

    @Override
    public String backendName() {
        return backendName;
    }

    @Override
    public String toString() {
        String d = io.description();
        return backendName + "Loop[" + options.name() + (d.isEmpty() ? "" : ", " + d)
                + (isClosed() ? ", closed" : isRunning() ? ", running" : "") + "]";
    }

    // =================================================================== seams the API and the parts see

    /** The binding {@link CurrentLoop} gives the API on this loop's strands. */
    private final class Binding implements CurrentLoop.Binding {
        @Override
        public Loop loop() {
            return EventLoop.this;
        }

        @Override
        public Task<?> runningTask() {
            return run.currentTask;
        }

        @Override
        public void yieldTask() {
            RunLoop r = run;
            LoopTask<?> t = r.currentTask;
            if (t == null || t.strand.thread != Thread.currentThread()) {
                throw new IllegalStateException("sleep(0) outside a task: only a task's coroutine may yield");
            }
            r.yieldStep(t);
            t.deliverPendingCancel();
        }

        @Override
        public Context context() {
            return run.context();
        }

        @Override
        public void setContext(Context context) {
            run.setContext(java.util.Objects.requireNonNull(context, "context"));
        }

        @Override
        public String toString() {
            return "binding of " + EventLoop.this;
        }
    }

    /** What the parts may ask of this loop. */
    private final class Host implements LoopHost {
        @Override
        public Loop loop() {
            return EventLoop.this;
        }

        @Override
        public LoopOptions options() {
            return options;
        }

        @Override
        public TaskThreads taskThreads() {
            return threads;
        }

        @Override
        public void checkThread(String operation) {
            EventLoop.this.checkThread(operation);
        }

        @Override
        public boolean hasThreadsafeWork() {
            return run.hasThreadsafeWork();
        }

        @Override
        public void wakeup() {
            io.wakeup();
        }

        @Override
        public void protocolFailed(String callback, Throwable e, Object transport) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            errors.report(new ErrorContext(
                    "Fatal error: protocol." + callback + "() call failed on " + transport, e, null, null));
        }

        @Override
        public Thread batonHolder() {
            Strand o = run.owner();
            return o != null ? o.thread : null;
        }

        @Override
        public Object detachBlockedHolder(Thread t) {
            return run.detachBlockedHolder(t);
        }

        @Override
        public void rejoin(Object token, Runnable release) {
            run.rejoin(token, release);
        }

        @Override
        public String toString() {
            return "host of " + EventLoop.this;
        }
    }
}
