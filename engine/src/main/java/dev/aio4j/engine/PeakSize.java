package dev.aio4j.engine;

/**
 * The most entries one of the loop's tables (the ready queue, the timer heap,
 * the live tasks, the unretrieved failures) held since it was last made anew,
 * and whether the idle loop should now make it anew.
 *
 * <p>Why: an {@code ArrayDeque}, a {@code PriorityQueue} and a hash set keep
 * the capacity of their peak. After a burst of a million callbacks, timers or
 * tasks, a loop would hold megabytes it no longer needs (SPEC L21). So when
 * the loop is about to block for lack of work, each table that peaked above
 * {@link #SHRINK_ABOVE} entries and holds under a quarter of that is made
 * anew. Only then: a loop that runs burst after burst without idling (a
 * benchmark, a busy server) keeps its capacity rather than regrow it each
 * time.
 *
 * <p>Confined to the baton holder, as the table it follows: plain fields.
 */
final class PeakSize {
    /** A table that never held more entries than this is kept as it is. */
    static final int SHRINK_ABOVE = 4096;

    /** The most entries since the table was made; 0 for a new table. */
    private int peak;

    /**
     * The table now holds {@code size} entries.
     *
     * @param size its size now
     */
    void saw(int size) {
        if (size > peak) {
            peak = size;
        }
    }

    /**
     * Whether the table, holding {@code size} entries and about to idle,
     * should be made anew; if so, the new table's peak is {@code size}.
     *
     * @param size its size now
     * @return true if the caller must make the table anew (with these entries)
     */
    boolean shrinks(int size) {
        if (peak > SHRINK_ABOVE && size < peak / 4) {
            peak = size;
            return true;
        }
        return false;
    }

    /** For the engine's tests of shrinking. */
    int peak() {
        return peak;
    }
}
