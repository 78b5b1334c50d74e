package dev.aio4j.reliability;

import java.time.Duration;

/**
 * The suite's knobs, all system properties: one size factor, one timeout,
 * and which targets run.
 */
public final class Knobs {
    /** The size factor: 1 (the default) is the CI-sized run, 100 a real one. */
    public static final String SCALE_PROPERTY = "aio4j.reliability.scale";
    /** Every wait of the suite, in seconds (default 30 s times {@code max(1, scale)}). */
    public static final String TIMEOUT_PROPERTY = "aio4j.reliability.timeoutSeconds";
    /** Comma-separated prefixes of {@link Target#id()}s to run; blank: every target available here. */
    public static final String BACKENDS_PROPERTY = "aio4j.reliability.backends";

    private Knobs() {}

    /** The size factor: positive, 1 by default. */
    public static double scale() {
        String v = System.getProperty(SCALE_PROPERTY, "").trim();
        if (v.isEmpty()) {
            return 1;
        }
        double s;
        try {
            s = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SCALE_PROPERTY + "=" + v + " is not a number", e);
        }
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("-D" + SCALE_PROPERTY + "=" + v + " must be a positive number");
        }
        return s;
    }

    /** {@code base} times the scale, at least 1. */
    public static int scaled(int base) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(base * scale())));
    }

    /** How long any one wait of the suite may take before it counts as a hang. */
    public static Duration timeout() {
        String v = System.getProperty(TIMEOUT_PROPERTY, "").trim();
        if (v.isEmpty()) {
            return Duration.ofSeconds(Math.round(30 * Math.max(1, scale())));
        }
        try {
            long s = Long.parseLong(v);
            if (s <= 0) {
                throw new IllegalArgumentException("-D" + TIMEOUT_PROPERTY + "=" + v + " must be positive");
            }
            return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + TIMEOUT_PROPERTY + "=" + v + " is not a whole number of seconds", e);
        }
    }

    /** The target id prefixes asked for by {@link #BACKENDS_PROPERTY}; empty: all. */
    static String backendsFilter() {
        return System.getProperty(BACKENDS_PROPERTY, "").trim();
    }
}
