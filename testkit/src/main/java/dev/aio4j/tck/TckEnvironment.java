package dev.aio4j.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCK's timeouts and the failures seen on other threads.
 *
 * <p>Every timeout is a base value times one scale factor, read from the
 * system property {@value #SCALE_PROPERTY} or else the environment variable
 * {@value #SCALE_ENV} (default 1). Raise it on a slow machine; no test depends
 * on how fast anything is, only on it finishing before the timeout.
 *
 * <p>Thread-safe.
 */
public final class TckEnvironment {
    /** System property scaling every TCK timeout. */
    public static final String SCALE_PROPERTY = "aio4j.tck.timeoutScale";
    /** Environment variable scaling every TCK timeout (the property wins). */
    public static final String SCALE_ENV = "AIO4J_TCK_TIMEOUT_SCALE";

    private static final Duration BASE_TIMEOUT = Duration.ofSeconds(10);

    private final double scale;
    private final List<Throwable> asyncErrors = new ArrayList<>();

    /** Reads the scale from the property or the environment. */
    public TckEnvironment() {
        this(readScale());
    }

    /**
     * An environment with {@code scale}.
     *
     * @param scale the factor for every timeout; positive
     */
    public TckEnvironment(double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("timeout scale must be positive: " + scale);
        }
        this.scale = scale;
    }

    private static double readScale() {
        String s = System.getProperty(SCALE_PROPERTY);
        if (s == null || s.isBlank()) {
            s = System.getenv(SCALE_ENV);
        }
        if (s == null || s.isBlank()) {
            return 1;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SCALE_PROPERTY + " must be a number, was '" + s + "'", e);
        }
    }

    /**
     * How long a test waits for something that should happen promptly (10 s times the scale).
     *
     * @return the timeout, scaled
     */
    public Duration timeout() {
        return scaled(BASE_TIMEOUT);
    }

    /**
     * {@code base} times the scale.
     *
     * @param base the unscaled duration
     * @return {@code base} times the scale
     */
    public Duration scaled(Duration base) {
        return Duration.ofNanos((long) (base.toNanos() * scale));
    }

    /**
     * Records a failure seen on a thread other than the test's.
     *
     * @param t what failed
     */
    public synchronized void flop(Throwable t) {
        asyncErrors.add(t);
    }

    /**
     * Records a failure with a message.
     *
     * @param message what failed
     */
    public void flop(String message) {
        flop(new AssertionError(message));
    }

    /** Throws the first failure recorded on another thread (the others as suppressed), and forgets them. */
    public synchronized void verifyNoAsyncErrors() {
        if (asyncErrors.isEmpty()) {
            return;
        }
        AssertionError e = new AssertionError("failure on another thread: " + asyncErrors.get(0), asyncErrors.get(0));
        for (int i = 1; i < asyncErrors.size(); i++) {
            e.addSuppressed(asyncErrors.get(i));
        }
        asyncErrors.clear();
        throw e;
    }
}
