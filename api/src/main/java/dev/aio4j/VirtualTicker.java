package dev.aio4j;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told, or when its loop has nothing to do but
 * wait for a timer: then the loop jumps the clock to that timer's deadline
 * instead of sleeping (like CPython's {@code test_utils.TestLoop}).
 *
 * <p>Thread-safe. Backends that honour it declare
 * {@link dev.aio4j.spi.Capability#VIRTUAL_TIME}.
 */
public final class VirtualTicker implements Ticker {
    private final AtomicLong now;

    /** A clock that starts at zero. */
    public VirtualTicker() {
        this(0L);
    }

    /**
     * A clock that starts at {@code startNanos}.
     *
     * @param startNanos the first reading
     */
    public VirtualTicker(long startNanos) {
        now = new AtomicLong(startNanos);
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    /**
     * Moves the clock forward.
     *
     * @param nanos how far; must not be negative
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("nanos must not be negative: " + nanos);
        }
        now.addAndGet(nanos);
    }

    /**
     * Moves the clock to {@code nanos} if that is later than now; never backwards.
     *
     * @param nanos the reading to move to
     */
    public void advanceTo(long nanos) {
        now.accumulateAndGet(nanos, Math::max);
    }
}
