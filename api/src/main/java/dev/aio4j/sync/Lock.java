package dev.aio4j.sync;

import dev.aio4j.CancelledError;
import dev.aio4j.Loop;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A mutual-exclusion lock for the tasks of one loop: asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-sync.html#asyncio.Lock">{@code Lock}</a>.
 *
 * <pre>{@code
 * try (Hold h = lock.hold()) {     // async with lock:
 *     ...
 * }
 * String v = lock.withLock(() -> read());
 * }</pre>
 *
 * <p><b>Fair, without barging.</b> Waiters acquire in the order they began
 * waiting. {@link #release()} with a task waiting hands the lock directly to
 * the first waiter: the lock stays locked, and nobody ({@link #tryAcquire()},
 * a new {@link #acquire()}) can take it before that waiter resumes. If that
 * waiter is cancelled before it resumes, the lock goes on to the next waiter,
 * or is unlocked if none waits (CPython bpo-27585, SPEC Y8).
 *
 * <p><b>Not owned.</b> As in asyncio, the lock does not belong to the task
 * that acquired it: any task or callback of its loop may release it, and a
 * task acquiring a lock it already holds waits forever (it is not
 * reentrant).
 *
 * <p><b>How it differs from {@link java.util.concurrent.locks.ReentrantLock}.</b>
 * {@code acquire()} suspends the calling task, never a thread: the loop runs
 * its other tasks meanwhile. It is not reentrant and not owned, and it
 * serves the tasks of one loop, not threads.
 *
 * <p><b>Threads.</b> The lock binds to the first loop that uses it; every
 * method except {@link #toString()} must then be called on that loop (from a
 * thread that runs no loop: {@link WrongThreadException}; from another loop:
 * {@link IllegalStateException} naming both). {@link #acquire()},
 * {@link #hold()} and {@link #withLock} may suspend, so they must be called
 * in a task, not in a callback; the others work in callbacks too.
 *
 * <p>Memory consistency effects: the loop runs its tasks one step at a time,
 * each step happening-before the next (SPEC H11), so actions of a task before
 * {@code release()} happen-before the actions of the task that acquires the
 * lock next, whatever threads run them.
 */
public final class Lock {
    final LoopBinding binding;
    /**
     * UNLOCKED (false) -> LOCKED (true): acquire or tryAcquire on an unlocked
     * lock. LOCKED -> UNLOCKED: release with no task waiting (or a woken
     * waiter that was cancelled with nobody after it). LOCKED stays LOCKED
     * when release hands it to a waiter. Invariant: while it is unlocked, no
     * task waits.
     */
    private boolean locked;
    /** The tasks waiting, FIFO; a wake-up hands them the lock (the lock stays locked). */
    private final WaitQueue<Void> waiters = new WaitQueue<>(unused -> locked = false);

    /** A new unlocked lock, bound to no loop yet. */
    public Lock() {
        this.binding = new LoopBinding();
    }

    /**
     * Acquires the lock, suspending the calling task until it is its turn.
     * An unlocked lock (no task waits then) is taken at once, without
     * suspending.
     *
     * @throws CancelledError if the task is cancelled while it waits; it then
     *     does not hold the lock, and the lock, if it had been handed to it,
     *     goes on to the next waiter
     * @throws IllegalStateException outside a task, or on a loop other than the lock's
     * @throws WrongThreadException from a thread that runs no event loop
     */
    public void acquire() {
        Loop loop = binding.checkTask("Lock", "acquire()");
        if (!locked) {
            locked = true;
            return;
        }
        waiters.await(loop); // woken with the lock handed over: locked stays true
    }

    /**
     * Acquires the lock if it is unlocked, without suspending; works in
     * callbacks. Returns false while it is locked, also while it is being
     * handed to a waiter that has not resumed yet (no barging).
     *
     * @return whether the lock was acquired
     */
    public boolean tryAcquire() {
        binding.check("Lock", "tryAcquire()");
        if (locked) {
            return false;
        }
        locked = true;
        return true;
    }

    /**
     * Releases the lock: hands it to the first task waiting, or unlocks it.
     * Any task or callback of the lock's loop may release it.
     *
     * @throws IllegalStateException if the lock is not locked ("Lock is not acquired"); nothing changes
     */
    public void release() {
        binding.check("Lock", "release()");
        releaseChecked();
    }

    void releaseChecked() {
        if (!locked) {
            throw new IllegalStateException("Lock is not acquired: release() of an unlocked Lock");
        }
        if (!waiters.wakeOne(null)) {
            locked = false;
        }
    }

    /**
     * Whether the lock is held (or being handed to a waiter).
     *
     * @return true if held
     */
    public boolean isLocked() {
        binding.check("Lock", "isLocked()");
        return locked;
    }

    /**
     * {@link #acquire()}, and a {@link Hold} whose {@code close()} releases the lock once.
     *
     * @return the hold; closing it releases the lock
     */
    public Hold hold() {
        acquire();
        return new OnceHold(this::release);
    }

    /**
     * Runs {@code body} holding the lock and returns its value: acquires,
     * calls, and releases also when the body throws. The body's exception
     * passes through unchanged, checked or not, undeclared.
     *
     * @param <T> the result type
     * @param body what runs with the lock held
     * @return what it returned
     * @throws NullPointerException if {@code body} is null (nothing is acquired)
     */
    public <T> T withLock(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        acquire();
        try {
            return body.call();
        } catch (Exception e) {
            throw Rethrow.unchecked(e);
        } finally {
            release();
        }
    }

    /** The state, asyncio's repr: {@code Lock[locked, waiters=2]}. Any thread (a snapshot, maybe stale). */
    @Override
    public String toString() {
        return "Lock[" + (locked ? "locked" : "unlocked") + (waiters.size() > 0 ? ", waiters=" + waiters.size() : "") + "]";
    }
}
