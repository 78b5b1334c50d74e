package dev.aio4j.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One loop's scheduler of virtual threads: a queue of continuations that the
 * thread inside {@link #runLoopStrand} (the carrier: the caller of {@code runForever}
 * in backend-loom, the loop's own platform thread in backend-netty) runs one
 * at a time, while the loop runs. The loop strand and every task thread are
 * virtual threads of this scheduler, so an await is a park and a resume is an
 * entry in this queue.
 *
 * <p>Two queues: a hand-off made on the carrier itself (a virtual thread
 * mounted here unparks another, the common case: every baton pass) goes to a
 * plain deque that only the carrier thread touches, with no atomic operation,
 * allocation or wake-up; other threads (the JDK's unparker for sleeps, the
 * socket poller, threads calling {@code callSoonThreadsafe}) go through a
 * thread-safe queue. The carrier takes from the two in turn, so neither
 * starves the other.
 *
 * <p>Nothing spins: the carrier parks when both queues are empty, and is
 * unparked by a submission from another thread. A submission that finds the
 * carrier busy also wakes the loop ({@link LoopHost#wakeup()}): the loop
 * strand may be blocked in its I/O wait, which pins the carrier. A loop built
 * on a carrier must not spin for its baton either (batonSpins 0): a spinning
 * strand holds the carrier the next holder needs.
 *
 * <p>Continuations submitted while the loop does not run (after it stopped or
 * closed: a task thread unwinding at close, a virtual thread a task started
 * that outlives the run) go to a shared daemon platform thread, so that they
 * never wait for a loop that may not run again.
 *
 * <p><b>Blocking calls yield.</b> Each task thread has its own scheduler,
 * which sees when the task parks in a JDK blocking call while holding the
 * loop's baton, and detaches it ({@link LoopHost#detachBlockedHolder}),
 * holding its continuation back until the loop hands the baton back: a loop
 * built on this carrier may declare {@link dev.aio4j.spi.Capability#BLOCKING_CALLS_YIELD}.
 *
 * <p><b>JVM flag.</b> The JDK (21 to 25) has no public API for a virtual
 * thread's scheduler: this class reaches the package-private
 * {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)} by
 * reflection, which needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}
 * ({@code =dev.aio4j.engine} on the module path). {@link #unavailabilityCause()}
 * says whether it is there, with the exact flag.
 *
 * <p>Threads: {@link #runLoopStrand} is called by the engine (or by an I/O driver
 * that runs the loop strand on a thread of its own, through {@link #run(Runnable, Executor)});
 * {@link #newTaskThread} by the engine, on the loop; the rest from any thread.
 *
 * <p>Memory consistency effects: actions in a thread before it submits a
 * continuation (by unparking a virtual thread of this carrier) happen-before
 * that continuation runs, through the thread-safe queue or, on the carrier
 * itself, program order.
 */
public final class VirtualThreadCarrier implements TaskThreads {
    /** Runs continuations submitted while no loop runs them. Platform threads: a virtual thread cannot carry. */
    private static final Executor ORPHANS;
    /** Marks, in the local deque, a continuation that came through {@link #loopScheduler}. */
    private static final Object LOOP = new Object();

    static {
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "aio4j-carrier-orphans");
            t.setDaemon(true);
            return t;
        });
        e.allowCoreThreadTimeOut(true);
        ORPHANS = e;
    }

    private final LoopHost loop;
    private final VirtualThreadScheduling vts;
    /** Continuations submitted from other threads. */
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    /**
     * Continuations submitted on the carrier thread while it carries: pairs
     * (continuation, its TaskScheduler or {@link #LOOP}). Carrier thread only.
     */
    private final ArrayDeque<Object> local = new ArrayDeque<>();
    /** The scheduler of the loop strand and of virtual threads started by callbacks: never detached. */
    private final Executor loopScheduler = r -> {
        if (onCarrier()) {
            local.addLast(r);
            local.addLast(LOOP);
        } else {
            submit(new Item(r, null));
        }
    };
    private final Thread.Builder.OfVirtual loopStrands;

    /** True while a carrier thread runs this queue. */
    private volatile boolean running;
    /** True while the carrier is (about to be) parked for lack of work. */
    private volatile boolean sleeping;
    /** The carrier thread while it carries, else null. */
    private volatile Thread carrierThread;
    /** The carrier thread was interrupted while it carried: restored when it stops. Carrier thread only. */
    private boolean carrierInterrupted;
    /** Set by the loop strand's last action; read by the carrier. */
    private volatile boolean loopStrandDone;

    /** Task schedulers whose thread is detached in a blocking call (for close). Guarded by itself. */
    private final List<TaskScheduler> detached = new ArrayList<>();

    /**
     * A carrier for {@code loop}'s virtual threads. Also starts the JDK's
     * socket pollers from a platform thread, once per JVM, so that they never
     * inherit a loop as their scheduler (a virtual thread started on the
     * loop would otherwise carry the whole JVM's socket I/O).
     *
     * @param loop the loop whose threads it carries
     * @throws UnsupportedOperationException if this JVM lacks the flag
     *     {@link #unavailabilityCause()} names
     */
    public VirtualThreadCarrier(LoopHost loop) {
        Objects.requireNonNull(loop, "loop");
        Optional<String> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new UnsupportedOperationException(cause.get());
        }
        Pollers.ensureStarted();
        this.loop = loop;
        this.vts = VirtualThreadScheduling.get();
        this.loopStrands = vts.builder(loopScheduler).name("aio4j-loop-" + loop.options().name());
    }

    /**
     * Why this JVM cannot run a carrier (the {@code --add-opens} flag is
     * missing, naming it exactly; or the JDK lacks the internal constructor);
     * empty when it can. Any thread.
     *
     * @return the cause and the fix, or empty
     */
    public static Optional<String> unavailabilityCause() {
        return VirtualThreadScheduling.unavailabilityCause();
    }

    /**
     * The JVM flag carriers need, as this JVM needs it: {@code --add-opens
     * java.base/java.lang=ALL-UNNAMED} on the class path,
     * {@code =dev.aio4j.engine} when the engine is a named module. For
     * messages that name the fix without {@link #unavailabilityCause()}'s
     * whole story. Any thread.
     *
     * @return the flag, as typed on the java command line
     */
    public static String addOpensFlag() {
        return ReflectiveVirtualThreadScheduling.addOpensFlag(VirtualThreadCarrier.class.getModule());
    }

    /** A continuation submitted from another thread and the task scheduler it came through (null for the loop's own). */
    private record Item(Runnable continuation, TaskScheduler from) {}

    /**
     * Whether the caller runs on this carrier while it carries (a virtual
     * thread mounted here, or the carrier thread itself between two
     * continuations), so that it may use {@link #local}.
     */
    private boolean onCarrier() {
        Thread c = carrierThread;
        return c != null && vts.currentCarrierThread() == c;
    }

    private void submit(Item it) {
        queue.offer(it);
        if (!running) {
            drainToOrphans(); // the carrier may have left already: never strand it
        } else if (sleeping) {
            Thread c = carrierThread;
            if (c != null) {
                LockSupport.unpark(c);
            }
        } else {
            // The carrier may be pinned by the loop strand blocked in its I/O wait (a selector, epoll):
            // wake the loop, or this continuation waits for the wait's timeout. Rare: hand-offs on the
            // carrier (every baton pass) take the local deque, and the engine's own inbox wakes it anyway.
            loop.wakeup();
        }
    }

    private void drainToOrphans() {
        Item it;
        while ((it = queue.poll()) != null) {
            if (it.from != null) {
                it.from.takenByOrphans();
            }
            ORPHANS.execute(it.continuation);
        }
    }

    /** On the carrier thread, after it stopped carrying: what is left in {@link #local} goes to the orphan carrier. */
    private void drainLocalToOrphans() {
        Object r;
        while ((r = local.pollFirst()) != null) {
            if (local.pollFirst() instanceof TaskScheduler from) {
                from.local--;
            }
            ORPHANS.execute((Runnable) r);
        }
    }

    /**
     * A new unstarted task thread with its own scheduler (so that the loop
     * knows whose continuation runs, and can detach it in a blocking call).
     * For the engine's {@code newTaskThread}.
     */
    @Override
    public Thread newTaskThread(Runnable body) {
        TaskScheduler s = new TaskScheduler();
        Thread t = vts.builder(s).unstarted(body);
        s.thread = t;
        return t;
    }

    /**
     * A new unstarted virtual thread that runs on this carrier as the loop
     * strand does (never detached), for a backend whose loop strand must be
     * one long-lived thread that takes jobs (see {@link #run(Runnable, Executor)}).
     * Start it from {@link #run(Runnable, Executor)}'s starter, so that it mounts on the carrier
     * at once; started elsewhere it runs on the shared orphan carrier until
     * it first parks.
     *
     * @param body the thread's work
     * @return the thread, not started
     */
    public Thread newLoopThread(Runnable body) {
        return vts.builder(loopScheduler).name("aio4j-loop-" + loop.options().name()).unstarted(body);
    }

    /**
     * Runs {@code body} as the loop strand, a new virtual thread on this
     * carrier, and carries continuations until it ends. For the engine's
     * {@code runLoopStrand}. The calling thread carries; when it is itself
     * virtual (it cannot carry others), a new platform thread carries and the
     * caller waits, uninterruptibly: the loop must not be left running.
     * Rethrows what {@code body} threw.
     */
    @Override
    public void runLoopStrand(Runnable body) {
        run(body, loopStrands::start);
    }

    /**
     * As {@link #runLoopStrand(Runnable)}, with the loop strand's thread chosen by the
     * backend: {@code starter} must run its argument on a thread of
     * {@link #newLoopThread} (a long-lived one that takes jobs); it is called
     * once, on the carrier thread.
     *
     * @param body the loop strand's work
     * @param starter runs its argument on a thread of {@link #newLoopThread}
     */
    public void run(Runnable body, Executor starter) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(starter, "starter");
        if (!Thread.currentThread().isVirtual()) {
            carryUntilDone(body, starter);
            return;
        }
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofPlatform().name("aio4j-carrier-" + loop.options().name()).start(() -> {
            try {
                carryUntilDone(body, starter);
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        Joins.uninterruptibly(t);
        if (failure[0] != null) {
            throw Sneaky.rethrow(failure[0]);
        }
    }

    private void carryUntilDone(Runnable body, Executor starter) {
        Throwable[] failure = new Throwable[1];
        loopStrandDone = false;
        carrierThread = Thread.currentThread();
        running = true;
        try {
            starter.execute(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    failure[0] = t;
                } finally {
                    loopStrandDone = true;
                }
            });
            carry();
        } finally {
            running = false;
            carrierThread = null;
            drainLocalToOrphans();
            drainToOrphans();
            if (carrierInterrupted) {
                carrierInterrupted = false;
                Thread.currentThread().interrupt(); // the caller's interrupt, kept for it
            }
        }
        if (failure[0] != null) {
            throw Sneaky.rethrow(failure[0]);
        }
    }

    private void carry() {
        final ArrayDeque<Object> local = this.local;
        boolean sharedTurn = true; // the two queues take turns while both have work: neither starves
        for (;;) {
            Runnable r;
            TaskScheduler from;
            Item it = sharedTurn || local.isEmpty() ? queue.poll() : null;
            if (it != null) {
                sharedTurn = false;
                r = it.continuation;
                from = it.from;
                if (from != null) {
                    from.carrierTook++;
                }
            } else if ((r = (Runnable) local.pollFirst()) != null) {
                sharedTurn = true;
                from = local.pollFirst() instanceof TaskScheduler s ? s : null;
                if (from != null) {
                    from.local--;
                }
            } else {
                if (loopStrandDone) {
                    return;
                }
                sleeping = true;
                if (queue.isEmpty() && !loopStrandDone) { // re-checked after publishing sleeping: no lost wake-up
                    LockSupport.park(this);
                    if (Thread.interrupted()) {
                        carrierInterrupted = true; // a set flag would make every park return at once: a livelock
                    }
                }
                sleeping = false;
                continue;
            }
            r.run();
            if (from != null) {
                from.afterRun();
            } else if (loopStrandDone) {
                return; // the loop strand's last continuation; others left go to the orphan carrier
            }
        }
    }

    @Override
    public int batonSpins() {
        return 0; // one carrier: a spinning strand only delays the next holder
    }

    @Override
    public boolean blockingCallsYield() {
        return true;
    }

    /**
     * Interrupts task threads detached in a blocking call, so that they end
     * after close (an interruptible call throws; the task's next await then
     * unwinds it). Called by the engine's close after the engine abandoned the strands.
     */
    @Override
    public void close() {
        interruptDetached();
    }

    private void interruptDetached() {
        List<TaskScheduler> copy;
        synchronized (detached) {
            copy = new ArrayList<>(detached);
        }
        for (TaskScheduler s : copy) {
            s.thread.interrupt();
        }
    }

    /**
     * The scheduler of one task thread (and of virtual threads it starts,
     * which inherit it). It lets the loop tell a task thread parked at the
     * loop's own hand-off from one parked in a JDK blocking call: after each
     * of its continuations, if the thread still holds the loop's baton but
     * is parked, it is blocked in something else (a sleep, a lock, a socket
     * read), and the loop is told to run on without it (detach). Its next
     * continuations are then held back until the loop hands the baton back
     * (rejoin), so that it never runs loop code concurrently with the holder.
     *
     * <p>Detaching is safe only while none of its continuations is queued
     * (else the thread already runs on). So the scheduler counts them without
     * a lock: those submitted on the carrier in {@link #local} (carrier thread
     * only), those submitted by other threads in {@link #state} (CAS) less
     * {@link #carrierTook}. Detaching sets {@link #HOLD} in the same CAS that
     * checks the count, so a submission from another thread either lands
     * before (the detach is abandoned) or sees HOLD (and is held back).
     */
    final class TaskScheduler implements Executor {
        private static final int HOLD = 1 << 30;
        private static final int COUNT = HOLD - 1;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(TaskScheduler.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** Set once, before the thread starts. */
        Thread thread;
        /**
         * Bits 0-29: continuations submitted from other threads, less those
         * the orphan carrier took (wrapping); bit 30 ({@link #HOLD}): detached
         * or being detached. Changed by CAS only.
         */
        private volatile int state;
        /** How many of the continuations counted in {@link #state} the carrier took (wrapping). Carrier thread only. */
        int carrierTook;
        /** This scheduler's continuations in the carrier's local deque. Carrier thread only. */
        int local;
        /** Non-null while detached. Guarded by this. */
        private Object token;
        /** Continuations held back while detached. Guarded by this. */
        private List<Runnable> held;

        @Override
        public void execute(Runnable r) {
            for (;;) {
                int s = state;
                if ((s & HOLD) != 0) {
                    if (executeHeld(r)) {
                        return;
                    }
                } else if (onCarrier()) {
                    // HOLD is set only on the carrier thread (afterRun): it cannot change under us
                    local++;
                    VirtualThreadCarrier.this.local.addLast(r);
                    VirtualThreadCarrier.this.local.addLast(this);
                    return;
                } else if (STATE.weakCompareAndSet(this, s, (s + 1) & COUNT)) {
                    submit(new Item(r, this));
                    return;
                }
            }
        }

        /** HOLD was seen: holds {@code r} back if still detached; false if released meanwhile (retry). */
        private boolean executeHeld(Runnable r) {
            Object tok;
            boolean askRejoin = false;
            synchronized (this) { // afterRun holds it while detaching: we see either the token or HOLD cleared
                tok = token;
                if (tok != null) {
                    if (held == null) {
                        held = new ArrayList<>(2);
                    }
                    askRejoin = held.isEmpty();
                    held.add(r);
                }
            }
            if (tok == null) {
                return false;
            }
            if (askRejoin) {
                loop.rejoin(tok, this::release);
            }
            return true;
        }

        /** The orphan carrier took one of the continuations counted in {@link #state}. Any thread. */
        void takenByOrphans() {
            int s;
            do {
                s = state;
            } while (!STATE.weakCompareAndSet(this, s, (s & HOLD) | ((s - 1) & COUNT)));
        }

        /** On the carrier, after one of this scheduler's continuations ran. */
        void afterRun() {
            Thread t = thread;
            if (loop.batonHolder() != t) {
                return; // the common case: the task handed the baton on and parked
            }
            Thread.State st = t.getState();
            if (st == Thread.State.RUNNABLE || st == Thread.State.TERMINATED || st == Thread.State.NEW) {
                return;
            }
            if (local != 0) {
                return; // already unparked again: it will run on with the baton
            }
            synchronized (this) {
                int s = state;
                if ((s & HOLD) != 0 || (s & COUNT) != (carrierTook & COUNT)) {
                    return; // already detached, or unparked again by another thread
                }
                if (!STATE.compareAndSet(this, s, s | HOLD)) {
                    return; // another thread unparked it just now: it runs on with the baton
                }
                token = loop.detachBlockedHolder(t);
                if (token == null) {
                    STATE.getAndBitwiseAnd(this, ~HOLD);
                    return;
                }
            }
            synchronized (detached) {
                detached.add(this);
            }
        }

        /** The loop handed the baton back: let the thread's continuations run. */
        private void release() {
            List<Runnable> rs;
            synchronized (this) {
                token = null;
                STATE.getAndBitwiseAnd(this, ~HOLD);
                rs = held;
                held = null;
            }
            if (!loop.loop().isClosed()) { // released by close(): stays listed, so that closeResources interrupts it
                synchronized (detached) {
                    detached.remove(this);
                }
            }
            if (rs != null) {
                for (Runnable r : rs) {
                    execute(r);
                }
            }
        }
    }
}
