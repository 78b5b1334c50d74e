package dev.aio4j.sync;

import dev.aio4j.CancelledError;
import dev.aio4j.Future;
import dev.aio4j.Loop;

/**
 * The one wait queue every primitive of this package is built on: a FIFO of
 * waiting tasks, each suspended on a loop {@link Future} of its own that the
 * primitive completes to wake it.
 *
 * <p><b>Two kinds of wake-up.</b> {@link #wakeOne} hands one unit of
 * something (a lock's ownership, a permit, a token, a notification, an item)
 * to the first waiter still waiting: the wake-up is <em>transferable</em>.
 * {@link #wakeAll} tells every waiter present that something happened (an
 * event was set, a barrier opened): nothing is handed over, and nothing is
 * passed on.
 *
 * <p><b>The race this class exists for.</b> A waiter is woken by completing
 * its future; its task resumes only at a later step of the loop. If the task
 * is cancelled in between (by a {@code cancel()}, a timeout, a task group),
 * its {@code await()} throws {@link CancelledError} although the future has a
 * result (SPEC C13): the task will never use what it was handed. Every
 * asyncio primitive once lost that unit here, and the other waiters waited
 * forever: CPython bpo-27585 (Lock), gh-90155 (Semaphore), gh-112202
 * (Condition), python/asyncio#343 (Queue). This class is the single place
 * where it is handled: a woken waiter that leaves without resuming normally
 * passes a transferable wake-up to the next waiter still waiting, or, if
 * there is none, gives it back to the primitive ({@link Unclaimed}). A
 * primitive therefore never handles a cancellation itself.
 *
 * <p><b>Waiters whose task was cancelled while waiting</b> stay linked until
 * their task resumes and unlinks them; {@code wakeOne} skips (and unlinks)
 * any waiter whose future is already done, so a wake-up never goes to a task
 * that will not take it.
 *
 * <p>Threads: confined to the primitive's loop, as the primitive is; no field
 * is read or written anywhere else. Every step runs alone on that loop (SPEC
 * H11), so no state change here needs a lock or a volatile field.
 *
 * @param <T> what a wake-up carries (null for the primitives that hand over
 *     nothing but the wake-up itself)
 */
final class WaitQueue<T> {

    /** Where a transferable wake-up that no waiter can take goes back. */
    @FunctionalInterface
    interface Unclaimed<T> {
        /**
         * Called on the loop, in the step of the cancelled task that was
         * handed {@code value}, when no other waiter waits.
         */
        void giveBack(T value);
    }

    /** A waiter state. */
    private static final int WAITING = 0;
    private static final int WOKEN = 1;
    private static final int LEFT = 2;

    /** One waiting task. */
    private static final class Waiter<T> {
        final Future<T> future;
        Waiter<T> prev;
        Waiter<T> next;
        /**
         * WAITING (linked) -> WOKEN (unlinked by wakeOne/wakeAll, future
         * completed) -> LEFT (its task resumed); WAITING -> LEFT (its task left
         * without a wake-up: cancelled, or skipped by wakeOne because its
         * future was cancelled).
         */
        int state = WAITING;
        /** Set with WOKEN: whether the wake-up is handed on if the task does not take it. */
        boolean transferable;
        /** Set with WOKEN: what the wake-up carries. */
        T value;

        Waiter(Future<T> future) {
            this.future = future;
        }
    }

    private final Unclaimed<T> unclaimed;
    /** The linked waiters, oldest first: appended by await, unlinked by wakeOne/wakeAll or by a waiter leaving. */
    private Waiter<T> head;
    private Waiter<T> tail;
    /** How many are linked (waiters whose task was cancelled but has not resumed yet included). */
    private int size;

    /** @param unclaimed where a transferable wake-up goes when no waiter can take it */
    WaitQueue(Unclaimed<T> unclaimed) {
        this.unclaimed = unclaimed;
    }

    /**
     * Suspends the calling task (a task of {@code loop}) at the back of the
     * queue until a wake-up reaches it, and returns what the wake-up carries.
     * If the task leaves in any other way (a cancellation, also one that
     * arrives after the wake-up), it is unlinked, and a transferable wake-up
     * it was handed goes on to the next waiter or back to the primitive,
     * before the exception propagates unchanged.
     */
    T await(Loop loop) {
        Waiter<T> w = new Waiter<>(loop.createFuture());
        link(w);
        T value;
        try {
            value = w.future.await();
        } catch (Throwable t) {
            try {
                leave(w);
            } catch (Throwable e) { // passing on failed (the loop closed?): keep the task's own exception first
                t.addSuppressed(e);
            }
            throw t;
        }
        w.state = LEFT;
        w.value = null;
        return value;
    }

    private void leave(Waiter<T> w) {
        if (w.state == WAITING) {
            unlink(w);
        } else if (w.state == WOKEN && w.transferable) {
            T value = w.value;
            w.value = null;
            if (!wakeOne(value)) {
                unclaimed.giveBack(value);
            }
        }
        w.state = LEFT;
    }

    /**
     * Hands {@code value} to the first waiter still waiting (FIFO), waking it;
     * if its task then leaves without taking it, it passes on (see the class
     * comment).
     *
     * @return whether a waiter took it; false if none waits (the caller keeps it)
     */
    boolean wakeOne(T value) {
        for (Waiter<T> w = head; w != null; w = head) {
            unlink(w);
            if (w.future.isDone()) { // its task was cancelled while waiting, and has not resumed yet
                w.state = LEFT;
                continue;
            }
            w.state = WOKEN;
            w.transferable = true;
            w.value = value;
            w.future.setResult(value);
            return true;
        }
        return false;
    }

    /**
     * Wakes every waiter still waiting, oldest first, each with {@code value};
     * nothing is passed on if one of them does not resume. Waiters that arrive
     * later are not woken.
     *
     * @return how many were woken
     */
    int wakeAll(T value) {
        int n = 0;
        for (Waiter<T> w = head; w != null; w = head) {
            unlink(w);
            if (w.future.isDone()) {
                w.state = LEFT;
                continue;
            }
            w.state = WOKEN;
            w.transferable = false;
            w.future.setResult(value);
            n++;
        }
        return n;
    }

    /** How many waiters are linked (a cancelled one counts until its task resumes). */
    int size() {
        return size;
    }

    private void link(Waiter<T> w) {
        w.prev = tail;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        size++;
    }

    private void unlink(Waiter<T> w) {
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        size--;
    }
}
