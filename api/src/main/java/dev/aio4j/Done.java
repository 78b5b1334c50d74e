package dev.aio4j;

import java.util.Set;

/**
 * What {@link AsyncIO#wait(java.util.Collection, ReturnWhen, java.time.Duration)}
 * returns: the caller's own futures, split into those done and those still
 * pending, each set in the order the futures were given. Unmodifiable.
 *
 * @param done the futures that are done
 * @param pending the futures that are not
 * @param <F> the futures' type
 */
public record Done<F>(Set<F> done, Set<F> pending) {
    /** Copies both sets, keeping their order. */
    public Done {
        done = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(done));
        pending = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(pending));
    }
}
