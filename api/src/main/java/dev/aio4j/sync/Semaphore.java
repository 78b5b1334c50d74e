package dev.aio4j.sync;

import dev.aio4j.CancelledError;
import dev.aio4j.Loop;

/**
 * A counting semaphore for the tasks of one loop: asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore">{@code Semaphore}</a>.
 * It holds a number of permits; {@link #acquire()} takes one, suspending
 * the task while there is none, and {@link #release()} gives one back.
 *
 * <pre>{@code
 * Semaphore connections = new Semaphore(10);
 * try (Hold h = connections.hold()) {
 *     fetch(url);
 * }
 * }</pre>
 *
 * <p><b>Fair, without barging.</b> Tasks get permits in the order they
 * began waiting: {@code release()} with a task waiting hands the permit
 * directly to the first waiter, so that {@link #availablePermits()} stays 0
 * and {@link #tryAcquire()} fails until that waiter resumes. If it is
 * cancelled before it resumes, the permit goes on to the next waiter, or back
 * to the count if none waits (CPython gh-90155, SPEC Y26). A plain
 * {@code Semaphore} may be released more often than it was acquired (each
 * release adds a permit); {@link BoundedSemaphore} refuses that.
 *
 * <p><b>How it differs from {@link java.util.concurrent.Semaphore}.</b>
 * {@code acquire()} suspends the calling task, never a thread; it is always
 * fair; permits are taken and given one at a time, as in asyncio.
 *
 * <p><b>Threads.</b> The semaphore binds to the first loop that uses it;
 * every method except {@link #toString()} must then be called on that loop
 * (from a thread that runs no loop: {@link WrongThreadException}; from
 * another loop: {@link IllegalStateException} naming both).
 * {@code acquire()} and {@code hold()} must be called in a task; the others
 * work in callbacks too.
 *
 * <p>Memory consistency effects: actions of a task before {@code release()}
 * happen-before the actions of the task that then acquires the permit (SPEC
 * H11: the loop runs its steps one at a time, each happening-before the next).
 */
public sealed class Semaphore permits BoundedSemaphore {
    final LoopBinding binding = new LoopBinding();
    private final String type;
    /**
     * The free permits, never negative. Decremented by acquire/tryAcquire when
     * positive; incremented by release when no task waits (else the permit is
     * handed to the first waiter and the count stays), and by a woken waiter
     * cancelled with nobody after it. Invariant: while it is positive, no task
     * waits.
     */
    private int value;
    /** The tasks waiting, FIFO; a wake-up hands one permit over. */
    private final WaitQueue<Void> waiters = new WaitQueue<>(unused -> value++);

    /**
     * A semaphore with {@code permits} permits (zero allowed).
     *
     * @param permits the initial permits
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public Semaphore(int permits) {
        this(permits, "Semaphore");
    }

    Semaphore(int permits, String type) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative: " + permits);
        }
        this.value = permits;
        this.type = type;
    }

    /**
     * Takes a permit, suspending the calling task until one is handed to it
     * if none is free. A free permit is taken at once, without suspending.
     *
     * @throws CancelledError if the task is cancelled while it waits; it then
     *     holds no permit, and a permit handed to it goes on to the next waiter
     * @throws IllegalStateException outside a task, or on a loop other than the semaphore's
     * @throws WrongThreadException from a thread that runs no event loop
     */
    public void acquire() {
        Loop loop = binding.checkTask(type, "acquire()");
        if (value > 0) {
            value--;
            return;
        }
        waiters.await(loop); // woken with a permit handed over
    }

    /**
     * Takes a permit if one is free, without suspending; works in callbacks.
     *
     * @return whether a permit was taken (false while a released permit is
     *     being handed to a waiter that has not resumed yet)
     */
    public boolean tryAcquire() {
        binding.check(type, "tryAcquire()");
        if (value > 0) {
            value--;
            return true;
        }
        return false;
    }

    /**
     * Gives a permit back: hands it to the first task waiting, or adds it to
     * the free permits.
     *
     * @throws IllegalStateException for a {@link BoundedSemaphore} released more often than acquired
     */
    public void release() {
        binding.check(type, "release()");
        checkRelease(value);
        if (!waiters.wakeOne(null)) {
            value++;
        }
    }

    /** A {@link BoundedSemaphore}'s check before a release; nothing for a plain one. */
    void checkRelease(int free) {
    }

    /**
     * The free permits (0 while every permit is held or being handed over).
     *
     * @return the permits free
     */
    public int availablePermits() {
        binding.check(type, "availablePermits()");
        return value;
    }

    /**
     * Whether {@link #acquire()} would suspend: no permit is free (asyncio's {@code locked()}).
     *
     * @return true if no permit is free
     */
    public boolean isLocked() {
        binding.check(type, "isLocked()");
        return value == 0;
    }

    /**
     * {@link #acquire()}, and a {@link Hold} whose {@code close()} releases the permit once.
     *
     * @return the hold; closing it releases the permit
     */
    public Hold hold() {
        acquire();
        return new OnceHold(this::release);
    }

    /** The state: {@code Semaphore[permits=0, waiters=2]}. Any thread (a snapshot, maybe stale). */
    @Override
    public String toString() {
        return type + "[permits=" + value + (waiters.size() > 0 ? ", waiters=" + waiters.size() : "") + "]";
    }
}
