package dev.aio4j.sync;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Comparator;
import java.util.Objects;

/**
 * Where a {@link Queue} keeps the items no getter was handed, and in what
 * order a get takes them: the one thing a {@link Queue}, a {@link LifoQueue}
 * and a {@link PriorityQueue} do differently (asyncio's {@code _put},
 * {@code _get} and {@code _init}). The order is a {@code java.util.Queue}'s:
 * an {@code ArrayDeque} (first in, first out), the same seen through
 * {@code Collections.asLifoQueue} (last in, first out), or a
 * {@code java.util.PriorityQueue} (least first). Everything else, waiting
 * included, is {@link Queue}'s.
 *
 * <p>Threads: confined to the queue's loop, as the queue is.
 *
 * @param <E> the items
 */
final class QueueStore<E> {
    private final java.util.Queue<E> items;
    /** A priority store in natural order: refuses items that are not Comparable, before they are added. */
    private final boolean natural;

    private QueueStore(java.util.Queue<E> items, boolean natural) {
        this.items = items;
        this.natural = natural;
    }

    /** First in, first out: asyncio's {@code Queue}. */
    static <E> QueueStore<E> fifo() {
        return new QueueStore<>(new ArrayDeque<>(), false);
    }

    /** Last in, first out: asyncio's {@code LifoQueue}. */
    static <E> QueueStore<E> lifo() {
        return new QueueStore<>(Collections.asLifoQueue(new ArrayDeque<>()), false);
    }

    /** Least first, by {@code comparator} or (null) the natural order: asyncio's {@code PriorityQueue} (a heap). */
    static <E> QueueStore<E> priority(Comparator<? super E> comparator) {
        return new QueueStore<>(new java.util.PriorityQueue<>(comparator), comparator == null);
    }

    /** Refuses an item this store cannot order; nothing changes. */
    void check(E item) {
        if (natural && !(item instanceof Comparable)) {
            throw new ClassCastException("item " + item + " of " + item.getClass().getName()
                    + " is not Comparable: a PriorityQueue without a Comparator orders its items by their natural order");
        }
    }

    /** Keeps an item put. */
    void add(E item) {
        items.add(item);
    }

    /** Removes and returns the item a get takes next; only called when {@link #size()} is positive. */
    E take() {
        return Objects.requireNonNull(items.poll());
    }

    int size() {
        return items.size();
    }
}
