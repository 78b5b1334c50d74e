package dev.aio4j;

import java.time.Duration;
import java.util.Objects;

/**
 * How to build a loop: its clock, its name and whether debug mode starts on.
 *
 * @param ticker the clock of {@link Loop#time()}; {@link Ticker#system()} by default
 * @param name a name for thread names and messages
 * @param debug whether debug mode is on from the start (see {@link Loop#setDebug})
 * @param slowCallbackDuration what debug mode reports as a slow callback or task step
 */
public record LoopOptions(Ticker ticker, String name, boolean debug, Duration slowCallbackDuration) {

    /** The system property that turns debug mode on for every new loop. */
    public static final String DEBUG_PROPERTY = "aio4j.debug";

    /**
     * Options as given; prefer {@link #defaults()} and the {@code with*} methods.
     *
     * @param ticker the clock
     * @param name the loop's name
     * @param debug whether debug mode is on
     * @param slowCallbackDuration how long a callback may run before debug mode reports it
     * @throws NullPointerException if {@code ticker}, {@code name} or {@code slowCallbackDuration} is null
     */
    public LoopOptions {
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(slowCallbackDuration, "slowCallbackDuration");
        if (slowCallbackDuration.isNegative()) {
            throw new IllegalArgumentException("slowCallbackDuration must not be negative: " + slowCallbackDuration);
        }
    }

    /**
     * System clock, name {@code "aio4j"}, debug from {@code -Daio4j.debug}, 100 ms slow threshold.
     *
     * @return the default options
     */
    public static LoopOptions defaults() {
        return new LoopOptions(Ticker.system(), "aio4j", Boolean.getBoolean(DEBUG_PROPERTY), Duration.ofMillis(100));
    }

    /**
     * A copy with another clock.
     *
     * @param t the clock, e.g. a {@link VirtualTicker}
     * @return the copy
     */
    public LoopOptions withTicker(Ticker t) {
        return new LoopOptions(t, name, debug, slowCallbackDuration);
    }

    /**
     * A copy with another name.
     *
     * @param n the loop's name, shown in thread names and reports
     * @return the copy
     */
    public LoopOptions withName(String n) {
        return new LoopOptions(ticker, n, debug, slowCallbackDuration);
    }

    /**
     * A copy with debug mode on or off.
     *
     * @param d whether debug mode is on
     * @return the copy
     */
    public LoopOptions withDebug(boolean d) {
        return new LoopOptions(ticker, name, d, slowCallbackDuration);
    }
}
