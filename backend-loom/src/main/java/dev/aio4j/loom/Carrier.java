package dev.aio4j.loom;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One loop's scheduler of virtual threads: a queue of continuations that the
 * thread inside {@code runForever} (the carrier) runs one at a time, while the
 * loop runs. The loop strand and every task thread are virtual threads of this
 * scheduler, so an await is a park and a resume is an entry in this queue.
 *
 * <p>Nothing spins: the carrier parks when the queue is empty, and is
 * unparked by {@link #submit} from other threads (the JDK's unparker for
 * sleeps, the socket poller, threads calling {@code callSoonThreadsafe}).
 *
 * <p>Continuations submitted while the loop does not run (after it stopped or
 * closed: a task thread unwinding at close, a virtual thread a task started
 * that outlives the run) go to a shared daemon platform thread, so that they
 * never wait for a loop that may not run again.
 */
final class Carrier {
    /** Runs continuations submitted while no loop runs them. Platform threads: a virtual thread cannot carry. */
    private static final Executor ORPHANS;

    static {
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "aio4j-loom-orphans");
            t.setDaemon(true);
            return t;
        });
        e.allowCoreThreadTimeOut(true);
        ORPHANS = e;
    }

    private final LoomLoop loop;
    private final VirtualThreadScheduling vts;
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    /** The scheduler of the loop strand and of virtual threads started by callbacks: never detached. */
    private final Executor loopScheduler = r -> submit(new Item(r, null));
    private final Thread.Builder.OfVirtual loopStrands;

    /** True while a carrier thread runs this queue. */
    private volatile boolean running;
    /** True while the carrier is (about to be) parked for lack of work. */
    private volatile boolean sleeping;
    private volatile Thread carrierThread;
    /** Set by the loop strand's last action; read by the carrier. */
    private volatile boolean loopStrandDone;

    /** Task schedulers whose thread is detached in a blocking call (for close). Guarded by itself. */
    private final List<TaskScheduler> detached = new ArrayList<>();

    Carrier(LoomLoop loop, VirtualThreadScheduling vts) {
        this.loop = loop;
        this.vts = vts;
        this.loopStrands = vts.builder(loopScheduler).name("aio4j-loop-" + loop.name());
    }

    /** A continuation and the task scheduler it came through (null for the loop's own). */
    private record Item(Runnable continuation, TaskScheduler from) {}

    private void submit(Item it) {
        queue.offer(it);
        if (!running) {
            drainToOrphans(); // the carrier may have left already: never strand it
        } else if (sleeping) {
            Thread c = carrierThread;
            if (c != null) {
                LockSupport.unpark(c);
            }
        }
    }

    private void drainToOrphans() {
        Item it;
        while ((it = queue.poll()) != null) {
            if (it.from != null) {
                it.from.taken();
            }
            ORPHANS.execute(it.continuation);
        }
    }

    /** A new unstarted task thread with its own scheduler (so that the loop knows whose continuation runs). */
    Thread newTaskThread(Runnable body) {
        TaskScheduler s = new TaskScheduler();
        Thread t = vts.builder(s).unstarted(body);
        s.thread = t;
        return t;
    }

    /**
     * Runs {@code body} as the loop strand, a virtual thread on this carrier,
     * and carries continuations in the calling platform thread until it ends.
     */
    void run(Runnable body) {
        Throwable[] failure = new Throwable[1];
        loopStrandDone = false;
        carrierThread = Thread.currentThread();
        running = true;
        try {
            loopStrands.start(() -> {
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
            drainToOrphans();
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
    }

    private void carry() {
        for (;;) {
            Item it = queue.poll();
            if (it == null) {
                if (loopStrandDone) {
                    return;
                }
                sleeping = true;
                if (queue.isEmpty() && !loopStrandDone) { // re-checked after publishing sleeping: no lost wake-up
                    LockSupport.park(this);
                }
                sleeping = false;
                continue;
            }
            TaskScheduler from = it.from;
            if (from != null) {
                from.taken();
            }
            it.continuation.run();
            if (from != null) {
                from.afterRun();
            } else if (loopStrandDone) {
                return; // the loop strand's last continuation; others left go to the orphan carrier
            }
        }
    }

    /**
     * Interrupts task threads detached in a blocking call, so that they end
     * after close (an interruptible call throws; the task's next await then
     * unwinds it). Called by close after the engine abandoned the strands.
     */
    void interruptDetached() {
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
     */
    final class TaskScheduler implements Executor {
        /** Set once, before the thread starts. */
        Thread thread;
        /** Continuations of this scheduler in the carrier queue. Guarded by this. */
        private int queued;
        /** Non-null while detached. Guarded by this. */
        private Object token;
        /** Continuations held back while detached. Guarded by this. */
        private List<Runnable> held;

        @Override
        public void execute(Runnable r) {
            boolean askRejoin = false;
            Object tok;
            synchronized (this) {
                tok = token;
                if (tok == null) {
                    queued++;
                } else {
                    if (held == null) {
                        held = new ArrayList<>(2);
                    }
                    askRejoin = held.isEmpty();
                    held.add(r);
                }
            }
            if (tok == null) {
                submit(new Item(r, this));
            } else if (askRejoin) {
                loop.requestRejoin(tok, this::release);
            }
        }

        synchronized void taken() {
            queued--;
        }

        /** On the carrier, after one of this scheduler's continuations ran. */
        void afterRun() {
            Thread t = thread;
            if (loop.holder() != t) {
                return; // the common case: the task handed the baton on and parked
            }
            Thread.State st = t.getState();
            if (st == Thread.State.RUNNABLE || st == Thread.State.TERMINATED || st == Thread.State.NEW) {
                return;
            }
            synchronized (this) {
                if (queued > 0 || token != null) {
                    return; // already unparked again: it will run on with the baton
                }
                token = loop.detach(t);
                if (token == null) {
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
                rs = held;
                held = null;
                if (rs != null) {
                    queued += rs.size();
                }
            }
            if (!loop.isClosed()) { // released by close(): stays listed, so that closeResources interrupts it
                synchronized (detached) {
                    detached.remove(this);
                }
            }
            if (rs != null) {
                for (Runnable r : rs) {
                    submit(new Item(r, this));
                }
            }
        }
    }
}
