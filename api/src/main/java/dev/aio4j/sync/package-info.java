/**
 * Synchronisation primitives for the tasks of one loop: asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-sync.html">synchronization primitives</a>
 * ({@link dev.aio4j.sync.Lock}, {@link dev.aio4j.sync.Event},
 * {@link dev.aio4j.sync.Condition}, {@link dev.aio4j.sync.Semaphore},
 * {@link dev.aio4j.sync.BoundedSemaphore}, {@link dev.aio4j.sync.Barrier}),
 * Trio's {@link dev.aio4j.sync.CapacityLimiter}, and asyncio's
 * <a href="https://docs.python.org/3/library/asyncio-queue.html">queues</a>
 * ({@link dev.aio4j.sync.Queue}, {@link dev.aio4j.sync.LifoQueue},
 * {@link dev.aio4j.sync.PriorityQueue}), written once over
 * {@link dev.aio4j.Future} and {@link dev.aio4j.Loop} (SPEC sections Y and Q).
 *
 * <p>They suspend a task, never a thread: unlike {@code java.util.concurrent},
 * they are not thread-safe and need not be, because the tasks of a loop run
 * one step at a time. Each binds to the first loop that uses it, and refuses
 * calls from any other loop or thread with an error naming the call.
 *
 * <p>Every primitive is built on one internal wait queue, which alone handles
 * the race every asyncio primitive once shipped: a waiter woken and then
 * cancelled before it resumes keeps the wake-up, and the others wait forever
 * (CPython bpo-27585, gh-90155, gh-112202, python/asyncio#343 for the queue).
 * Here the wake-up passes on.
 * Waiters are served in FIFO order, and a release hands what it releases to
 * the first waiter directly: nobody barges in between.
 */
package dev.aio4j.sync;
