package dev.aio4j.netty;

import dev.aio4j.ErrorContext;
import dev.aio4j.Future;
import dev.aio4j.engine.IoDriver;
import dev.aio4j.engine.Joins;
import dev.aio4j.engine.LoopHost;
import dev.aio4j.engine.TaskThreads;
import dev.aio4j.engine.VirtualThreadCarrier;
import dev.aio4j.net.Listener;
import dev.aio4j.net.Protocol;
import io.netty.channel.IoEventLoop;
import io.netty.channel.ManualIoEventLoop;
import io.netty.channel.ServerChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The Netty backend's I/O driver: the engine's loop strand owns a Netty
 * {@link ManualIoEventLoop}, and blocks inside it.
 *
 * <p>Threads. Each loop has its own platform thread, started on first use
 * and ended by close: {@code ManualIoEventLoop} fixes its owner once, and
 * io_uring's ring must always be entered from the same OS thread, so the
 * loop cannot run in whichever thread calls {@code runForever}; that caller
 * hands the loop strand's body to the platform thread and waits. Then, in
 * one of two modes:
 * <ul>
 * <li><b>Carried</b> (when the JVM opens {@code java.lang}; the default): the
 *     platform thread is the carrier of a {@link VirtualThreadCarrier}. The
 *     event loop's owner, and so the loop strand, is one long-lived virtual
 *     thread of it ({@link #ownerBody}); task bodies are virtual threads of
 *     it too (the loop's {@link TaskThreads} are that carrier). An await is a park and a resume a queue entry, all on the one
 *     thread, and a task blocked in a JDK call is detached as in loom.
 * <li><b>Default scheduler</b>: the platform thread is the owner and the
 *     loop strand; task bodies run on virtual threads of the JDK's default
 *     scheduler, so each baton pass crosses threads.
 * </ul>
 *
 * <p>I/O: Netty's handler and task queue run only on the owner, so only
 * while the loop strand holds the baton: inside {@link #awaitWork} (blocking,
 * when nothing is ready) and {@link #poll} (non-blocking, once per iteration
 * the loop strand runs). A task strand cannot poll. Carried, the loop strand
 * is one hand-off away, so {@link #pollDue} sends it the baton at every
 * iteration boundary (as the selector engine polls at each); on the default
 * scheduler, when tasks keep the baton among themselves, at least every
 * {@code aio4j.netty.ioPollIntervalMicros} (1000 by default), which bounds
 * I/O latency under load.
 *
 * <p>Sockets: {@link #connect} and {@link #listen} register
 * Netty channels on this event loop ({@link NettyTransport},
 * {@link NettyListener}); their handlers run in those polls, on the loop.
 * Carried on io_uring, the writes tasks make are handed to Netty at the
 * start of the next poll ({@link #batchesWrites}), so that the ring submits
 * an iteration's writes with its reads in one system call.
 */
final class NettyDriver implements IoDriver {
    private static final System.Logger LOG = System.getLogger("dev.aio4j.netty");
    private static final long IO_POLL_INTERVAL_NANOS =
            TimeUnit.MICROSECONDS.toNanos(Long.getLong("aio4j.netty.ioPollIntervalMicros", 1000));
    private static final AtomicInteger OWNER_THREADS = new AtomicInteger();
    private static final Runnable EXIT = () -> {};

    private final LoopHost host;
    private final Transport transport;
    /** Carries the owner and task threads when task bodies run on the event loop's thread; else null. */
    private final VirtualThreadCarrier carrier;
    private final Object lock = new Object();
    /** Jobs for the loop's platform thread: loop strand bodies, Netty's shutdown, then EXIT. */
    private final LinkedBlockingQueue<Runnable> jobs = new LinkedBlockingQueue<>();
    /** Carried: the jobs of {@link #jobs}, passed on to the owner, a virtual thread the platform thread carries. */
    private final LinkedBlockingQueue<Runnable> ownerJobs = new LinkedBlockingQueue<>();
    /** Created on first need, then fixed. Written under lock. */
    private volatile EventLoop io;
    /**
     * The owner of {@link #io}: the loop's platform thread, or, carried, a
     * virtual thread that it carries. Written under lock before io.
     */
    private Thread ioThread;
    /** The loop's platform thread, which takes {@link #jobs}. Written under lock before io. */
    private Thread platformThread;
    /** Carried: the owner was started (by the first job, on the platform thread). Platform thread only. */
    private boolean ownerStarted;
    /**
     * Set by {@link #wakeup()} before it wakes Netty's handler; the handler
     * re-reads it (through {@link EventLoop#canBlock()}) after announcing that
     * it is about to block, so a wake-up between the engine's inbox check and
     * the blocking call is never lost. Cleared by the loop strand after each wait.
     */
    private volatile boolean wakeupRequested;

    /** The size of {@link #writeScratch}: one write(2) of a task's bytes at most. */
    private static final int WRITE_SCRATCH_SIZE = 64 * 1024;

    // ---- baton ----
    private java.nio.ByteBuffer writeScratch;
    /** Transports with bytes a task wrote since the last poll (see {@link #batchesWrites()}). */
    private final java.util.ArrayDeque<NettyTransport> toFlush = new java.util.ArrayDeque<>();

    // ---- baton (loop strand writes, task strands read; the baton orders them) ----
    private long lastIoPollNanos;
    private boolean polledThisIteration;
    /** Set by Netty-side code during a poll: the next iteration boundary polls again (see requestIoPoll). */
    private boolean ioPollRequested;
    /**
     * Netty channels of this loop's transports and listeners now in a
     * pipeline (counted by their handlers, on the owner): while there are
     * none, and no outside code holds the event loop, a poll has nothing to
     * find but Netty's own tasks, and is skipped until the poll interval passes.
     */
    private int channels;
    /**
     * The listening channels of this loop's open listeners, which close() stops
     * listening before Netty closes them: a close Netty leaves to its event loop
     * (io_uring's, with an accept pending) may release the socket after close()
     * returned, and the port would accept meanwhile. Baton holder, then the owner at close.
     */
    final Set<ServerChannel> listening = new HashSet<>();
    /** Outside code got the event loop ({@link NettyLoopProvider#eventLoop}): its channels need every poll. */
    private volatile boolean eventLoopLent;
    /** Carried: iteration boundaries seen with no I/O to poll (wrapping), to read the clock at one in 64. */
    private int boundariesWithoutIo;

    /**
     * @param host the loop; its task threads decide the mode: a
     *     {@link VirtualThreadCarrier} carries task bodies and the loop strand
     *     (the event loop's owner is then the loop strand itself); any other
     *     policy leaves the owner a platform thread
     */
    NettyDriver(LoopHost host, Transport transport) {
        this.host = host;
        this.transport = transport;
        this.carrier = host.taskThreads() instanceof VirtualThreadCarrier c ? c : null;
    }

    /** The transport this loop runs on. */
    Transport transport() {
        return transport;
    }

    /**
     * The Netty event loop whose channels are this loop's I/O; created, with
     * its owner thread, on first use. Any thread.
     *
     * @throws IllegalStateException if the loop is closed
     */
    IoEventLoop ioEventLoop() {
        EventLoop l = io;
        if (l == null || host.loop().isClosed()) {
            return start(); // creates it, or says the loop is closed
        }
        return l;
    }

    /**
     * {@link #ioEventLoop()} for outside code ({@link NettyLoopProvider#eventLoop}):
     * from now on the loop polls at every chance, as it cannot count the
     * channels registered there. Any thread.
     */
    IoEventLoop lendEventLoop() {
        IoEventLoop l = ioEventLoop();
        eventLoopLent = true;
        return l;
    }

    private EventLoop start() {
        synchronized (lock) {
            if (host.loop().isClosed()) {
                throw new IllegalStateException("Event loop is closed");
            }
            if (io == null) {
                Thread p = Thread.ofPlatform()
                        .name("aio4j-netty-" + host.options().name() + "-" + OWNER_THREADS.incrementAndGet())
                        .daemon()
                        .unstarted(this::platformThreadBody);
                Thread owner = carrier != null ? carrier.newLoopThread(this::ownerBody) : p;
                EventLoop l = new EventLoop(owner);
                platformThread = p;
                ioThread = owner;
                io = l;
                p.start();
                LOG.log(System.Logger.Level.DEBUG, "loop ''{0}'' runs on Netty transport {1}, owner thread {2}",
                        host.options().name(), transport.id, owner);
            }
            return io;
        }
    }

    /**
     * The loop's platform thread: runs each job; carried, it carries the
     * owner (a virtual thread) and the task threads while the owner runs the
     * job. So one OS thread enters Netty's I/O, always the same one, which
     * io_uring's single-issuer ring demands, and the caller of
     * {@code runForever} only waits.
     */
    private void platformThreadBody() {
        for (;;) {
            Runnable job = takeUninterruptibly(jobs);
            if (job == EXIT) {
                if (carrier != null && ownerStarted) {
                    ownerJobs.add(EXIT); // the owner, parked in take(), ends on the orphan carrier
                }
                return;
            }
            if (carrier == null) {
                job.run();
            } else {
                carrier.run(job, this::handToOwner);
            }
        }
    }

    /** Carried: gives {@code job} to the owner, starting it on first use. On the platform thread, carrying. */
    private void handToOwner(Runnable job) {
        ownerJobs.add(job);
        if (!ownerStarted) {
            ownerStarted = true;
            ioThread.start(); // mounts on this carrier at once
        }
    }

    /** Carried: the owner's body, a virtual thread that runs what the platform thread hands it. */
    private void ownerBody() {
        for (;;) {
            Runnable job = takeUninterruptibly(ownerJobs);
            if (job == EXIT) {
                return;
            }
            job.run();
        }
    }

    private static Runnable takeUninterruptibly(LinkedBlockingQueue<Runnable> q) {
        for (;;) {
            try {
                return q.take();
            } catch (InterruptedException e) {
                // nobody but this loop may stop its threads
            }
        }
    }

    /** Runs {@code job} on the owner thread and waits for it, uninterruptibly; rethrows what it threw. */
    private void runOnOwner(Runnable job) {
        FutureTask<Void> ft = new FutureTask<>(job, null);
        jobs.add(ft);
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    ft.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the loop strand cannot be abandoned half-way: keep waiting
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException r) {
                        throw r;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(c);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ the driver

    /** On the loop's platform thread (carried: its owner thread), whatever thread calls runForever. */
    @Override
    public void runLoopStrand(Runnable body, TaskThreads threads) {
        start();
        runOnOwner(() -> {
            lastIoPollNanos = System.nanoTime();
            body.run();
        });
    }

    @Override
    public void awaitWork(long timeoutNanos) {
        flushDeferred();
        // Netty: run(0) blocks without limit; the engine passes Long.MAX_VALUE for that, and > 0 otherwise.
        EventLoop l = io;
        ioPollRequested = false; // before the poll: what runs inside it may ask for the next one
        l.run(timeoutNanos == Long.MAX_VALUE ? 0 : timeoutNanos);
        l.blocking = false;
        wakeupRequested = false; // the engine drains its inbox next: whatever set it is seen there
        lastIoPollNanos = System.nanoTime();
        polledThisIteration = true;
    }

    @Override
    public void wakeup() {
        wakeupRequested = true;
        EventLoop l = io;
        if (l != null) {
            l.wakeup(); // a no-op unless the owner blocks (or is about to) in epoll_wait/select
        }
    }

    @Override
    public void poll() {
        boolean owner = Thread.currentThread() == ioThread;
        if (owner) {
            flushDeferred();
        }
        if (polledThisIteration) { // awaitWork just polled
            polledThisIteration = false;
            return;
        }
        if (!owner) {
            return; // a task strand may not touch Netty's handler; pollDue() brings the baton back in time
        }
        long now = System.nanoTime();
        if (!hasIo() && !ioPollRequested && now - lastIoPollNanos < IO_POLL_INTERVAL_NANOS) {
            return; // no channel to poll (a system call on every transport): Netty's own tasks can wait that long
        }
        ioPollRequested = false;
        io.runNow();
        lastIoPollNanos = now;
    }

    @Override
    public boolean pollDue() {
        if (ioPollRequested) {
            return true;
        }
        if (carrier != null) {
            // Carried, the loop strand is one hand-off away on the same carrier: while there is I/O to poll, poll
            // at every boundary, as the selector engine does. With none, the poll interval is only a safety net
            // for Netty's own queue (registrations ask for a poll): read the clock every 64 boundaries, not at
            // each, which would cost as much as a yield.
            if (hasIo()) {
                return true;
            }
            if ((++boundariesWithoutIo & 63) != 0) {
                return false;
            }
        }
        return System.nanoTime() - lastIoPollNanos >= IO_POLL_INTERVAL_NANOS; // the hand-off crosses threads
    }

    /** Whether channels may need polling: this loop's own, or any once the event loop was lent. Baton holder. */
    private boolean hasIo() {
        return channels > 0 || eventLoopLent;
    }

    /** A channel of this loop's transports or listeners joined a pipeline. Owner thread. */
    void channelAdded() {
        channels++;
    }

    /** A channel counted by {@link #channelAdded} left its pipeline (closed). Owner thread. */
    void channelRemoved() {
        channels--;
    }

    /**
     * Makes the next iteration boundary poll I/O, even if tasks hold the
     * baton and the poll interval has not passed: for events that announce
     * more I/O at once, such as a connection completing (its peer's accept
     * is ready, often on this same loop). The selector engine polls at every
     * boundary; this loop, whose task strands cannot poll, does it on request.
     * Baton holder.
     */
    void requestIoPoll() {
        ioPollRequested = true;
    }

    @Override
    public void close() {
        Thread owner;
        Thread p;
        EventLoop l;
        synchronized (lock) {
            owner = ioThread;
            p = platformThread;
            l = io;
        }
        NettyTransport t;
        while ((t = toFlush.poll()) != null) {
            t.releaseDeferred(); // a closed loop sends nothing more: the close below drops the connections
        }
        if (l != null) {
            Runnable shutdown = () -> {
                List<ServerChannel> listeners = new ArrayList<>(listening);
                for (ServerChannel ch : listeners) {
                    transport().stopListening(ch); // refused from now on, not once Netty's close has run
                    ch.close();
                }
                listening.clear();
                // Closed and polled before the shutdown: Netty finishes closing a listener at a later poll (io_uring
                // once the pending accept's cancellation completes), which a loop torn down at once never runs, and
                // its descriptor stayed open (SPEC N27). Netty has work left while runNow() does some.
                for (int i = 0; i < 1_000 && l.runNow() > 0; i++) {
                    // bounded: a peer that keeps sending cannot hold the close up
                }
                // Closes the channels still registered and the handler's descriptors; on the owner, as Netty demands.
                l.shutdownGracefully(0, 0, TimeUnit.NANOSECONDS);
                while (!l.isTerminated()) {
                    l.runNow();
                }
            };
            if (Thread.currentThread() == owner) {
                shutdown.run();
                jobs.add(EXIT);
            } else {
                runOnOwner(shutdown);
                jobs.add(EXIT);
                Joins.uninterruptibly(p);
                Joins.uninterruptibly(owner); // carried: the owner ends after the platform thread (unstarted: at once)
            }
        }
    }

    // ------------------------------------------------------------------ sockets

    /**
     * Opens a Netty socket channel on this loop's event loop (see
     * {@link NettyTransport}). Baton holder.
     */
    @Override
    public void connect(InetSocketAddress remote, Protocol protocol, Future<dev.aio4j.net.Transport> result) {
        NettyTransport.connect(this, remote, protocol, result);
    }

    /**
     * Binds a Netty server channel on this loop's event loop (see
     * {@link NettyListener}). Baton holder.
     */
    @Override
    public void listen(InetSocketAddress local, int backlog, boolean reusePort,
            Supplier<? extends Protocol> protocols, Future<Listener> result) {
        NettyListener.bind(this, local, backlog, reusePort, protocols, result);
    }

    /**
     * Whether a task's write is handed to Netty by the loop strand at the
     * next poll rather than made at once: when task bodies are carried (the
     * loop strand polls at every iteration boundary, one hand-off away) and
     * the transport is io_uring, whose ring then submits the writes of a
     * whole iteration, with the next reads, in one system call. On epoll and
     * NIO a write is a system call either way, so it goes out at once. Any
     * thread.
     */
    boolean batchesWrites() {
        return carrier != null && transport == Transport.IO_URING;
    }

    /** Whether the caller runs on the event loop's owner (where Netty runs channel calls at once). Any thread. */
    boolean onOwnerThread() {
        return Thread.currentThread() == ioThread;
    }

    /** {@code t} has deferred bytes: {@link NettyTransport#flushDeferred} at the next poll. Baton holder. */
    void flushAtNextPoll(NettyTransport t) {
        toFlush.add(t);
    }

    private void flushDeferred() {
        NettyTransport t;
        while ((t = toFlush.poll()) != null) {
            t.flushDeferred();
        }
    }

    /**
     * The direct buffer through which transports write heap data straight to
     * their socket, created on first use. Baton holder.
     */
    java.nio.ByteBuffer writeScratch() {
        java.nio.ByteBuffer s = writeScratch;
        if (s == null) {
            writeScratch = s = java.nio.ByteBuffer.allocateDirect(WRITE_SCRATCH_SIZE);
        }
        return s;
    }

    /** The loop's confinement check, for this package's transports and listeners. Any thread. */
    void checkLoopThread(String operation) {
        host.checkThread(operation);
    }

    /** Whether the loop is closed. Any thread. */
    boolean isClosed() {
        return host.loop().isClosed();
    }

    /** The loop's callSoon. Baton holder. */
    void callSoon(Runnable callback) {
        host.loop().callSoon(callback);
    }

    /** See {@link LoopHost#protocolFailed}. Baton holder. */
    void protocolFailed(String callback, Throwable e, Object transport) {
        host.protocolFailed(callback, e, transport);
    }

    /** See {@link LoopHost#report}. Baton holder. */
    void callExceptionHandler(ErrorContext context) {
        host.report(context);
    }

    /** The loop, for the write flow control's reports. */
    LoopHost host() {
        return host;
    }

    /** Whether the loop strand is blocked in Netty waiting for work (for tests of wake-ups). */
    boolean isAwaitingWork() {
        EventLoop l = io;
        return l != null && l.blocking;
    }

    /** Runs {@code hook} on the owner thread just before its next check whether it may block (tests only). */
    void beforeNextBlockCheck(Runnable hook) {
        ((EventLoop) ioEventLoop()).beforeBlockCheck = hook;
    }

    @Override
    public String description() {
        return transport.id;
    }

    @Override
    public String toString() {
        return "NettyDriver[" + transport.id + ", of " + host.loop() + "]";
    }

    /** The event loop, with a blocking condition that includes the engine's inbox. */
    private final class EventLoop extends ManualIoEventLoop {
        /** True while the owner is inside Netty's blocking run (tests only). */
        volatile boolean blocking;
        /** Run once, on the owner, just before the next blocking check (tests only: makes the wake-up race certain). */
        volatile Runnable beforeBlockCheck;

        EventLoop(Thread owner) {
            super(owner, transport.newFactory());
        }

        @Override
        protected boolean canBlock() {
            Runnable hook = beforeBlockCheck;
            if (hook != null) {
                beforeBlockCheck = null;
                hook.run();
            }
            blocking = !wakeupRequested;
            return blocking;
        }

        @Override
        public String toString() {
            return "ManualIoEventLoop[" + transport.id + ", of " + host.loop() + "]";
        }
    }
}
