package dev.aio4j.spi;

import java.lang.ref.WeakReference;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Debug mode's watchdog: one daemon platform thread for the whole JVM that
 * looks, every few milliseconds, at what each loop in debug mode is running,
 * and reports a callback or task step that has run longer than the loop's
 * slow threshold while it is still running, with the stack of the thread that
 * runs it (see {@link AbstractLoop#checkBlocked}). A slow unit reported
 * after it ends says that the loop was slow; this says where it is stuck.
 *
 * <p>Loops are held weakly: a loop that is dropped without close() does not
 * keep itself alive through its watchdog. The thread starts with the first
 * loop that turns debug mode on and never ends (it is a daemon).
 */
final class DebugWatchdog {
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final CopyOnWriteArrayList<WeakReference<AbstractLoop>> LOOPS = new CopyOnWriteArrayList<>();
    /** Guarded by DebugWatchdog.class. */
    private static Thread thread;

    private DebugWatchdog() {}

    static void watch(AbstractLoop loop) {
        for (WeakReference<AbstractLoop> r : LOOPS) {
            if (r.get() == loop) {
                return;
            }
        }
        LOOPS.add(new WeakReference<>(loop));
        synchronized (DebugWatchdog.class) {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("aio4j-debug-watchdog").start(DebugWatchdog::run);
            }
        }
    }

    static void unwatch(AbstractLoop loop) {
        LOOPS.removeIf(r -> r.get() == null || r.get() == loop);
    }

    private static void run() {
        for (;;) {
            LockSupport.parkNanos(PERIOD_NANOS);
            long now = System.nanoTime();
            for (WeakReference<AbstractLoop> r : LOOPS) {
                AbstractLoop loop = r.get();
                if (loop == null) {
                    LOOPS.remove(r);
                } else {
                    try {
                        loop.checkBlocked(now);
                    } catch (RuntimeException e) {
                        // a report that fails (a broken log handler) must not end the watchdog
                    }
                }
            }
        }
    }
}
