package dev.aio4j;

import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM for {@link Runner}: while a run is in progress, the first
 * one interrupts the runner; a second one goes to the handler that was there
 * before (the JVM's: exit with 128 + the signal number, shutdown hooks run).
 * {@code sun.misc.Signal} (module jdk.unsupported) is the JDK's only signal
 * API; it is supported on every JDK this project builds for. One runner at a
 * time: a second runner that starts meanwhile gets {@link #NONE}.
 */
final class Signals {
    private static final String[] NAMES = {"INT", "TERM"};
    private static final AtomicReference<Runner> HANDLING = new AtomicReference<>();

    private Signals() {}

    /** What {@link #install} returns: closing it puts the previous handlers back. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    static final Registration NONE = () -> {};

    static Registration install(Runner runner) {
        if (!HANDLING.compareAndSet(null, runner)) {
            return NONE;
        }
        SignalHandler[] previous = new SignalHandler[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            String name = NAMES[i];
            try {
                SignalHandler[] before = previous;
                int index = i;
                previous[i] = Signal.handle(new Signal(name), sig -> {
                    if (!runner.interrupt(name)) {
                        // The second signal (or one between runs): as if the runner were not there.
                        SignalHandler p = before[index];
                        if (p == SignalHandler.SIG_DFL || p == null) {
                            Signal.handle(sig, SignalHandler.SIG_DFL);
                            Signal.raise(sig);
                        } else if (p != SignalHandler.SIG_IGN) {
                            p.handle(sig);
                        }
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
                previous[i] = null; // -Xrs, or a signal the VM keeps for itself: left alone
            }
        }
        return () -> {
            for (int i = 0; i < NAMES.length; i++) {
                if (previous[i] != null) {
                    Signal.handle(new Signal(NAMES[i]), previous[i]);
                }
            }
            HANDLING.compareAndSet(runner, null);
        };
    }
}
