package dev.aio4j.engine;

import java.lang.ref.WeakReference;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A loop's debug mode: reports a callback or task step slower than the
 * loop's slow threshold when it ends ("Executing ... took"), and, through one
 * watchdog thread for the whole JVM, one that is still running past the
 * threshold ("Blocked: ..."), with the stack of the thread that runs it: the
 * first says the loop was slow, the second where it is stuck.
 *
 * <p>Threads: {@link #enabled} and {@link #running} are read by the watchdog;
 * the rest is called by the baton holder. The watchdog holds loops weakly (a
 * loop dropped without close() does not keep itself alive); it starts with
 * the first loop that turns debug mode on, and ends once it watches none (the
 * loops closed or their debug mode off), to start again with the next one.
 */
final class DebugMonitor {
    private static final System.Logger LOG = System.getLogger("dev.aio4j");
    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final CopyOnWriteArrayList<WeakReference<DebugMonitor>> WATCHED = new CopyOnWriteArrayList<>();
    /** Guarded by DebugMonitor.class. */
    private static Thread watchdog;

    private final EventLoop loop;
    private final long slowNanos;
    /** Whether debug mode is on. Written by setDebug (loop), read by any thread. */
    volatile boolean enabled;
    /** The unit running now, for the watchdog; null between units. Baton holder writes. */
    private volatile Running running;
    /** The start of the last unit the watchdog reported. Watchdog thread only. */
    private long lastBlockedReport;

    DebugMonitor(EventLoop loop) {
        this.loop = loop;
        this.slowNanos = loop.options().slowCallbackDuration().toNanos();
        set(loop.options().debug());
    }

    void set(boolean on) {
        enabled = on;
        if (on) {
            watch(this);
        } else {
            stop();
            running = null;
        }
    }

    /** Stops watching (close). */
    void stop() {
        WATCHED.removeIf(r -> r.get() == null || r.get() == this);
    }

    /** A unit starts on {@code thread}. Debug mode only. */
    void started(String what, Thread thread, long startNanos) {
        running = new Running(what, thread, startNanos);
    }

    /**
     * {@code fn} as debug mode schedules it: a lambda or method reference is
     * wrapped so that reports name the line that scheduled it, as asyncio's
     * debug mode keeps a handle's source traceback; other runnables name
     * themselves (their {@code toString}). Debug mode only: the stack walk
     * costs a few microseconds.
     */
    static Runnable traced(Runnable fn) {
        if (!fn.getClass().isHidden()) {
            return fn;
        }
        StackTraceElement site = callerSite();
        return site == null ? fn : new Traced(fn, site);
    }

    /** The innermost frame of the code that called into aio4j (debug mode: where a task or callback was made). */
    static StackTraceElement callerSite() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !internal(f.getClassName()))
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
    }

    /** The engine's, the API's and the JDK's own frames: never where user code scheduled something. */
    private static boolean internal(String className) {
        if (className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith("dev.aio4j.engine.") || className.startsWith("dev.aio4j.spi.")
                || className.startsWith("dev.aio4j.sync.")) {
            return true;
        }
        return className.startsWith("dev.aio4j.") && className.indexOf('.', "dev.aio4j.".length()) < 0;
    }

    /** A lambda scheduled in debug mode, described by where. */
    private record Traced(Runnable fn, StackTraceElement site) implements Runnable {
        @Override
        public void run() {
            fn.run();
        }

        @Override
        public String toString() {
            return "lambda scheduled at " + site;
        }
    }

    /** The unit that started at {@code startNanos} ended: reports it if it was slow. Debug mode only. */
    void ended(long startNanos, String what, Throwable where) {
        running = null;
        long took = System.nanoTime() - startNanos;
        if (took >= slowNanos) {
            LOG.log(System.Logger.Level.WARNING, "Executing " + what + " took " + (took / 1_000_000) + " ms on loop '"
                    + loop.options().name() + "'", where);
        }
    }

    /** What runs on the loop now, and since when. */
    private record Running(String what, Thread thread, long sinceNanos) {}

    /**
     * The stack of the thread that runs a unit, cut where the unit starts: a
     * callback run by a task's thread (while that task awaits) sits on top of
     * the task's frames, which are not what blocks the loop.
     */
    private static StackTraceElement[] unitStack(Thread thread) {
        StackTraceElement[] stack = thread.getStackTrace();
        for (int i = 0; i < stack.length; i++) {
            StackTraceElement f = stack[i];
            if (f.getClassName().equals(RunLoop.class.getName()) && f.getMethodName().equals("runCallback")
                    || f.getClassName().equals(LoopTask.class.getName()) && f.getMethodName().equals("runBody")) {
                return java.util.Arrays.copyOf(stack, i + 1);
            }
        }
        return stack;
    }

    /** Watchdog: reports, once, a unit that has run past the threshold and has not returned. */
    private void checkBlocked(long nowNanos) {
        Running r = running;
        if (r == null || !enabled || r.sinceNanos() == lastBlockedReport || nowNanos - r.sinceNanos() < slowNanos) {
            return;
        }
        lastBlockedReport = r.sinceNanos();
        Throwable where = new Throwable("the stack of " + r.thread() + ", which runs it");
        where.setStackTrace(unitStack(r.thread()));
        if (running != r) {
            // It returned while its stack was taken (which can take milliseconds): the stack shows what ran
            // next, and the unit no longer blocks the loop (SPEC E9: reported while it still runs). The
            // watchdog cannot wait for the unit instead: a loop thread that ends a unit may hold its
            // virtual-thread scheduler's lock, which taking a virtual thread's stack can need.
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "Blocked: " + r.what() + " has run for "
                + (nowNanos - r.sinceNanos()) / 1_000_000 + " ms on loop '" + loop.options().name()
                + "' and has not returned; the loop can run nothing else meanwhile", where);
    }

    private static void watch(DebugMonitor m) {
        synchronized (DebugMonitor.class) { // with the watchdog's last look: a loop added then is watched
            for (WeakReference<DebugMonitor> r : WATCHED) {
                if (r.get() == m) {
                    return;
                }
            }
            WATCHED.add(new WeakReference<>(m));
            if (watchdog == null) {
                watchdog = Thread.ofPlatform().daemon().name("aio4j-debug-watchdog").start(DebugMonitor::watchdogBody);
            }
        }
    }

    private static void watchdogBody() {
        for (;;) {
            LockSupport.parkNanos(PERIOD_NANOS);
            checkAll(System.nanoTime());
            synchronized (DebugMonitor.class) {
                if (WATCHED.isEmpty()) { // no loop left to watch: no thread left behind either
                    watchdog = null;
                    return;
                }
            }
        }
    }

    /**
     * One look at every watched loop. A method of its own: an agent that redefines this class (mutation
     * testing) reaches what the endless loop calls, never the loop's frame that is already running.
     */
    private static void checkAll(long now) {
        for (WeakReference<DebugMonitor> r : WATCHED) {
            DebugMonitor m = r.get();
            if (m == null) {
                WATCHED.remove(r);
            } else {
                try {
                    m.checkBlocked(now);
                } catch (RuntimeException e) {
                    // a report that fails (a broken log handler) must not end the watchdog
                }
            }
        }
    }
}
