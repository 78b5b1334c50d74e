package dev.aio4j.sync;

import dev.aio4j.AsyncIO;
import dev.aio4j.CancelledError;
import dev.aio4j.Loop;
import dev.aio4j.Task;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A pool of tokens lent to borrowers: Trio's and AnyIO's
 * <a href="https://trio.readthedocs.io/en/stable/reference-core.html#trio.CapacityLimiter">{@code CapacityLimiter}</a>.
 * Like a {@link Semaphore} of {@link #totalTokens()} permits, but each token is
 * lent to a borrower (the calling task by default, or any object given to
 * {@link #acquireOnBehalfOf}), which may hold at most one and must be the
 * one that gives it back; and the total can be changed while it is in use.
 *
 * <pre>{@code
 * CapacityLimiter downloads = new CapacityLimiter(4);
 * try (Hold h = downloads.hold()) {
 *     fetch(url);
 * }
 * downloads.setTotalTokens(8);   // wakes up to four more waiting tasks at once
 * }</pre>
 *
 * <p><b>Fair, without barging.</b> Borrowers get tokens in the order they
 * began waiting; a token given back, or made by raising the total, is handed
 * directly to the first waiter. If that waiter is cancelled before it
 * resumes, the token goes on to the next waiter, or back to the pool (the
 * race of CPython bpo-27585, in a limiter: SPEC Y35). Lowering the total
 * takes no token back: the borrowers keep theirs, and new ones wait until
 * the borrowed tokens fall below the total.
 *
 * <p><b>How it differs from {@link java.util.concurrent.Semaphore}.</b>
 * {@code acquire} suspends the calling task, never a thread; a token belongs
 * to its borrower (a borrower borrowing twice, or giving back a token it does
 * not hold, is an error); the total is adjustable.
 *
 * <p><b>Threads.</b> The limiter binds to the first loop that uses it; every
 * method except {@link #toString()} must then be called on that loop (from a
 * thread that runs no loop: {@link WrongThreadException}; from another loop:
 * {@link IllegalStateException} naming both). {@code acquire},
 * {@code acquireOnBehalfOf} and {@code hold} must be called in a task;
 * {@code tryAcquire()} and {@code release()}, whose borrower is the calling
 * task, too.
 *
 * <p>Memory consistency effects: actions of a task before it gives a token
 * back happen-before the actions of the task that borrows that token next
 * (SPEC H11: the loop runs its steps one at a time, each happening-before the
 * next).
 */
public final class CapacityLimiter {
    private final LoopBinding binding = new LoopBinding();
    /** At least 1; changed only by setTotalTokens. */
    private int total;
    /** The borrowers holding a token: added when a borrower gets one, removed when it gives it back. */
    private final Set<Object> borrowers = new HashSet<>();
    /** The borrowers waiting for a token: added when one begins to wait, removed when it stops. */
    private final Set<Object> pending = new HashSet<>();
    /**
     * Tokens handed to woken waiters that have not resumed yet: incremented by
     * a hand-over, decremented when the waiter resumes (its borrower then
     * holds the token) or when a cancelled waiter's token finds nobody after
     * it (back to the pool).
     */
    private int inFlight;
    /** The waiting borrowers, FIFO; a wake-up hands one token over. */
    private final WaitQueue<Void> waiters = new WaitQueue<>(unused -> inFlight--);

    /**
     * A limiter of {@code totalTokens} tokens.
     *
     * @param totalTokens how many borrowers at once
     * @throws IllegalArgumentException if {@code totalTokens} is less than 1
     */
    public CapacityLimiter(int totalTokens) {
        this.total = checkTotal(totalTokens);
    }

    private static int checkTotal(int totalTokens) {
        if (totalTokens < 1) {
            throw new IllegalArgumentException("totalTokens must be at least 1: " + totalTokens);
        }
        return totalTokens;
    }

    /** {@link #acquireOnBehalfOf} the calling task. */
    public void acquire() {
        binding.checkTask("CapacityLimiter", "acquire()");
        acquireOnBehalfOf(currentTask());
    }

    /**
     * Borrows a token for {@code borrower}, suspending the calling task until
     * one is handed to it if none is free. A free token is taken at once,
     * without suspending.
     *
     * @param borrower who borrows, compared by identity
     * @throws IllegalStateException if {@code borrower} already holds a token
     *     of this limiter or waits for one; outside a task; on a loop other
     *     than the limiter's
     * @throws NullPointerException if {@code borrower} is null
     * @throws CancelledError if the task is cancelled while it waits; the
     *     borrower then holds no token, and a token handed to it goes on
     */
    public void acquireOnBehalfOf(Object borrower) {
        Objects.requireNonNull(borrower, "borrower");
        Loop loop = binding.checkTask("CapacityLimiter", "acquireOnBehalfOf()");
        checkNotBorrowing(borrower);
        if (available() > 0) {
            borrowers.add(borrower);
            return;
        }
        pending.add(borrower);
        try {
            waiters.await(loop); // woken with a token handed over
        } finally {
            pending.remove(borrower);
        }
        inFlight--;
        borrowers.add(borrower);
    }

    /**
     * {@link #tryAcquireOnBehalfOf} the calling task.
     *
     * @return true if a token was borrowed
     */
    public boolean tryAcquire() {
        binding.checkTask("CapacityLimiter", "tryAcquire()");
        return tryAcquireOnBehalfOf(currentTask());
    }

    /**
     * Borrows a token for {@code borrower} if one is free, without
     * suspending; works in callbacks.
     *
     * @param borrower who borrows, compared by identity
     * @return whether a token was borrowed
     * @throws IllegalStateException if {@code borrower} already holds or waits for a token
     * @throws NullPointerException if {@code borrower} is null
     */
    public boolean tryAcquireOnBehalfOf(Object borrower) {
        Objects.requireNonNull(borrower, "borrower");
        binding.check("CapacityLimiter", "tryAcquireOnBehalfOf()");
        checkNotBorrowing(borrower);
        if (available() > 0) {
            borrowers.add(borrower);
            return true;
        }
        return false;
    }

    /** {@link #releaseOnBehalfOf} the calling task. */
    public void release() {
        binding.checkTask("CapacityLimiter", "release()");
        releaseOnBehalfOf(currentTask());
    }

    /**
     * Gives back the token {@code borrower} holds: it goes to the first task
     * waiting, or back to the pool.
     *
     * @param borrower who borrowed
     * @throws IllegalStateException if {@code borrower} holds no token of this limiter (nothing changes)
     * @throws NullPointerException if {@code borrower} is null
     */
    public void releaseOnBehalfOf(Object borrower) {
        Objects.requireNonNull(borrower, "borrower");
        binding.check("CapacityLimiter", "releaseOnBehalfOf()");
        if (!borrowers.remove(borrower)) {
            throw new IllegalStateException("this borrower isn't holding any of this CapacityLimiter's tokens: "
                    + borrower);
        }
        handOver();
    }

    /**
     * {@link #acquire()}, and a {@link Hold} whose {@code close()} gives the calling task's token back once.
     *
     * @return the hold; closing it releases the token
     */
    public Hold hold() {
        acquire();
        Object borrower = currentTask();
        return new OnceHold(() -> releaseOnBehalfOf(borrower));
    }

    /**
     * The number of tokens.
     *
     * @return the number of tokens
     */
    public int totalTokens() {
        binding.check("CapacityLimiter", "totalTokens()");
        return total;
    }

    /**
     * Changes the number of tokens. Raising it hands the new tokens to the
     * tasks waiting, oldest first, at once; lowering it takes no token back.
     *
     * @param totalTokens the new number of tokens
     * @throws IllegalArgumentException if {@code totalTokens} is less than 1 (nothing changes)
     */
    public void setTotalTokens(int totalTokens) {
        binding.check("CapacityLimiter", "setTotalTokens()");
        total = checkTotal(totalTokens);
        handOver();
    }

    /**
     * The tokens lent (to borrowers, or being handed to a waiter that has not resumed yet).
     *
     * @return the number borrowed
     */
    public int borrowedTokens() {
        binding.check("CapacityLimiter", "borrowedTokens()");
        return borrowed();
    }

    /**
     * The tokens free: {@code max(0, totalTokens - borrowedTokens)}.
     *
     * @return the number free
     */
    public int availableTokens() {
        binding.check("CapacityLimiter", "availableTokens()");
        return available();
    }

    /**
     * How many borrowers wait for a token.
     *
     * @return the number of tasks waiting
     */
    public int waiting() {
        binding.check("CapacityLimiter", "waiting()");
        return pending.size();
    }

    private int borrowed() {
        return borrowers.size() + inFlight;
    }

    private int available() {
        return Math.max(0, total - borrowed());
    }

    /** Hands free tokens to the first waiters, while both last. */
    private void handOver() {
        while (available() > 0 && waiters.wakeOne(null)) {
            inFlight++;
        }
    }

    private void checkNotBorrowing(Object borrower) {
        if (borrowers.contains(borrower)) {
            throw new IllegalStateException("this borrower is already holding one of this CapacityLimiter's tokens: "
                    + borrower);
        }
        if (pending.contains(borrower)) {
            throw new IllegalStateException("this borrower is already waiting for one of this CapacityLimiter's tokens: "
                    + borrower);
        }
    }

    private static Task<?> currentTask() {
        return AsyncIO.currentTask().orElseThrow();
    }

    /** The state: {@code CapacityLimiter[borrowed=4/4, waiting=2]}. Any thread (a snapshot, maybe stale). */
    @Override
    public String toString() {
        return "CapacityLimiter[borrowed=" + (borrowers.size() + inFlight) + "/" + total
                + (waiters.size() > 0 ? ", waiting=" + waiters.size() : "") + "]";
    }
}
