package dev.aio4j.engine;

/** Waiting for a thread that must not be abandoned half-way. */
public final class Joins {
    private Joins() {}

    /**
     * Joins {@code t} even if interrupted meanwhile, then restores the
     * interrupt status: the thread's work (a running loop, the poller's start)
     * must not be left behind because the caller was interrupted.
     *
     * @param t the thread to wait for
     */
    public static void uninterruptibly(Thread t) {
        boolean interrupted = false;
        for (;;) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
