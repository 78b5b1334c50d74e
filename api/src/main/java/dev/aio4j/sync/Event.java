package dev.aio4j.sync;

import dev.aio4j.CancelledError;
import dev.aio4j.Loop;

/**
 * A flag tasks can wait for: asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-sync.html#asyncio.Event">{@code Event}</a>.
 * {@link #set()} wakes every task in {@link #await()}; once set, {@code await()}
 * returns at once until {@link #clear()}.
 *
 * <p>A {@code set()} wakes every task waiting at that moment, in the order they
 * began waiting, even if the event is cleared again before they resume; a
 * task that begins waiting after the {@code clear()} waits for the next
 * {@code set()} (SPEC Y14).
 *
 * <p><b>How it differs from {@link java.util.concurrent.CountDownLatch}</b> and
 * friends: {@code await()} suspends the calling task, never a thread, and the
 * event can be cleared and set again. The waiting method is named
 * {@code await} because {@code Object.wait} is final.
 *
 * <p><b>Threads.</b> The event binds to the first loop that uses it; every
 * method except {@link #toString()} must then be called on that loop (from a
 * thread that runs no loop: {@link WrongThreadException}; from another loop:
 * {@link IllegalStateException} naming both). {@code await()} must be called
 * in a task; {@code set()}, {@code clear()} and {@code isSet()} work in
 * callbacks too. From another thread, set it through the loop:
 * {@code loop.callSoonThreadsafe(event::set)}.
 *
 * <p>Memory consistency effects: actions of a task or callback before
 * {@code set()} happen-before the actions of each task after its
 * {@code await()} returns (the loop runs its steps one at a time, each
 * happening-before the next: SPEC H11).
 */
public final class Event {
    private final LoopBinding binding = new LoopBinding();
    /** CLEAR (false) -> SET (true) by set(), waking every waiter; SET -> CLEAR by clear(). */
    private boolean value;
    /** The tasks waiting for the next set(), FIFO; woken all at once, nothing handed over. */
    private final WaitQueue<Void> waiters = new WaitQueue<>(unused -> { });

    /** A new event, not set, bound to no loop yet. */
    public Event() {}

    /**
     * Waits until the event is set: returns at once if it is, else suspends
     * the calling task until the next {@link #set()}.
     *
     * @throws CancelledError if the task is cancelled while it waits
     * @throws IllegalStateException outside a task, or on a loop other than the event's
     * @throws WrongThreadException from a thread that runs no event loop
     */
    public void await() {
        Loop loop = binding.checkTask("Event", "await()");
        if (value) {
            return;
        }
        waiters.await(loop);
    }

    /** Sets the event, waking every task waiting, oldest first; nothing if it is already set. */
    public void set() {
        binding.check("Event", "set()");
        if (!value) {
            value = true;
            waiters.wakeAll(null);
        }
    }

    /** Clears the event: later {@code await()}s wait for the next {@code set()}. Tasks already woken stay woken. */
    public void clear() {
        binding.check("Event", "clear()");
        value = false;
    }

    /**
     * Whether the event is set.
     *
     * @return true if set
     */
    public boolean isSet() {
        binding.check("Event", "isSet()");
        return value;
    }

    /** The state: {@code Event[set]}, {@code Event[unset, waiters=3]}. Any thread (a snapshot, maybe stale). */
    @Override
    public String toString() {
        return "Event[" + (value ? "set" : "unset") + (waiters.size() > 0 ? ", waiters=" + waiters.size() : "") + "]";
    }
}
