package dev.aio4j.engine;

import dev.aio4j.Context;
import dev.aio4j.ErrorContext;
import dev.aio4j.VirtualTicker;
import dev.aio4j.engine.Handles.Callback;
import dev.aio4j.engine.Handles.Rejoin;
import dev.aio4j.engine.Seams.ReadyCause;
import dev.aio4j.spi.CurrentLoop;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The run loop of one engine loop: its ready queue, the inbox other threads
 * send work through, and the baton that lets one strand at a time run the
 * loop's code.
 *
 * <p><b>The baton.</b> A loop has several strands: the loop strand (the
 * thread inside {@code runForever}) and one thread per started task (see the
 * glossary in {@code package-info}). Exactly one strand holds the baton
 * ({@link #owner}) and only that one runs loop code: it takes the next unit
 * from the ready queue and either runs it (a callback) or, when it is another
 * task's step, hands the baton to that task's strand and parks. A task that
 * awaits does the same from its own thread, so the baton passes from one task
 * thread straight to the next ready one, never through the loop strand: with
 * task bodies on the default scheduler, a round trip through a platform loop
 * thread (a futex wake-up each way) measured fifteen times slower than
 * CPython's asyncio. Only when nothing is ready does the baton go back to the
 * loop strand, which alone may block waiting for timers, I/O and other
 * threads ({@link IoDriver#awaitWork}).
 *
 * <p><b>An iteration</b> is asyncio's {@code _run_once}: at its boundary the
 * holder drains the inbox, waits (loop strand only) if nothing is ready, polls
 * I/O, moves due timers to the back of the ready queue, and then runs exactly
 * the units that are ready ({@link #ntodo}).
 *
 * <p>Fields marked "baton" are touched only by the holder; the volatile
 * write of {@link #owner} by one holder and its read by the next order the
 * first's actions before the second's.
 */
final class RunLoop {
    private static final long FOREVER = Long.MAX_VALUE;
    /** nextUnit: nothing is ready and the holder is not the loop strand. */
    private static final Object IDLE = new Object();
    /** nextUnit: the loop stops after this iteration. */
    private static final Object STOP = new Object();

    private final EventLoop loop;
    private final Seams seams;
    private final IoDriver io;
    private final TaskThreads threads;
    private final TimerHeap timers;
    private final DebugMonitor debug;
    private final VirtualTicker virtualTicker;
    private final int spins;
    final Strand loopStrand = new Strand(null);

    // ---- baton ----
    /** Callbacks and tasks (their next step), in the order they run. Made anew when a burst is over. */
    private ArrayDeque<Object> ready = new ArrayDeque<>();
    /** Units of this iteration still to run. */
    private int ntodo;
    /** An iteration has run since the loop started or last stopped: stop() takes effect at a boundary after one. */
    private boolean afterIteration;
    boolean stopping;
    LoopTask<?> currentTask;
    /** The context of the callback running now; a task step uses its task's instead (SPEC V2, V3). */
    private Context context = Context.empty();
    /**
     * Work outside the loop whose outcome will come back to it (executor
     * jobs, wrapped futures, shutdownDefaultExecutor, a task detached in a
     * blocking call): while any is outstanding, virtual time must wait for it
     * rather than jump to the next timer.
     */
    private int outside;
    /** A VirtualMachineError a unit threw: the loop stops, and runForever rethrows it. */
    Throwable fatal;
    /** The loop strand was interrupted while it waited for work: runForever gives its caller the flag back. */
    boolean interruptedWhileWaiting;
    /** The most units an iteration ran since the ready queue was last made anew. */
    private final PeakSize readyPeak = new PeakSize();

    // ---- any thread ----
    /** Work sent by other threads, drained at each iteration boundary. */
    private final ConcurrentLinkedQueue<Callback> inbox = new ConcurrentLinkedQueue<>();
    /** The strand holding the baton while the loop runs; null while it does not. */
    private volatile Strand owner;
    /**
     * Whether debug mode is on: {@link DebugMonitor#enabled}, copied here by
     * {@link #debugChanged} so that every unit reads it from this object
     * rather than through the monitor. Written by setDebug, read by the holder.
     */
    private volatile boolean debugging;

    RunLoop(EventLoop loop) {
        this.loop = loop;
        this.seams = loop.seams;
        this.io = loop.io;
        this.threads = loop.threads;
        this.timers = loop.timers;
        this.debug = loop.debug;
        this.virtualTicker = loop.options().ticker() instanceof VirtualTicker v ? v : null;
        this.spins = threads.batonSpins();
        this.debugging = debug.enabled;
    }

    /** setDebug's change, after the monitor's. */
    void debugChanged(boolean on) {
        debugging = on;
    }

    // ------------------------------------------------------------------ queues

    /** Queues a ready unit through the seam. Baton holder. */
    void enqueue(Object unit, ReadyCause cause) {
        seams.enqueueReady(ready, unit, cause);
    }

    /**
     * {@link EventLoop#callSoon} after its null check: the closed check (only
     * while the loop does not run) or the thread check, then the callback
     * queued. Here rather than in EventLoop so that the hottest call of all
     * reads the holder once, not through two objects.
     */
    Callback callSoon(Runnable fn) {
        Strand o = owner;
        if (o == null) {
            seams.checkClosed(loop); // a running loop cannot be closed: the hot path skips the check
            drainInbox(); // not running: what callSoonThreadsafe queued from this thread comes first (SPEC S11)
        } else if (o.thread != Thread.currentThread()) {
            throw loop.wrongThread("callSoon()");
        }
        Callback c = new Callback(debugging ? DebugMonitor.traced(fn) : fn, o == null ? Context.current() : context());
        enqueue(c, ReadyCause.CALL_SOON);
        return c;
    }

    /** The context of the code running now: the running task's, or the running callback's. Baton holder. */
    Context context() {
        LoopTask<?> t = currentTask;
        return t != null ? t.context : context;
    }

    /** Replaces the context of the code running now (a task's for the rest of it). Baton holder. */
    void setContext(Context c) {
        LoopTask<?> t = currentTask;
        if (t != null) {
            t.context = c;
        } else {
            context = c;
        }
    }

    /** The context for work scheduled now by the caller: the holder's, or the calling thread's when none holds it. */
    Context capture() {
        return owner == null ? Context.current() : context();
    }

    /** Queues {@code c} from any thread; false if it lost a race with close (then it is not queued). */
    boolean offerThreadsafe(Callback c) {
        inbox.offer(c);
        if (loop.isClosed() && inbox.remove(c)) {
            return false;
        }
        io.wakeup();
        return true;
    }

    boolean hasThreadsafeWork() {
        return !inbox.isEmpty();
    }

    /** Moves what other threads sent to the ready queue. Baton holder (or the loop's thread while it does not run). */
    void drainInbox() {
        Callback c;
        while ((c = inbox.poll()) != null) {
            enqueue(c, ReadyCause.THREADSAFE);
        }
    }

    /** The most units the ready queue held since it was last made anew (tests of shrinking). */
    int readyPeak() {
        return readyPeak.peak();
    }

    void outsideStarted() {
        outside++;
    }

    void outsideEnded() {
        outside--;
    }

    /** Drops every queued unit, and the memory a burst made the queue keep (close). */
    void clear() {
        inbox.clear();
        ready = new ArrayDeque<>();
    }

    /** The loop is about to block for lack of work: gives back the tables of past bursts (see PeakSize). */
    private void giveBackIdleMemory() {
        if (readyPeak.shrinks(ready.size())) {
            ready = new ArrayDeque<>(ready);
        }
        timers.giveBackIdleMemory();
        loop.giveBackIdleMemory();
    }

    // ------------------------------------------------------------------ who holds the baton

    Strand owner() {
        return owner;
    }

    /** Whether the calling thread holds the baton. Any thread. */
    boolean inLoop() {
        Strand o = owner;
        return o != null && o.thread == Thread.currentThread();
    }

    /** The body of the loop strand: runs the loop until stop. In the thread the task-thread policy gives it. */
    void loopStrandBody() {
        loopStrand.thread = Thread.currentThread();
        loopStrand.started = true; // resume() must unpark it, never start it
        CurrentLoop.bind(loop.binding);
        afterIteration = false;
        owner = loopStrand;
        try {
            drive(loopStrand, false);
        } finally {
            owner = null;
            CurrentLoop.unbind();
        }
    }

    /**
     * The body of a task thread: waits for the baton, runs the coroutine, passes
     * the baton on. When the next unit it dispatches on the way out is a task
     * that has not started, this thread runs that task's body too, and so on:
     * nothing of the finished task is left on its stack, and starting a thread
     * and handing it the baton costs more than the task itself when bodies are
     * short (a gather of many small tasks; a tree of them).
     */
    private void taskStrandBody(LoopTask<?> first) {
        LoopTask<?> t = first;
        try {
            awaitBaton(t.strand);
            CurrentLoop.bind(loop.binding);
            do {
                Strand self = t.strand;
                t.runBody();
                if (self.abandoned) {
                    return; // the loop closed during a blocking call of the body: it owns nothing now
                }
                // An interrupt flag the body left set was the task's own: not for the callbacks this
                // thread runs on its way out, nor for a task it inherits (SPEC T16).
                Thread.interrupted();
                loop.taskEnded(t);
                if (debugging) {
                    debug.ended(t.stepStartedNanos, "last step of " + t, null);
                }
                t = drive(self, true);
                // The baton is gone (or passed to t on this thread) and no one reads a finished task's
                // thread: let it go now, not when the task does (a gather of 100,000 keeps them all).
                self.thread = null;
            } while (t != null);
        } catch (Strand.Abandoned a) {
            // the loop was closed while this task was pending; close() reported it
        }
    }

    /** Gives the baton away until {@code t}'s next step is dispatched. On t's strand. */
    void suspend(LoopTask<?> t) {
        if (t.strand.abandoned) {
            throw Strand.Abandoned.INSTANCE; // the loop closed during a blocking call of the body
        }
        if (debugging) {
            debug.ended(t.stepStartedNanos, "a step of " + t, new Throwable("where the step ended"));
        }
        drive(t.strand, false);
    }

    /**
     * {@code sleep(0)} of {@code t}, the holder, on its strand: its step goes
     * to the back of the ready queue and the baton to the next unit. When
     * nothing is queued and nothing is left of this iteration, that next
     * unit is t itself, first after the boundary: then this crosses the
     * boundary here (the inbox, I/O and due timers, queued behind t as they
     * would be) and t carries on, without its step being queued and taken
     * back. Not when the boundary would hand the baton elsewhere (the loop
     * stops, or I/O is due on another strand) nor in debug mode (a step's
     * bookkeeping): then the ordinary path.
     */
    void yieldStep(LoopTask<?> t) {
        if (ntodo == 0 && ready.isEmpty() && !(afterIteration && stopping) && !debugging
                && !t.strand.abandoned && !io.pollDue()) {
            drainInbox();
            io.poll();
            if (!timers.isEmpty()) {
                timers.moveDue(this, loop.time());
            }
            ntodo = ready.size();
            readyPeak.saw(ntodo + 1); // t's step counts, as if queued
            afterIteration = true;
            return;
        }
        enqueue(t, ReadyCause.TASK_STEP);
        suspend(t);
    }

    /**
     * Runs ready units as the baton holder {@code self} until the baton must go
     * elsewhere. A task strand returns when its own step is dispatched again
     * (or, if {@code exiting}, as soon as it handed the baton on: it returns
     * the task it handed it to if that task has not started, for this thread
     * to run; else null); the loop strand returns on stop.
     *
     * <p>One method on purpose, debug and rejoin branches included: its
     * bytecode stays above HotSpot's hot-inlining limit (FreqInlineSize, 325
     * bytes), so C2 compiles it once on its own instead of into each caller.
     * Split into helpers it fell under the limit, was inlined into
     * {@code sleep(0)}'s path, and made that method too big to inline into the
     * task's own loop: sleep(0) measured 17-20% slower on every backend
     * (bench/compare-builds.sh, alternated forks).
     */
    private LoopTask<?> drive(Strand self, boolean exiting) {
        final boolean isLoopStrand = self == loopStrand;
        for (;;) {
            Object u = nextUnit(isLoopStrand);
            Strand target;
            if (u instanceof LoopTask<?> t) {
                currentTask = t;
                target = t.strand;
                if (!target.started && target != self) {
                    if (exiting) {
                        target.started = true; // this finishing thread runs it (see taskStrandBody)
                        target.thread = self.thread;
                    } else {
                        target.thread = threads.newTaskThread(() -> taskStrandBody(t));
                    }
                }
                if (debugging) {
                    t.stepStartedNanos = System.nanoTime();
                    debug.started("a step of " + t, t.strand.thread, t.stepStartedNanos);
                }
                if (target == self) {
                    return null; // our own step: carry on with the body
                }
                if (exiting && target.thread == self.thread) {
                    owner = target;
                    return t; // the task this thread inherits
                }
            } else if (u instanceof Rejoin r) {
                // a task thread detached in a blocking call continues, as the holder, until it gives the baton back
                outside--;
                currentTask = r.strand.task;
                if (debugging) {
                    r.strand.task.stepStartedNanos = System.nanoTime();
                    debug.started("a step of " + r.strand.task, r.strand.thread, r.strand.task.stepStartedNanos);
                }
                owner = r.strand;
                r.fn.run();
                awaitBaton(self);
                if (!isLoopStrand) {
                    return null;
                }
                continue;
            } else if (u == STOP || u == IDLE) {
                currentTask = null;
                if (isLoopStrand) {
                    return null;
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
                return null;
            }
            awaitBaton(self);
            if (!isLoopStrand) {
                return null;
            }
        }
    }

    /**
     * Spins (as the task-thread policy says), then parks, until {@code self}
     * holds the baton. Uninterruptibly: a park returns at once while the
     * thread's interrupt flag is set, so the flag is cleared while waiting
     * (else a task that keeps its interrupt, as {@code catch
     * (InterruptedException e) { Thread.currentThread().interrupt(); }} does,
     * would spin here, and on one carrier hold the loop up for ever) and set
     * again once the baton is here: the task's code still sees it.
     */
    private void awaitBaton(Strand self) {
        for (int i = spins; i > 0 && owner != self; i--) {
            Thread.onSpinWait();
        }
        boolean interrupted = false;
        try {
            while (owner != self) {
                if (self.abandoned) {
                    throw Strand.Abandoned.INSTANCE; // the task unwinds: its finally blocks see its flag too
                }
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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
                if (isLoopStrand) {
                    stopping = false;
                    afterIteration = false;
                }
                return STOP;
            }
            drainInbox();
            if (!isLoopStrand && io.pollDue()) {
                return IDLE; // the loop strand redoes this boundary and polls
            }
            if (ready.isEmpty() && !stopping && !awaitWork(isLoopStrand)) {
                return IDLE;
            }
            io.poll();
            if (!timers.isEmpty()) {
                timers.moveDue(this, loop.time());
            }
            ntodo = ready.size();
            readyPeak.saw(ntodo);
            afterIteration = true;
        }
    }

    /**
     * Nothing is ready at a boundary: unless a timer is due, the loop strand
     * waits for work (or, on virtual time with nothing outside the loop,
     * jumps to the next timer). False if the holder is another strand: it
     * must hand the baton to the loop strand, the only one that may block.
     * Out of {@link #nextUnit} so that the hot path stays small for the JIT.
     */
    private boolean awaitWork(boolean isLoopStrand) {
        long timeout = timers.nanosToNext(loop.time());
        if (timeout <= 0) {
            return true;
        }
        if (!isLoopStrand) {
            return false;
        }
        if (virtualTicker != null && timeout != FOREVER && outside == 0) {
            virtualTicker.advance(timeout); // nothing else can happen: jump to the timer
        } else {
            giveBackIdleMemory();
            io.awaitWork(timeout);
            if (Thread.interrupted()) {
                interruptedWhileWaiting = true; // set, it would end every later wait at once
            }
            drainInbox();
        }
        return true;
    }

    private void runCallback(Callback c) {
        Context cc = c.context;
        if (cc != context) {
            // Stored only when it changes (most callbacks run in the context of the one before): a
            // reference stored into this long-lived object pays G1's card-marking barrier. With the
            // debug flag read from this object too, callsoon gained 3-30% (bench/README.md).
            context = cc;
        }
        boolean debugOn = debugging;
        long start = debugOn ? callbackStarted(c) : 0;
        try {
            seams.invokeCallback(c.fn);
        } catch (Strand.Abandoned a) {
            throw a;
        } catch (Throwable t) {
            callbackFailed(c, t);
        }
        if (debugOn) {
            debug.ended(start, "callback " + c.fn, null);
        }
    }

    private long callbackStarted(Callback c) {
        long start = System.nanoTime();
        debug.started("callback " + c.fn, Thread.currentThread(), start);
        return start;
    }

    private void callbackFailed(Callback c, Throwable t) {
        loop.callExceptionHandler(new ErrorContext("Exception in callback " + c.fn, t, null, c));
        fatalCheck(t);
    }

    /** A VirtualMachineError is reported and then stops the loop; runForever rethrows it. Baton holder. */
    void fatalCheck(Throwable t) {
        if (t instanceof VirtualMachineError && fatal == null) {
            fatal = t;
            stopping = true;
        }
    }

    // ------------------------------------------------------------------ blocked task threads (LoopHost)

    Object detachBlockedHolder(Thread t) {
        Strand o = owner;
        if (o == null || o.thread != t || o.task == null || currentTask != o.task || !loop.isRunning()) {
            return null;
        }
        currentTask = null;
        outside++; // virtual time must wait for the blocking call as for an executor job
        if (debugging) {
            // The step pauses here: the loop runs others meanwhile, so the wait is not a slow step (it resumes at rejoin).
            debug.ended(o.task.stepStartedNanos, "a step of " + o.task, new Throwable("where the step blocked"));
        }
        owner = loopStrand;
        LockSupport.unpark(loopStrand.thread); // parked in awaitBaton: it drives the loop meanwhile
        return o;
    }

    void rejoin(Object token, Runnable release) {
        Rejoin r = new Rejoin((Strand) token, release);
        if (!offerThreadsafe(r)) {
            release.run();
        }
    }
}
