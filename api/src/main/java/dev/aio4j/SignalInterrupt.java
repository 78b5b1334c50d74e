package dev.aio4j;

/**
 * Thrown by {@link Runner#run} when SIGINT or SIGTERM (or
 * {@link Runner#interrupt()}) cancelled its main task: asyncio's
 * {@code KeyboardInterrupt} out of {@code asyncio.run}. Its cause is the main
 * task's cancellation. {@link AsyncIO#run(Coroutine)} does not let
 * it out: it exits the JVM as the signal would have ({@link #exitCode()}).
 */
public final class SignalInterrupt extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The signal's name without "SIG". */
    private final String signal;

    SignalInterrupt(String signal, java.util.concurrent.CancellationException cause) {
        super("interrupted by SIG" + signal, cause);
        this.signal = signal;
    }

    /**
     * The signal's name without "SIG": "INT" or "TERM".
     *
     * @return "INT" or "TERM"
     */
    public String signal() {
        return signal;
    }

    /**
     * The exit status a shell expects after the signal: 128 + its number (130 for SIGINT, 143 for SIGTERM).
     *
     * @return 128 plus the signal's number: 130 or 143
     */
    public int exitCode() {
        return 128 + ("TERM".equals(signal) ? 15 : 2);
    }
}
