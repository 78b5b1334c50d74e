package dev.aio4j;

/**
 * The monotonic clock a loop reads for {@link Loop#time()} and its timers.
 *
 * <p>{@link #system()} is {@link System#nanoTime()}. A {@link VirtualTicker}
 * lets tests run timer rules without waiting in real time.
 */
@FunctionalInterface
public interface Ticker {
    /**
     * Nanoseconds from an arbitrary origin; never decreasing.
     *
     * @return nanoseconds, only for differences
     */
    long nanoTime();

    /**
     * The system's monotonic clock.
     *
     * @return the system clock
     */
    static Ticker system() {
        return System::nanoTime;
    }
}
