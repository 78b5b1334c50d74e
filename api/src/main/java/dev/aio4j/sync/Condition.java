package dev.aio4j.sync;

import dev.aio4j.CancelledError;
import dev.aio4j.Loop;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable over a {@link Lock}: asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-sync.html#asyncio.Condition">{@code Condition}</a>.
 *
 * <pre>{@code
 * try (Hold h = cond.hold()) {
 *     cond.waitFor(() -> !items.isEmpty());   // releases the lock while it waits
 *     item = items.removeFirst();
 * }
 * }</pre>
 *
 * <p>{@link #await()} releases the lock, waits for a {@link #signal()} (or
 * {@link #signalAll()}), and acquires the lock again before it returns,
 * <em>also when the task is cancelled</em>: the {@link CancelledError} is
 * thrown with the lock held, so that the {@code try}/{@code hold} around it
 * releases a lock it holds (as asyncio's {@code Condition.wait}). A task that
 * was signalled and is cancelled before it resumes passes the signal on to
 * the next waiter (CPython gh-112202, SPEC Y20).
 *
 * <p><b>How it differs from {@link java.util.concurrent.locks.Condition}.</b>
 * Its waits suspend a task, never a thread; {@code Object.wait}/{@code notify}
 * are final, so waiting is {@code await} and notifying {@code signal}, as in
 * {@code java.util.concurrent}. The lock is asyncio's: not owned, so
 * {@code await} and {@code signal} require it to be locked, not locked by the
 * caller.
 *
 * <p><b>Threads.</b> A condition is bound to the loop of its lock (the first
 * loop that uses either); every method except {@link #toString()} must be
 * called on that loop (from a thread that runs no loop:
 * {@link WrongThreadException}; from another loop:
 * {@link IllegalStateException} naming both). {@code await}, {@code waitFor},
 * {@code acquire} and {@code hold} must be called in a task.
 *
 * <p>Memory consistency effects: actions of a task before {@code signal()}
 * or {@code signalAll()} happen-before the actions of a task after its
 * {@code await()} returns; those of a task before it releases the lock
 * happen-before those of the next task that acquires it (SPEC H11: the loop
 * runs its steps one at a time, each happening-before the next).
 */
public final class Condition {
    private final Lock lock;
    /** The tasks waiting for a signal, FIFO. A signal not taken passes on, or is dropped when nobody waits. */
    private final WaitQueue<Void> waiters = new WaitQueue<>(unused -> { });

    /** A condition with a lock of its own. */
    public Condition() {
        this(new Lock());
    }

    /**
     * A condition over {@code lock}, which several conditions may share.
     *
     * @param lock the lock it uses
     * @throws NullPointerException if {@code lock} is null
     */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /**
     * The lock.
     *
     * @return the lock
     */
    public Lock lock() {
        return lock;
    }

    /** {@code lock().acquire()}. */
    public void acquire() {
        lock.acquire();
    }

    /**
     * {@code lock().tryAcquire()}.
     *
     * @return true if the lock was taken
     */
    public boolean tryAcquire() {
        return lock.tryAcquire();
    }

    /** {@code lock().release()}. */
    public void release() {
        lock.release();
    }

    /**
     * {@code lock().isLocked()}.
     *
     * @return true if the lock is held
     */
    public boolean isLocked() {
        return lock.isLocked();
    }

    /**
     * {@code lock().hold()}.
     *
     * @return the hold; closing it releases the lock
     */
    public Hold hold() {
        return lock.hold();
    }

    /**
     * Releases the lock, waits until signalled, and acquires the lock again.
     * The lock is held again when this returns or throws, also after a
     * cancellation (if the task is cancelled again while it re-acquires, it
     * goes on re-acquiring and throws the latest cancellation).
     *
     * @throws CancelledError if the task is cancelled while it waits (with the lock held again)
     * @throws IllegalStateException if the lock is not locked ("cannot wait on un-acquired lock");
     *     outside a task; on a loop other than the condition's
     * @throws WrongThreadException from a thread that runs no event loop
     */
    public void await() {
        Loop loop = lock.binding.checkTask("Condition", "await()");
        if (!lock.isLocked()) {
            throw new IllegalStateException("cannot wait on un-acquired lock: Condition.await() needs its lock held");
        }
        lock.releaseChecked();
        Throwable failure = null;
        try {
            waiters.await(loop);
        } catch (Throwable t) {
            failure = t;
        }
        // Must re-acquire the lock even if the wait was cancelled, as asyncio does.
        while (true) {
            try {
                lock.acquire();
                break;
            } catch (CancelledError c) {
                failure = c;
            }
        }
        if (failure != null) {
            throw Rethrow.unchecked(failure);
        }
    }

    /**
     * Waits until {@code predicate} is true: checks it first (with the lock
     * held), then after every wake-up. Returns with the lock held.
     *
     * @param predicate checked with the lock held
     * @throws NullPointerException if {@code predicate} is null
     * @throws CancelledError as {@link #await()}
     * @throws IllegalStateException as {@link #await()}
     */
    public void waitFor(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /** {@code signal(1)}. */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiting tasks, oldest first; each acquires the
     * lock before its {@code await()} returns. A woken task cancelled before
     * it resumes passes its wake-up to the next waiter.
     *
     * @param n how many waiters at most
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if the lock is not locked ("cannot notify on un-acquired lock")
     */
    public void signal(int n) {
        lock.binding.check("Condition", "signal()");
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        if (!lock.isLocked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock: Condition.signal() needs its lock held");
        }
        for (int i = 0; i < n && waiters.wakeOne(null); i++) {
            // each wake-up hands one signal to the first task still waiting
        }
    }

    /**
     * Wakes every task waiting now, oldest first.
     *
     * @throws IllegalStateException if the lock is not locked ("cannot notify on un-acquired lock")
     */
    public void signalAll() {
        lock.binding.check("Condition", "signalAll()");
        if (!lock.isLocked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock: Condition.signalAll() needs its lock held");
        }
        waiters.wakeAll(null);
    }

    /** The state: {@code Condition[Lock[locked], waiters=2]}. Any thread (a snapshot, maybe stale). */
    @Override
    public String toString() {
        return "Condition[" + lock + (waiters.size() > 0 ? ", waiters=" + waiters.size() : "") + "]";
    }
}
