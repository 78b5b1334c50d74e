package dev.aio4j;

import dev.aio4j.spi.LoopProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed set of loops, each running on a platform thread of its own, to use
 * every core: Netty's {@code EventLoopGroup} for aio4j. Each member is an
 * ordinary {@link Loop} and keeps every single-loop guarantee; the group adds
 * no sharing between them. A program puts each piece of work (a connection,
 * a session) on one member, where it stays: {@link #next()} picks members in
 * turn, {@link #submit(Coroutine)} runs a coroutine on the next one, and
 * {@link dev.aio4j.net.Streams#startServer(LoopGroup, dev.aio4j.net.ConnectionHandler, String, int)}
 * spreads a server's connections over the members (SPEC section M).
 *
 * <pre>{@code
 * try (LoopGroup group = LoopGroup.open()) {          // one loop per processor
 *     GroupServer server = Streams.startServer(group, (reader, writer) -> { ... }, null, 8080).join();
 *     ...
 * }                                                   // stops, closes and joins every loop
 * }</pre>
 *
 * <h2>Threads</h2>
 * The members run from the moment the group is opened until it is closed,
 * member {@code i} inside {@link Loop#runForever()} on a platform thread
 * named {@code <name>-<i>} (the name of the {@link LoopOptions} given).
 * Every method of the group may be called from any thread, except
 * {@link #close()}, which must not be called on one of its members (it waits
 * for them). A member itself is loop-confined as any loop: from outside it,
 * use only its thread-safe entry points ({@link Loop#callSoonThreadsafe},
 * {@link Loop#runCoroutineThreadsafe}, {@link Loop#execute}).
 *
 * <h2>Closing</h2>
 * {@link #close()} stops every member, waits for its thread to leave
 * {@code runForever}, and closes it; a task still pending then is reported
 * to its loop's exception handler, as {@link Loop#close()} does. If several
 * members fail, the first failure is thrown with the others
 * {@linkplain Throwable#addSuppressed suppressed}, once every member has been
 * closed or has failed. Afterwards {@link #next()}, {@link #get(int)},
 * {@link #loops()} and the {@code submit} methods throw
 * {@link IllegalStateException}.
 *
 * <p>Memory consistency effects: actions in a thread prior to
 * {@link #submit(Coroutine) submitting} a coroutine happen-before its first
 * step runs on the member; its last step happens-before the returned
 * {@code CompletableFuture} completes. Every action of a member's callbacks
 * and tasks happens-before {@link #close()} returns.
 */
public final class LoopGroup implements AutoCloseable {
    private final String name;
    private final List<Loop> loops;
    private final List<Thread> threads;
    private final List<Throwable> runFailures; // per member: what escaped runForever, set by its thread
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final Object closeLock = new Object();
    private volatile boolean closed;

    private LoopGroup(LoopProvider provider, LoopOptions options, int size) {
        this.name = options.name();
        List<Loop> opened = new ArrayList<>(size);
        try {
            for (int i = 0; i < size; i++) {
                opened.add(Loops.open(provider, options.withName(name + "-" + i)));
            }
        } catch (RuntimeException | Error e) {
            closeAll(opened, e); // none runs yet: close what opened, report the failure that stopped us
            throw e;
        }
        this.loops = List.copyOf(opened);
        this.runFailures = new ArrayList<>(java.util.Collections.nCopies(size, null));
        List<Thread> started = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int index = i;
            Loop loop = loops.get(i);
            // A platform thread: a member must own a core while it runs, not share a carrier with tasks.
            started.add(Thread.ofPlatform().name(name + "-" + i).start(() -> {
                try {
                    loop.runForever();
                } catch (RuntimeException | Error e) {
                    synchronized (runFailures) {
                        runFailures.set(index, e);
                    }
                }
            }));
        }
        this.threads = List.copyOf(started);
    }

    /**
     * A group of one loop per available processor, of the chosen backend
     * ({@link Loops#provider()}), named {@code "aio4j"}.
     *
     * @return the group, its loops open
     * @throws IllegalStateException if no backend can be chosen
     */
    public static LoopGroup open() {
        return open(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A group of {@code size} loops of the chosen backend ({@link Loops#provider()}),
     * named {@code "aio4j"}.
     *
     * @param size the number of loops, at least 1
     * @return the group, its loops open
     * @throws IllegalArgumentException if {@code size < 1}
     * @throws IllegalStateException if no backend can be chosen
     */
    public static LoopGroup open(int size) {
        checkSize(size);
        return open(Loops.provider(), LoopOptions.defaults(), size);
    }

    /**
     * A group of {@code size} loops of {@code provider}, each opened with
     * {@code options} renamed {@code <name>-<i>}; their threads bear the
     * same names.
     *
     * @param provider the backend of every member
     * @param options the members' options; its name begins theirs
     * @param size the number of loops, at least 1
     * @return the group, its loops open
     * @throws NullPointerException if {@code provider} or {@code options} is null
     * @throws IllegalArgumentException if {@code size < 1}
     * @throws UnsupportedOperationException if the backend cannot run here
     *     (the loops opened so far are closed)
     */
    public static LoopGroup open(LoopProvider provider, LoopOptions options, int size) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(options, "options");
        checkSize(size);
        return new LoopGroup(provider, options, size);
    }

    private static void checkSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1: " + size);
        }
    }

    /**
     * The group's name, as its members' and threads' names begin. Any thread.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The number of members. Any thread, also once closed.
     *
     * @return the number of loops
     */
    public int size() {
        return loops.size();
    }

    /**
     * The members, in index order: an unmodifiable list. Any thread.
     *
     * @return the loops
     * @throws IllegalStateException if the group is closed
     */
    public List<Loop> loops() {
        checkOpen();
        return loops;
    }

    /**
     * Member {@code index}. Any thread.
     *
     * @param index the member's index, from 0
     * @return the loop
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code 0..size()-1}
     * @throws IllegalStateException if the group is closed
     */
    public Loop get(int index) {
        checkOpen();
        Objects.checkIndex(index, loops.size());
        return loops.get(index);
    }

    /**
     * The next member in round-robin order: over {@code size()} calls, each
     * member once, whichever threads call. Any thread.
     *
     * @return the member whose turn it is
     * @throws IllegalStateException if the group is closed
     */
    public Loop next() {
        checkOpen();
        // floorMod: the counter wraps after 2^32 calls, and a negative index must not break the turn
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), loops.size()));
    }

    /**
     * Runs {@code coroutine} as a task of the {@linkplain #next() next}
     * member and returns its outcome ({@link Loop#runCoroutineThreadsafe}).
     * The task and everything it schedules stay on that member. From a task
     * of another loop, await it with {@code AsyncIO.currentLoop().wrapFuture(...)}.
     * Any thread.
     *
     * @param <T> the result type
     * @param coroutine the task's body
     * @return the task's outcome, for any thread
     * @throws NullPointerException if {@code coroutine} is null
     * @throws IllegalStateException if the group is closed
     */
    public <T> CompletableFuture<T> submit(Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        return next().runCoroutineThreadsafe(coroutine);
    }

    /**
     * Runs {@code coroutine} as a task of member {@code index}, as
     * {@link #submit(Coroutine)}. Any thread.
     *
     * @param <T> the result type
     * @param index the member's index, from 0
     * @param coroutine the task's body
     * @return the task's outcome, for any thread
     * @throws NullPointerException if {@code coroutine} is null
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code 0..size()-1}
     * @throws IllegalStateException if the group is closed
     */
    public <T> CompletableFuture<T> submit(int index, Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        return get(index).runCoroutineThreadsafe(coroutine);
    }

    /**
     * Whether {@link #close()} was called. Any thread.
     *
     * @return true once {@code close()} has begun
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops every member, waits for its thread and closes it, as described
     * in the class comment. Idempotent; a second caller waits for the first
     * to finish. Any thread but a member's. If the calling thread is
     * interrupted while waiting, the wait goes on (a half-closed group would
     * leak running loops) and the interrupt status is set again on return.
     *
     * @throws IllegalStateException if called on a member of this group
     * @throws RuntimeException the first failure of a member (an exception
     *     that escaped its {@code runForever} or its {@code close}), with the
     *     others suppressed
     */
    @Override
    public void close() {
        for (Loop l : loops) {
            if (l.inLoop()) {
                throw new IllegalStateException("LoopGroup '" + name + "' cannot be closed on its own member "
                        + l + ": close() waits for every member to stop");
            }
        }
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Loop l : loops) {
                try {
                    l.callSoonThreadsafe(l::stop);
                } catch (IllegalStateException alreadyClosed) {
                    // closed by its user behind the group's back: its thread has left runForever already
                }
            }
            boolean interrupted = false;
            for (Thread t : threads) {
                for (;;) {
                    try {
                        t.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            List<Throwable> failures = new ArrayList<>();
            synchronized (runFailures) {
                runFailures.stream().filter(Objects::nonNull).forEach(failures::add);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            closeAll(loops, failures);
        }
    }

    /** Closes every loop of {@code all}, then throws {@code first} with every other failure suppressed. */
    private static void closeAll(List<Loop> all, Throwable first) {
        List<Throwable> failures = new ArrayList<>();
        failures.add(first);
        closeAll(all, failures);
    }

    private static void closeAll(List<Loop> all, List<Throwable> failures) {
        for (Loop l : all) {
            try {
                l.close();
            } catch (RuntimeException | Error e) {
                failures.add(e);
            }
        }
        if (failures.isEmpty()) {
            return;
        }
        Throwable first = failures.get(0);
        for (Throwable other : failures.subList(1, failures.size())) {
            first.addSuppressed(other);
        }
        throw Sneaky.<RuntimeException>rethrow(first);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("LoopGroup '" + name + "' is closed");
        }
    }

    @Override
    public String toString() {
        return "LoopGroup[" + name + ", " + loops.size() + " loops" + (closed ? ", closed" : "") + "]";
    }
}
