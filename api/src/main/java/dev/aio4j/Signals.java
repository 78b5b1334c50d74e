package dev.aio4j;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM for {@link Runner}: while a run is in progress, the first
 * one interrupts the runner; a second one goes to the handler that was there
 * before (the JVM's: exit with 128 + the signal number, shutdown hooks run).
 * {@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only signal
 * API. Where it cannot take the signals (a JVM that keeps them for itself),
 * or with {@code -Daio4j.signals=hook}, a shutdown hook does the same: it
 * interrupts the runner and holds the JVM's exit until the runner has closed,
 * at most the grace plus the executor timeout. One runner at a time: a second
 * runner that starts meanwhile gets {@link #NONE}.
 */
final class Signals {
    /** {@code -Daio4j.signals=hook}: use the shutdown hook even where signal handlers could be installed. */
    static final String MODE_PROPERTY = "aio4j.signals";
    private static final String[] NAMES = {"INT", "TERM"};
    private static final AtomicReference<Runner> HANDLING = new AtomicReference<>();
    /** Set by the shutdown hook: the JVM is exiting, so AsyncIO.run must not call exit itself (it would block). */
    private static volatile boolean exiting;

    private Signals() {}

    /** What {@link #install} returns: closing it puts the previous handlers back. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    static final Registration NONE = () -> {};

    /** Whether the JVM is exiting because the shutdown hook of a runner was run. */
    static boolean exiting() {
        return exiting;
    }

    static Registration install(Runner runner, Duration bound) {
        if (!HANDLING.compareAndSet(null, runner)) {
            return NONE;
        }
        SignalHandler[] previous = new SignalHandler[NAMES.length];
        boolean any = false;
        if (!"hook".equals(System.getProperty(MODE_PROPERTY))) {
            for (int i = 0; i < NAMES.length; i++) {
                previous[i] = handle(runner, NAMES[i], previous, i);
                any |= previous[i] != null;
            }
        }
        Thread hook = any ? null : shutdownHook(runner, bound);
        return () -> {
            for (int i = 0; i < NAMES.length; i++) {
                if (previous[i] != null) {
                    Signal.handle(new Signal(NAMES[i]), previous[i]);
                }
            }
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs now: it waits for this runner to close
                }
            }
            HANDLING.compareAndSet(runner, null);
        };
    }

    /** Installs the runner's handler for {@code name}; the handler it replaced, or null if it could not. */
    private static SignalHandler handle(Runner runner, String name, SignalHandler[] previous, int index) {
        try {
            return Signal.handle(new Signal(name), sig -> {
                if (!runner.interrupt(name)) {
                    // The second signal (or one between runs): as if the runner were not there.
                    SignalHandler p = previous[index];
                    if (p == SignalHandler.SIG_DFL || p == null) {
                        Signal.handle(sig, SignalHandler.SIG_DFL);
                        Signal.raise(sig);
                    } else if (p != SignalHandler.SIG_IGN) {
                        p.handle(sig);
                    }
                }
            });
        } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
            return null; // a signal the VM keeps for itself: left alone
        }
    }

    /** The fallback: at exit, interrupt the run in progress and wait (bounded) for the runner to close. */
    private static Thread shutdownHook(Runner runner, Duration bound) {
        Thread hook = new Thread(() -> {
            exiting = true;
            if (runner.interrupt("TERM")) {
                runner.awaitClosed(bound);
            }
        }, "aio4j-runner-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }
}
