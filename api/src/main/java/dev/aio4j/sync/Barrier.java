package dev.aio4j.sync;

import dev.aio4j.CancelledError;
import dev.aio4j.Loop;

/**
 * A cyclic barrier for the tasks of one loop: asyncio 3.11's
 * <a href="https://docs.python.org/3/library/asyncio-sync.html#asyncio.Barrier">{@code Barrier}</a>.
 * Tasks call {@link #await()}; each waits until {@link #parties()} tasks are
 * in it, then all are released together, each {@code await()} returning the
 * task's arrival index (0 for the first, {@code parties - 1} for the last,
 * which does not suspend).
 *
 * <p><b>Rounds.</b> The barrier then <em>drains</em>: the released tasks
 * leave, and a task arriving meanwhile waits until they all have left before
 * it counts for the next round; then the barrier fills again. It can be
 * used any number of times.
 *
 * <p><b>Breaking.</b> {@link #abort()} breaks it: the tasks in it and every
 * later {@code await()} throw {@link BrokenBarrierException}, until
 * {@link #reset()}. {@code reset()} makes the tasks in it throw
 * {@code BrokenBarrierException} and the barrier fill again once they have
 * left. A task cancelled while it waits for the barrier to fill leaves it
 * (it no longer counts) and the others wait on. In asyncio {@code reset} and
 * {@code abort} are coroutines only because they take the barrier's internal
 * lock; here nothing needs to wait, so they are plain calls that work in
 * callbacks too.
 *
 * <p><b>How it differs from {@link java.util.concurrent.CyclicBarrier}.</b>
 * {@code await()} suspends the calling task, never a thread; the index counts
 * up (the JDK's counts down); there is no barrier action and no timeout (use
 * {@code AsyncIO.timeout} around it); the broken exception is unchecked.
 *
 * <p><b>Threads.</b> The barrier binds to the first loop that uses it; every
 * method except {@link #toString()} must then be called on that loop (from a
 * thread that runs no loop: {@link WrongThreadException}; from another loop:
 * {@link IllegalStateException} naming both). {@code await()} must be called
 * in a task.
 *
 * <p>Memory consistency effects: actions of each task before its
 * {@code await()} happen-before the actions of every task of the same round
 * after its {@code await()} returns (SPEC H11: the loop runs its steps one at
 * a time, each happening-before the next).
 */
public final class Barrier {
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    private final LoopBinding binding = new LoopBinding();
    private final int parties;
    /**
     * FILLING -> DRAINING: the last party arrived. DRAINING -> FILLING and
     * RESETTING -> FILLING: the last task in the barrier left. Any state ->
     * BROKEN: abort(). Any state -> RESETTING (tasks in it) or FILLING (none):
     * reset().
     */
    private State state = State.FILLING;
    /** The tasks in the barrier: arrived and not yet left. */
    private int count;
    /** The tasks of the round being filled, waiting for the last party (or an abort or a reset). */
    private final WaitQueue<Void> filling = new WaitQueue<>(unused -> { });
    /** The tasks that arrived while the barrier drained or reset, waiting for it to fill again. */
    private final WaitQueue<Void> blocked = new WaitQueue<>(unused -> { });

    /**
     * A barrier for {@code parties} tasks.
     *
     * @param parties how many tasks each pass waits for
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be at least 1: " + parties);
        }
        this.parties = parties;
    }

    /**
     * Waits until {@link #parties()} tasks are in the barrier, and returns
     * this task's arrival index, 0 to {@code parties - 1}.
     *
     * @return the arrival index
     * @throws BrokenBarrierException if the barrier is broken, or is aborted
     *     or reset while this task waits in it
     * @throws CancelledError if the task is cancelled while it waits; it then no
     *     longer counts as arrived
     * @throws IllegalStateException outside a task, or on a loop other than the barrier's
     * @throws WrongThreadException from a thread that runs no event loop
     */
    public int await() {
        Loop loop = binding.checkTask("Barrier", "await()");
        while (state == State.DRAINING || state == State.RESETTING) {
            blocked.await(loop);
        }
        if (state == State.BROKEN) {
            throw new BrokenBarrierException("Barrier aborted");
        }
        int index = count++;
        try {
            if (index + 1 == parties) {
                state = State.DRAINING;
                filling.wakeAll(null);
            } else {
                while (state == State.FILLING) {
                    filling.await(loop);
                }
                if (state == State.BROKEN || state == State.RESETTING) {
                    throw new BrokenBarrierException("Barrier aborted or reset while waiting");
                }
            }
            return index;
        } finally {
            count--;
            if (count == 0) {
                if (state == State.DRAINING || state == State.RESETTING) {
                    state = State.FILLING;
                }
                blocked.wakeAll(null);
            }
        }
    }

    /**
     * Puts the barrier back to its empty, filling state: the tasks waiting in
     * it throw {@link BrokenBarrierException}, and tasks arriving before they
     * have all left wait for the next round. Also mends an aborted barrier.
     */
    public void reset() {
        binding.check("Barrier", "reset()");
        state = count > 0 ? State.RESETTING : State.FILLING;
        filling.wakeAll(null);
        blocked.wakeAll(null);
    }

    /**
     * Breaks the barrier: the tasks waiting in it, and every later
     * {@link #await()} until {@link #reset()}, throw {@link BrokenBarrierException}.
     */
    public void abort() {
        binding.check("Barrier", "abort()");
        state = State.BROKEN;
        filling.wakeAll(null);
        blocked.wakeAll(null);
    }

    /**
     * How many tasks must arrive to release a round. Any thread.
     *
     * @return the number of parties
     */
    public int parties() {
        return parties;
    }

    /**
     * How many tasks wait for the round being filled (0 while it drains, resets or is broken).
     *
     * @return the number of tasks waiting
     */
    public int waiting() {
        binding.check("Barrier", "waiting()");
        return state == State.FILLING ? count : 0;
    }

    /**
     * Whether the barrier is broken ({@link #abort()}, until {@link #reset()}).
     *
     * @return true once broken
     */
    public boolean isBroken() {
        binding.check("Barrier", "isBroken()");
        return state == State.BROKEN;
    }

    /** The state: {@code Barrier[filling, waiting=2/3]}. Any thread (a snapshot, maybe stale). */
    @Override
    public String toString() {
        return "Barrier[" + state.name().toLowerCase(java.util.Locale.ROOT) + ", waiting=" + count + "/" + parties + "]";
    }
}
