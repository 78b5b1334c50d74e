package dev.aio4j.sync;

/**
 * A last-in, first-out queue (a stack) for the tasks of one loop: asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-queue.html#asyncio.LifoQueue">{@code LifoQueue}</a>.
 * A get takes the item put most recently. Everything else is {@link Queue}'s:
 * size, waiting, fairness among waiting tasks (getters are still served in
 * the order they began waiting, each handed the item put while it is first),
 * cancellation safety (an item handed to a getter cancelled before it resumes
 * goes back on top), {@code taskDone}/{@code join}, {@code shutdown}, threads
 * and memory consistency effects.
 *
 * @param <E> the items
 */
public final class LifoQueue<E> extends Queue<E> {
    /** An unbounded LIFO queue. */
    public LifoQueue() {
        this(0);
    }

    /**
     * A LIFO queue of at most {@code maxSize} items.
     *
     * @param maxSize the most items it holds; 0 or less: unbounded (as asyncio's {@code maxsize})
     */
    public LifoQueue(int maxSize) {
        super(maxSize, "LifoQueue", QueueStore.lifo());
    }
}
