package dev.aio4j.sync;

import java.util.Comparator;
import java.util.Objects;

/**
 * A queue for the tasks of one loop whose gets take the least item first:
 * asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-queue.html#asyncio.PriorityQueue">{@code PriorityQueue}</a>,
 * ordered by a {@link Comparator} or by the items' natural order (asyncio
 * compares the entries, typically {@code (priority, data)} tuples; in Java,
 * a record and {@code Comparator.comparing(Job::priority)}). Items that
 * compare equal come out in no particular order, as from asyncio's heap and
 * {@link java.util.PriorityQueue}; add a sequence number to the ordering for
 * first-in first-out among equals.
 *
 * <p>Everything else is {@link Queue}'s: size, waiting, fairness among
 * waiting tasks (an item put while getters wait is handed to the first, as it
 * is then the least item there is), cancellation safety (an item handed to a
 * getter cancelled before it resumes goes back into the queue at its
 * priority), {@code taskDone}/{@code join}, {@code shutdown}, threads and
 * memory consistency effects.
 *
 * @param <E> the items
 */
public final class PriorityQueue<E> extends Queue<E> {
    /** An unbounded queue in the items' natural order (each item put must be {@link Comparable}). */
    public PriorityQueue() {
        this(0);
    }

    /**
     * A queue of at most {@code maxSize} items in their natural order: an item
     * put that is not {@link Comparable} is refused with {@link ClassCastException}.
     *
     * @param maxSize the most items it holds; 0 or less: unbounded (as asyncio's {@code maxsize})
     */
    public PriorityQueue(int maxSize) {
        super(maxSize, "PriorityQueue", QueueStore.priority(null));
    }

    /**
     * An unbounded queue ordered by {@code comparator}, least first.
     *
     * @param comparator the order; the least item comes out first
     * @throws NullPointerException if {@code comparator} is null
     */
    public PriorityQueue(Comparator<? super E> comparator) {
        this(0, comparator);
    }

    /**
     * A queue of at most {@code maxSize} items ordered by {@code comparator}, least first.
     *
     * @param maxSize the most items it holds; 0 or less: unbounded (as asyncio's {@code maxsize})
     * @param comparator the order; the least item comes out first
     * @throws NullPointerException if {@code comparator} is null
     */
    public PriorityQueue(int maxSize, Comparator<? super E> comparator) {
        super(maxSize, "PriorityQueue", QueueStore.priority(Objects.requireNonNull(comparator, "comparator")));
    }
}
