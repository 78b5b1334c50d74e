package dev.aio4j.sync;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Objects;

/**
 * Where a {@link Queue} keeps the items no getter was handed, and in what
 * order a get takes them: the one thing a {@link Queue}, a {@link LifoQueue}
 * and a {@link PriorityQueue} do differently (asyncio's {@code _put},
 * {@code _get} and {@code _init}). Everything else, waiting included, is
 * {@link Queue}'s.
 *
 * <p>Threads: confined to the queue's loop, as the queue is.
 *
 * @param <E> the items
 */
abstract sealed class QueueStore<E> {

    /** Refuses an item this store cannot order; nothing changes. */
    void check(E item) {
    }

    /** Keeps an item put. */
    abstract void add(E item);

    /** Removes and returns the item a get takes next; only called when {@link #size()} is positive. */
    abstract E take();

    abstract int size();

    /** First in, first out: asyncio's {@code Queue}. */
    static final class Fifo<E> extends QueueStore<E> {
        private final ArrayDeque<E> items = new ArrayDeque<>();

        @Override
        void add(E item) {
            items.addLast(item);
        }

        @Override
        E take() {
            return items.removeFirst();
        }

        @Override
        int size() {
            return items.size();
        }
    }

    /** Last in, first out: asyncio's {@code LifoQueue}. */
    static final class Lifo<E> extends QueueStore<E> {
        private final ArrayDeque<E> items = new ArrayDeque<>();

        @Override
        void add(E item) {
            items.addFirst(item);
        }

        @Override
        E take() {
            return items.removeFirst();
        }

        @Override
        int size() {
            return items.size();
        }
    }

    /** Least first, by a comparator or the natural order: asyncio's {@code PriorityQueue} (a heap). */
    static final class Priority<E> extends QueueStore<E> {
        private final java.util.PriorityQueue<E> items;
        /** Null for the natural order. */
        private final Comparator<? super E> comparator;

        Priority(Comparator<? super E> comparator) {
            this.comparator = comparator;
            this.items = new java.util.PriorityQueue<>(comparator);
        }

        @Override
        void check(E item) {
            if (comparator == null && !(item instanceof Comparable)) {
                throw new ClassCastException("item " + item + " of " + item.getClass().getName()
                        + " is not Comparable: a PriorityQueue without a Comparator orders its items by their natural order");
            }
        }

        @Override
        void add(E item) {
            items.add(item);
        }

        @Override
        E take() {
            return Objects.requireNonNull(items.poll());
        }

        @Override
        int size() {
            return items.size();
        }
    }
}
