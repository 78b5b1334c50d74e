package dev.aio4j.engine;

import java.util.concurrent.locks.LockSupport;

/**
 * One participant of a loop's baton: the loop strand (the thread that runs
 * {@code runForever}) or a task's virtual thread. Exactly one strand holds
 * the baton at a time ({@link RunLoop}'s {@code owner}); only it may
 * touch the loop's state.
 */
final class Strand {
    /** The task this strand runs, or null for the loop strand. */
    final LoopTask<?> task;

    /** Set before the strand first gets the baton; read by whoever hands it over. */
    Thread thread;

    /** Whether {@link #thread} was started. Baton holder only. */
    boolean started;

    /** Set when the loop closes while this strand is parked: it must unwind. Any thread. */
    volatile boolean abandoned;

    Strand(LoopTask<?> task) {
        this.task = task;
    }

    /** Lets the strand run: starts its thread the first time, unparks it after. Baton holder only. */
    void resume() {
        if (!started) {
            started = true;
            thread.start();
        } else {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Thrown inside a strand whose loop was closed while it waited, so that the
     * task's code unwinds (running its finally blocks) and its thread ends.
     * An {@link Error} so that {@code catch (Exception e)} does not stop it.
     */
    static final class Abandoned extends Error {
        private static final long serialVersionUID = 1L;
        static final Abandoned INSTANCE = new Abandoned();

        private Abandoned() {
            super("the loop was closed while this task was pending", null, false, false);
        }
    }
}
