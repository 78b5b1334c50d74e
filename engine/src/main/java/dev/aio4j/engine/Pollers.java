package dev.aio4j.engine;

/**
 * Guards against the poller hijack (toolchain notes, item 6, pitfall 1).
 *
 * <p>On Linux, JDK 25 by default runs its socket sub-pollers as virtual
 * threads, started lazily by the first thread that blocks on socket I/O. A
 * virtual thread started by one of ours inherits our loop as its scheduler,
 * so if the JVM's first blocking socket call happened in a task, the JVM-wide
 * pollers would live on our loop, and socket I/O everywhere in the JVM would
 * stall once the loop stops. So before the first loop opens, the poller class
 * is initialised (which starts the pollers) from a platform thread: they land
 * on the default scheduler. {@code -Djdk.pollerMode=1} (platform poller
 * threads) also avoids the problem and makes this a no-op.
 */
final class Pollers {
    private static volatile boolean started;

    private Pollers() {}

    /** Starts the JDK's socket pollers from a platform thread, once. Any thread. */
    static void ensureStarted() {
        if (started) {
            return;
        }
        synchronized (Pollers.class) {
            if (started) {
                return;
            }
            Thread t = Thread.ofPlatform().daemon().name("aio4j-poller-init").start(() -> {
                try {
                    Class.forName("sun.nio.ch.Poller", true, null);
                } catch (ClassNotFoundException | LinkageError e) {
                    // another JDK layout: nothing to pre-start
                }
            });
            Joins.uninterruptibly(t);
            started = true;
        }
    }
}
